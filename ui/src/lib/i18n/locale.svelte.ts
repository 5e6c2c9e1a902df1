//! The language the app speaks: English, Simplified or Traditional Chinese. Picked from the OS
//! (the webview's `navigator.languages`) until a user chooses one in Settings; the choice is kept
//! per user in the webview's storage and applied when they sign in.
//!
//! What must hold: every message function (`m.*` from `$lib/paraglide/messages`) and every
//! formatter in `$lib/shared/format` reads the locale from here, so changing it re-renders every
//! screen at once without a reload (the getter reads `$state`, which Svelte tracks).
import { baseLocale, locales, overwriteGetLocale, type Locale } from '$lib/paraglide/runtime';

export type { Locale };
export const LOCALES: readonly Locale[] = locales;

/** Each language named in itself (as a language picker shows them). */
export const LOCALE_NAME: Record<Locale, string> = {
  en: 'English',
  'zh-Hans': '简体中文',
  'zh-Hant': '繁體中文',
};

/** The BCP 47 tag used for `Intl` formatting of each language. */
export const INTL_TAG: Record<Locale, string> = {
  en: 'en-GB',
  'zh-Hans': 'zh-Hans-CN',
  'zh-Hant': 'zh-Hant-TW',
};

const KEY_PREFIX = 'enduse.locale.';
const LAST_KEY = 'enduse.locale';

/**
 * The app's language for an OS language list: Traditional for zh-TW/HK/MO and zh-Hant, Simplified
 * for any other Chinese, else English.
 */
export function localeFromOs(tags: readonly string[]): Locale {
  for (const raw of tags) {
    const tag = raw.toLowerCase();
    if (!tag.startsWith('zh')) {
      if (tag.startsWith('en')) return 'en';
      continue;
    }
    if (/hant|-tw|-hk|-mo/.test(tag)) return 'zh-Hant';
    return 'zh-Hans';
  }
  return baseLocale;
}

function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (locales as readonly string[]).includes(v);
}

function stored(key: string): Locale | null {
  try {
    const v = globalThis.localStorage?.getItem(key);
    return isLocale(v) ? v : null;
  } catch {
    return null;
  }
}

function store(key: string, value: Locale) {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Storage refused (private mode): the choice lasts until the app closes.
  }
}

export class I18n {
  locale = $state<Locale>(baseLocale);

  constructor() {
    const os = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
    this.locale = stored(LAST_KEY) ?? localeFromOs(os);
  }

  /** A user signed in: their own choice if they made one, else the language already shown. */
  forUser(userId: string) {
    const mine = stored(KEY_PREFIX + userId);
    if (mine) this.locale = mine;
  }

  /** The user picked a language in Settings: shown at once and remembered for them. */
  choose(locale: Locale, userId: string | null) {
    this.locale = locale;
    store(LAST_KEY, locale);
    if (userId) store(KEY_PREFIX + userId, locale);
  }

  /** The tag `Intl` formatters take for the current language. */
  get intlTag(): string {
    return INTL_TAG[this.locale];
  }
}

export const i18n = new I18n();
overwriteGetLocale(() => i18n.locale);
