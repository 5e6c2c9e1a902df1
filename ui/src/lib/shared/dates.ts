//! Dates as people type them. The app shows `4 Dec 2026` everywhere; a date field accepts that
//! (day, month as a word, year, in any case and with or without the month spelt out), the ISO
//! form `2026-12-04`, and a day-first numeric form with dots (`4.12.2026`). All-numeric dates with
//! slashes are refused: `04/12/2026` is 4 December to one reader and 12 April to another.
//!
//! In Chinese the app shows and accepts `2026年12月4日` (and `2026/12/4`, year first, which no
//! reader takes for anything else) beside the forms above.
//!
//! What must hold: a value either parses to one real calendar day between `MIN_YEAR` and
//! `MAX_YEAR`, or is refused with a sentence that says how to write it; nothing rolls over
//! (31 Feb is refused, not 3 March).

import { i18n, m as msg } from '$lib/i18n';

export const MIN_YEAR = 1990;
export const MAX_YEAR = 2100;

export type ParsedDate = { ok: true; iso: string | null } | { ok: false; message: string };

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
const SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** How to write a date, as the refusals say it (in the app's language, with its own example). */
const how = () => msg.date_how({ example: showDate('2026-12-04') });

/** Month 1–12 from a word ("dec", "December", "sept"), or null. */
function monthOf(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w === 'sept') return 9;
  if (w.length < 3) return null;
  const i = MONTH_NAMES.findIndex((name) => name.toLowerCase().startsWith(w));
  return i < 0 ? null : i + 1;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function isoOf(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Checks the parts of a date and gives its ISO form, or why it is not a date. */
function checked(year: number, month: number, day: number): ParsedDate {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return { ok: false, message: msg.date_year_range({ min: MIN_YEAR, max: MAX_YEAR }) };
  }
  if (month < 1 || month > 12) return { ok: false, message: `${msg.date_no_month({ month })} ${how()}` };
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) {
    return { ok: false, message: msg.date_no_day({ month: monthTitle(year, month), day }) };
  }
  return { ok: true, iso: isoOf(year, month, day) };
}

/** A date with the month as a word. */
function named(day: string, monthWord: string, year: string): ParsedDate {
  const month = monthOf(monthWord);
  if (month === null) return { ok: false, message: `${msg.date_not_a_month({ word: monthWord })} ${how()}` };
  if (year.length !== 4) return { ok: false, message: `${msg.date_four_digit_year()} ${how()}` };
  return checked(Number(year), month, Number(day));
}

/**
 * Parses what a person typed into a date field. Empty text is "no date" (`iso: null`); anything
 * else is one real day or a refusal.
 */
export function parseDate(text: string): ParsedDate {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t === '') return { ok: true, iso: null };

  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return checked(Number(m[1]), Number(m[2]), Number(m[3]));

  // 2026年12月4日, 2026/12/4 (year first: as Chinese dates are written)
  m = /^(\d{4}) ?(?:年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日?|\/(\d{1,2})\/(\d{1,2}))$/.exec(t);
  if (m) return checked(Number(m[1]), Number(m[2] ?? m[4]), Number(m[3] ?? m[5]));

  // 4 Dec 2026, 4 December 2026, 4-Dec-2026, 4 Dec. 2026
  m = /^(\d{1,2})(?:st|nd|rd|th)?[ \-/]([A-Za-z]+\.?),?[ \-/](\d+)$/.exec(t);
  if (m) return named(m[1] ?? '', m[2] ?? '', m[3] ?? '');

  // Dec 4 2026, December 4, 2026
  m = /^([A-Za-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?,? (\d+)$/.exec(t);
  if (m) return named(m[2] ?? '', m[1] ?? '', m[3] ?? '');

  // 4.12.2026 (day first, as written with dots across Europe)
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  if (m) return checked(Number(m[3]), Number(m[2]), Number(m[1]));

  if (/^\d{1,2}\/\d{1,2}\/\d{2,4}$/.test(t)) {
    return { ok: false, message: msg.date_ambiguous({ example: showDate('2026-12-04') }) };
  }
  if (/^\d{5,}-/.test(t)) return { ok: false, message: msg.date_year_range({ min: MIN_YEAR, max: MAX_YEAR }) };
  return { ok: false, message: `${msg.date_not_a_date()} ${how()}` };
}

/** `2026-12-04` -> `4 Dec 2026` (the app's format); empty for null or a malformed value. */
export function showDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return '';
  if (i18n.locale !== 'en') return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
  return `${Number(m[3])} ${SHORT[Number(m[2]) - 1]} ${m[1]}`;
}

/** The month name and year of a calendar page (`December 2026`). */
export function monthTitle(year: number, month: number): string {
  if (i18n.locale !== 'en') return `${year}年${month}月`;
  return `${MONTH_NAMES[month - 1]} ${year}`;
}

/**
 * The days of a month's calendar page, Monday first: `null` for the blanks before the 1st, so a
 * grid of seven columns lines them up under their weekdays.
 */
export function monthGrid(year: number, month: number): (number | null)[] {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay(); // 0 = Sunday
  const blanks = (first + 6) % 7;
  const days = daysInMonth(year, month);
  return [...Array<null>(blanks).fill(null), ...Array.from({ length: days }, (_, i) => i + 1)];
}

/** The ISO date `days` after (or before, when negative) `iso`. */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = isoParts(iso);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return isoOf(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** `2026-12-04` -> `[2026, 12, 4]`. */
export function isoParts(iso: string): [number, number, number] {
  const [y = 1970, m = 1, d = 1] = iso.slice(0, 10).split('-').map(Number);
  return [y, m, d];
}
