import { formatCount } from '$lib/shared/format';
//! Counts in words: "1 red flag", "3 red flags", never "1 red flag(s)". English has two plural
//! forms; `Intl.PluralRules` picks which one a number takes.

const rules = new Intl.PluralRules('en-GB');

/** `count(1, 'red flag')` -> `1 red flag`; `count(2, 'red flag')` -> `2 red flags`. */
export function count(n: number, one: string, other = `${one}s`): string {
  return `${formatCount(n)} ${plural(n, one, other)}`;
}

/** The word alone, in the form `n` takes. */
export function plural(n: number, one: string, other = `${one}s`): string {
  return rules.select(n) === 'one' ? one : other;
}
