import { describe, expect, it } from 'vitest';
import { count, plural } from './plural';

describe('count', () => {
  it('uses the singular for one', () => {
    expect(count(1, 'red flag')).toBe('1 red flag');
  });
  it('uses the plural for none and for many, with thousands grouped', () => {
    expect(count(0, 'document')).toBe('0 documents');
    expect(count(1785, 'customer')).toBe('1,785 customers');
  });
  it('takes an irregular plural', () => {
    expect(count(2, 'hit', 'hits')).toBe('2 hits');
    expect(plural(3, 'entry', 'entries')).toBe('entries');
  });
});
