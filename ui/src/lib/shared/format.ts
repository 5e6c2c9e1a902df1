//! Display formatting shared by every screen. Dates travel as ISO `YYYY-MM-DD` strings.

/** Today's date in local time as `YYYY-MM-DD` (the form's default dates). */
export function todayIso(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

const dateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const timeFmt = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** `2026-03-04` -> `4 Mar 2026`; empty for null. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return iso;
  return dateFmt.format(new Date(y, m - 1, d));
}

const clockFmt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

/** `14:02` (24-hour, as every time on screen). */
export function formatClock(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : clockFmt.format(t);
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : timeFmt.format(t);
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

/** `contract_manufacturer` -> `Contract manufacturer`; `oem` -> `OEM`. */
export function humanize(snake: string): string {
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

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    return null;
  }
})();

/** `CN` -> `China`; the code itself when unknown. */
export function countryName(iso2: string): string {
  try {
    return regionNames?.of(iso2) ?? iso2;
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
  return n.toLocaleString('en-GB');
}
