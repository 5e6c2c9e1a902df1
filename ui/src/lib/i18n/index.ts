//! The message catalogue: `m.key(params)` returns the text in the current language.
//! Catalogues live in ui/messages/{en,zh-Hans,zh-Hant}.json; Paraglide compiles them to typed
//! functions in src/lib/paraglide (generated, not committed). See docs/i18n.md.
export { m } from '$lib/paraglide/messages';
export { i18n, LOCALES, LOCALE_NAME, type Locale } from './locale.svelte';
