import { formatCount, pluralCategory } from '$lib/shared/format';
//! Counts in English words: "1 red flag", "3 red flags", never "1 red flag(s)". For text still
//! written in English; a message in the catalogue (ui/messages) declares its plural instead
//! (see docs/i18n.md), which is how new text should count.

/** `count(1, 'red flag')` -> `1 red flag`; `count(2, 'red flag')` -> `2 red flags`. */
export function count(n: number, one: string, other = `${one}s`): string {
  return `${formatCount(n)} ${plural(n, one, other)}`;
}

/** The word alone, in the form `n` takes. */
export function plural(n: number, one: string, other = `${one}s`): string {
  return pluralCategory(n, true) === 'one' ? one : other;
}
