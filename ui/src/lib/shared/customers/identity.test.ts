import { describe, expect, it } from 'vitest';
import { countryName } from '$lib/shared/format';
import { displayName, identityLine, whereAndWhich } from './identity';

const kowloon = {
  id: '1',
  name: 'Kowloon Parts Trading Ltd',
  englishName: null,
  externalId: 'ERP-1042',
  country: 'HK',
  city: 'Kowloon',
};

describe('customer identity', () => {
  it('names the city, country and external id beside the name', () => {
    expect(identityLine(kowloon)).toBe(`Kowloon Parts Trading Ltd — Kowloon, ${countryName('HK')} · ERP-1042`);
  });
  it('leaves out what the record does not hold', () => {
    expect(whereAndWhich({ country: 'DE', city: null, externalId: null })).toBe('Germany');
  });
  it('adds the English name only when it differs', () => {
    expect(displayName({ name: '深圳市华强电子有限公司', englishName: 'Huaqiang Electronics' })).toBe(
      '深圳市华强电子有限公司 (Huaqiang Electronics)',
    );
    expect(displayName({ name: 'Acme', englishName: 'Acme' })).toBe('Acme');
  });
});
