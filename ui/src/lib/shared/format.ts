//! Display formatting shared by every screen, in the app's language (`$lib/i18n`): dates, times,
//! counts and country names. Dates travel as ISO `YYYY-MM-DD` strings.
//!
//! What must hold: this is the only module that formats with `Intl` or `toLocale*`; a vitest
//! (`format.sources.test.ts`) fails when a locale literal or `toLocale*` call appears elsewhere.
import { i18n } from '$lib/i18n/locale.svelte';
import { m } from '$lib/paraglide/messages';

/** One formatter per language and kind, built on first use. */
type Formatter = Intl.DateTimeFormat | Intl.NumberFormat | Intl.DisplayNames | Intl.ListFormat;
const cache = new Map<string, Formatter>();
function cached<T extends Formatter>(
  kind: string,
  make: (tag: string) => T,
): T {
  const tag = i18n.intlTag;
  const key = `${kind}|${tag}`;
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make(tag);
    cache.set(key, f);
  }
  return f;
}

/** Today's date in local time as `YYYY-MM-DD` (the form's default dates). */
export function todayIso(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

const dateFmt = () =>
  cached('date', (tag) => new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', year: 'numeric' }));
const timeFmt = () =>
  cached(
    'time',
    (tag) =>
      new Intl.DateTimeFormat(tag, {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
  );
const clockFmt = () =>
  cached('clock', (tag) => new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }));
const countFmt = () => cached('count', (tag) => new Intl.NumberFormat(tag));

/** `2026-03-04` -> `4 Mar 2026` (en), `2026年3月4日` (zh); empty for null. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return iso;
  return dateFmt().format(new Date(y, m - 1, d));
}

/** `14:02` (24-hour, as every time on screen). */
export function formatClock(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : clockFmt().format(t);
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : timeFmt().format(t);
}

/** A month and year (`December 2026`, `2026年12月`), as a calendar page's title. */
export function formatMonth(year: number, month: number): string {
  return cached('month', (tag) => new Intl.DateTimeFormat(tag, { month: 'long', year: 'numeric', timeZone: 'UTC' })).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

/** A chart's month tick from `YYYY-MM` (`Jan 26`, `26年1月`); the text itself when it is not one. */
export function formatMonthTick(yearMonth: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(yearMonth);
  if (!m) return yearMonth;
  return cached('monthTick', (tag) => new Intl.DateTimeFormat(tag, { month: 'short', year: '2-digit', timeZone: 'UTC' })).format(
    new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)),
  );
}

/** Days from `fromIso` to `toIso` (positive when `toIso` is later). */
export function daysBetween(fromIso: string, toIso: string): number {
  const a = Date.UTC(...ymd(fromIso));
  const b = Date.UTC(...ymd(toIso));
  return Math.round((b - a) / 86_400_000);
}

function ymd(iso: string): [number, number, number] {
  const [y = 1970, m = 1, d = 1] = iso.slice(0, 10).split('-').map(Number);
  return [y, m - 1, d];
}

/** Words kept in capitals when a code is shown as words. */
const ACRONYMS = new Set(['oem', 'ems', 'odm', 'hs', 'chpl', 'pdf', 'sdn', 'dpl', 'csl']);

/**
 * A code shown as words, in the app's language: the catalogue's `enum_<code>` when it has one
 * (`end_use_statement` -> `End use statement` / `最终用途声明`), else the code made readable
 * (`contract_manufacturer` -> `Contract manufacturer`; `oem` -> `OEM`).
 */
export function humanize(snake: string): string {
  const named = (m as unknown as Record<string, (() => string) | undefined>)[`enum_${snake}`];
  if (typeof named === 'function') return named();
  const s = snake
    .split('_')
    .map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w))
    .join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Splits a free-text list (commas, semicolons, spaces, new lines) into trimmed items. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `CN` -> `China` (en), `中国` (zh-Hans); the code itself when unknown. */
export function countryName(iso2: string): string {
  try {
    return cached('region', (tag) => new Intl.DisplayNames([tag], { type: 'region' })).of(iso2) ?? iso2;
  } catch {
    return iso2;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Splits text into non-empty trimmed lines (and comma-separated items). */
export function splitLines(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A count with thousands grouped, as on every screen (1,785). */
export function formatCount(n: number): string {
  return countFmt().format(n);
}

/**
 * The plural category of `n` (`one`/`other` in English; always `other` in Chinese), in the app's
 * language or, for English words not yet in the catalogue, in `english`.
 */
export function pluralCategory(n: number, english = false): Intl.LDMLPluralRule {
  return pluralRules(english ? 'en' : i18n.intlTag).select(n);
}
const rulesCache = new Map<string, Intl.PluralRules>();
function pluralRules(tag: string): Intl.PluralRules {
  let r = rulesCache.get(tag);
  if (!r) {
    r = new Intl.PluralRules(tag);
    rulesCache.set(tag, r);
  }
  return r;
}

/** The inputs of a plural message: `m.count_customers(counted(3))` -> `3 customers`. */
export function counted(n: number): { count: number; n: string } {
  return { count: n, n: formatCount(n) };
}

/**
 * How long ago `iso` was, roughly, in the app's language: "just now", "12 minutes ago", "5 hours
 * ago", "3 days ago"; "never" for null.
 */
export function formatAgo(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return m.ago_never();
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const minutes = Math.round((now - t) / 60_000);
  if (minutes < 2) return m.ago_just_now();
  if (minutes < 90) return m.ago_minutes(counted(minutes));
  const hours = Math.round(minutes / 60);
  if (hours < 36) return m.ago_hours(counted(hours));
  return m.ago_days(counted(Math.round(hours / 24)));
}

/** Items joined as a sentence says them: `A, B and C` (en), `A、B和C` (zh). */
export function formatList(items: string[]): string {
  return cached('list', (tag) => new Intl.ListFormat(tag, { style: 'long', type: 'conjunction' })).format(items);
}
