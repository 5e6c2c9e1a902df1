//! Dates, numbers and counts are formatted in one place (format.ts), in the app's language. This
//! fails when a screen formats by hand: a locale literal (`'en-GB'`, `"en-US"`, …), a
//! `toLocale*String` call or a `new Intl.*Format` outside format.ts. Check by hand with
//!   grep -rnE "toLocale|'en-(GB|US)'|new Intl\." ui/src --include=*.ts --include=*.svelte
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

const SRC = resolve(process.cwd(), 'src');
/** The formatting module itself and the language module (which names the tags it hands to it). */
const ALLOWED = new Set(['lib/shared/format.ts', 'lib/i18n/locale.svelte.ts']);
const BANNED = [
  /\.toLocale(?:Date|Time)?String\(/,
  /['"`](?:en|zh|de|fr)-[A-Z]{2}['"`]/,
  /new Intl\.(?:DateTimeFormat|NumberFormat|PluralRules|DisplayNames|RelativeTimeFormat|ListFormat)/,
  /locale="[a-z]{2}(?:-\w+)?"/,
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'paraglide' || name === 'bindings' ? [] : files(p);
    return /\.(ts|svelte)$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });
}

it('formats dates, numbers and counts only in format.ts', () => {
  const offenders: string[] = [];
  for (const f of files(SRC)) {
    const rel = relative(SRC, f);
    if (ALLOWED.has(rel)) continue;
    readFileSync(f, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (BANNED.some((b) => b.test(line))) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
  }
  expect(offenders).toEqual([]);
});
