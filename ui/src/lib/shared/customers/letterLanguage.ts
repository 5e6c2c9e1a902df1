//! A customer's letter language: the values, their names, and the one a country gives when the
//! customer has none set. The rule is the core's (`LetterLanguage::for_country` in
//! crates/domain/src/letter_language.rs); the form repeats it to show, as the user picks a
//! country, what "from the country" will mean. `letterLanguage.test.ts` keeps the two in step.
import type { LetterLanguage } from '$lib/api/bindings/LetterLanguage';
import { m } from '$lib/i18n';

export const LETTER_LANGUAGES: LetterLanguage[] = ['en', 'zh-Hans', 'zh-Hant', 'en+zh-Hans', 'en+zh-Hant'];

/** The language a customer in `country` (ISO alpha-2) gets when none is set. */
export function letterLanguageFor(country: string): LetterLanguage {
  switch (country.trim().toUpperCase()) {
    case 'CN':
      return 'en+zh-Hans';
    case 'TW':
    case 'HK':
    case 'MO':
      return 'en+zh-Hant';
    default:
      return 'en';
  }
}

/** The language set on the customer, else its country's. */
export function effectiveLetterLanguage(c: { letterLanguage: LetterLanguage | null; country: string }): LetterLanguage {
  return c.letterLanguage ?? letterLanguageFor(c.country);
}

/** The language's name in the UI's language. */
export function letterLanguageName(l: LetterLanguage): string {
  switch (l) {
    case 'en':
      return m.letter_language_en();
    case 'zh-Hans':
      return m.letter_language_zh_hans();
    case 'zh-Hant':
      return m.letter_language_zh_hant();
    case 'en+zh-Hans':
      return m.letter_language_en_zh_hans();
    case 'en+zh-Hant':
      return m.letter_language_en_zh_hant();
  }
}
