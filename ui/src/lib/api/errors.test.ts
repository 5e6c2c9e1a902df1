import { describe, expect, it } from 'vitest';
import { AppError, fieldError } from './errors';

describe('AppError.from', () => {
  it('keeps the code, message and field of a shell error', () => {
    const e = AppError.from({ code: 'invalid', message: 'country: unknown', field: 'country' });
    expect(e.code).toBe('invalid');
    expect(e.field).toBe('country');
    expect(fieldError(e, 'country')).toBe('country: unknown');
    expect(fieldError(e, 'name')).toBeNull();
  });

  it('treats anything else as a transport failure', () => {
    const e = AppError.from('command list_foo not found');
    expect(e.code).toBe('ipc');
    expect(e.message).toContain('list_foo');
  });
});
