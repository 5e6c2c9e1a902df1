import { describe, expect, it } from 'vitest';
import { actionLabel, fieldLabel } from './labels';

describe('audit words', () => {
  it('names known actions as a reader says them', () => {
    expect(actionLabel('letter.generate')).toBe('Letter generated');
    expect(actionLabel('session.sign_in')).toBe('Signed in');
  });
  it('reads any other action from its noun and verb', () => {
    expect(actionLabel('export_list.write_out')).toBe('Export list: write out');
    expect(actionLabel('hit')).toBe('Hit');
  });
  it('turns record fields into words', () => {
    expect(fieldLabel('signatoryName')).toBe('Signatory name');
    expect(fieldLabel('hsCodes')).toBe('HS codes');
    expect(fieldLabel('externalId')).toBe('External ID');
    expect(fieldLabel('bodySha256')).toBe('Body SHA-256');
  });
});
