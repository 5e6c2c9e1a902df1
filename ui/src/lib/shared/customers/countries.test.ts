import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES, countryLabel, countryOptions, filterCountries, fold } from './countries';

const codes = (q: string) => filterCountries(q).map((c) => c.code);

describe('country search', () => {
  it('offers every ISO 3166-1 country, named, once', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_CODES).size).toBe(249);
    const china = countryOptions().find((c) => c.code === 'CN');
    expect(china?.name).toBe('China');
    expect(filterCountries('')).toHaveLength(249);
  });

  it('puts the exact code first, then names that start with the text', () => {
    expect(codes('cn')[0]).toBe('CN');
    expect(codes('ger')[0]).toBe('DE');
    expect(codes('chi')).toEqual(expect.arrayContaining(['CN', 'CL']));
    expect(codes('chi').slice(0, 2).sort()).toEqual(['CL', 'CN']);
  });

  it('finds words inside a name, aliases, and ignores case and accents', () => {
    expect(codes('korea')).toEqual(expect.arrayContaining(['KR', 'KP']));
    expect(codes('uk')[0]).toBe('GB');
    expect(codes('COTE')).toContain('CI');
    expect(fold('Türkiye')).toBe('turkiye');
    expect(codes('emirates')).toContain('AE');
  });

  it('finds nothing for text that names no country', () => {
    expect(codes('atlantis')).toEqual([]);
  });

  it('labels a code with its name', () => {
    expect(countryLabel('HK')).toMatch(/Hong Kong.*\(HK\)/);
    expect(countryLabel('')).toBe('');
  });
});
