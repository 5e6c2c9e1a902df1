//! The catalogues stay complete and consistent: every key in every language, the same
//! placeholders in each translation, plurals with the forms English needs.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const LOCALES = ['en', 'zh-Hans', 'zh-Hant'] as const;
type Message = string | { declarations: string[]; selectors: string[]; match: Record<string, string> }[];

function catalogue(locale: string): Record<string, Message> {
  const path = resolve(process.cwd(), 'messages', `${locale}.json`);
  const all = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Message>;
  delete all.$schema;
  return all;
}

/** The placeholders a message uses (`{name}`), over all its plural forms. */
function placeholders(msg: Message): string[] {
  const texts = typeof msg === 'string' ? [msg] : msg.flatMap((v) => Object.values(v.match));
  return [...new Set(texts.flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((x) => x[1] ?? '')))].sort();
}

const cats = Object.fromEntries(LOCALES.map((l) => [l, catalogue(l)])) as Record<
  (typeof LOCALES)[number],
  Record<string, Message>
>;

describe('message catalogues', () => {
  it('hold every key in every language, and no key English lacks', () => {
    const en = Object.keys(cats.en).sort();
    for (const l of LOCALES) {
      const keys = Object.keys(cats[l]).sort();
      expect(
        en.filter((k) => !keys.includes(k)),
        `keys missing in ${l}`,
      ).toEqual([]);
      expect(
        keys.filter((k) => !en.includes(k)),
        `keys in ${l} that English lacks`,
      ).toEqual([]);
    }
  });

  it('leave no translation empty', () => {
    for (const l of LOCALES) {
      for (const [k, v] of Object.entries(cats[l])) {
        const texts = typeof v === 'string' ? [v] : v.flatMap((x) => Object.values(x.match));
        expect(texts.every((t) => t.trim().length > 0), `${l}.${k} is empty`).toBe(true);
      }
    }
  });

  it('use the same placeholders in every language', () => {
    for (const [k, v] of Object.entries(cats.en)) {
      for (const l of LOCALES) {
        const other = cats[l][k];
        if (other === undefined) continue;
        expect(placeholders(other), `${l}.${k}`).toEqual(placeholders(v));
      }
    }
  });

  it('give English plurals a singular and an other form', () => {
    for (const [k, v] of Object.entries(cats.en)) {
      if (typeof v === 'string') continue;
      const forms = Object.keys(v[0]?.match ?? {});
      expect(forms, k).toContain('countPlural=one');
      expect(forms, k).toContain('countPlural=*');
    }
  });

  it('name keys as area_what in snake case (valid function names)', () => {
    for (const k of Object.keys(cats.en)) expect(k).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/);
  });
});
