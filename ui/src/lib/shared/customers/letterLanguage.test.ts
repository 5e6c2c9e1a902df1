import { describe, expect, it } from 'vitest';
import { effectiveLetterLanguage, LETTER_LANGUAGES, letterLanguageFor, letterLanguageName } from './letterLanguage';

describe('letter language', () => {
  // The same table as the core's tests (crates/domain/src/letter_language.rs).
  it('gives China English and Simplified, Taiwan, Hong Kong and Macao English and Traditional', () => {
    expect(letterLanguageFor('CN')).toBe('en+zh-Hans');
    for (const c of ['TW', 'HK', 'MO', 'hk']) expect(letterLanguageFor(c)).toBe('en+zh-Hant');
    for (const c of ['DE', 'US', 'SG', 'JP', '']) expect(letterLanguageFor(c)).toBe('en');
  });

  it('takes the language set on the customer over the country', () => {
    expect(effectiveLetterLanguage({ letterLanguage: 'en', country: 'CN' })).toBe('en');
    expect(effectiveLetterLanguage({ letterLanguage: null, country: 'TW' })).toBe('en+zh-Hant');
  });

  it('names every language', () => {
    const names = LETTER_LANGUAGES.map(letterLanguageName);
    expect(new Set(names).size).toBe(LETTER_LANGUAGES.length);
    expect(names.every((n) => n.length > 0)).toBe(true);
  });
});
