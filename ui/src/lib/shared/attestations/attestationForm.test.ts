import { describe, expect, it } from 'vitest';
import { type AttestationValues, latestValidUntil, parseDestinations, validateAttestation } from './attestationForm';

const ok: AttestationValues = {
  customerId: 'c1',
  kind: 'end_use_statement',
  signatoryName: 'Li Wei',
  signatoryTitle: '',
  signedOn: '2026-12-04',
  signedOnProblem: null,
  validUntil: '',
  validUntilProblem: null,
  endUse: 'incorporate',
  endUseText: '',
  endUsers: [],
  destinations: 'CN',
  allProducts: true,
  hsCodes: [],
  partNumbers: '',
  noReexportRussiaBelarus: true,
};

describe('parseDestinations', () => {
  it('splits on commas only, so names with spaces stay whole', () => {
    expect(parseDestinations('China, Hong Kong').sent).toEqual(['CN', 'HK']);
  });
  it('reads codes, names and aliases in any case, once each', () => {
    expect(parseDestinations('cn; china\nUK, viet nam').sent).toEqual(['CN', 'GB', 'VN']);
  });
  it('passes on what it does not recognise for the core to judge', () => {
    expect(parseDestinations('CN, Narnia')).toEqual({ sent: ['CN', 'Narnia'], recognised: ['CN'], unknown: ['Narnia'] });
  });
});

describe('validateAttestation', () => {
  it('finds nothing wrong with a complete attestation', () => {
    expect(validateAttestation(ok, '2026-12-04')).toEqual({});
  });
  it('says everything missing at once, in the user’s words', () => {
    const e = validateAttestation(
      { ...ok, customerId: '', signatoryName: ' ', destinations: ' , ', allProducts: false },
      '2026-12-04',
    );
    expect(e).toEqual({
      customer_id: 'Choose the customer who signed.',
      signatory_name: 'Enter who signed, as on the document.',
      destinations: 'Name at least one destination country.',
      scope: 'Name HS codes or part numbers, or tick “All products”.',
    });
  });
  it('refuses a validity ending before signing or more than four years after', () => {
    expect(validateAttestation({ ...ok, validUntil: '2026-12-03' }, '2026-12-04').valid_until).toMatch(/before it was signed/);
    expect(validateAttestation({ ...ok, validUntil: '2030-12-05' }, '2026-12-04').valid_until).toMatch(/4 Dec 2030 or earlier/);
    expect(validateAttestation({ ...ok, validUntil: '2030-12-04' }, '2026-12-04')).toEqual({});
  });
  it('counts four years from the signing day, leap days included', () => {
    expect(latestValidUntil('2028-02-29')).toBe('2032-02-29');
    expect(latestValidUntil('2024-02-29')).toBe('2028-02-29');
    expect(latestValidUntil('2027-03-31')).toBe('2031-03-31');
  });
  it('asks for the end use when it is other, and for the missing half of an end user', () => {
    const e = validateAttestation({ ...ok, endUse: 'other', endUsers: [{ name: 'Acme', country: '' }, { name: '', country: '' }] }, '2026-12-04');
    expect(Object.keys(e)).toEqual(['end_use_text', 'end_users[0].country']);
  });
});
