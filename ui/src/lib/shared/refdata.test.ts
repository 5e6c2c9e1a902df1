//! Every red flag and CHPL heading in the shared reference data (../shared/domain from the repo
//! root) has its text in every language, the English keys equal the CSV text, and an id the
//! catalogue lacks falls back to the core's English. A missing CSV fails the test.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { i18n } from '$lib/i18n';
import { chplDescription, redFlagCategory, redFlagText } from './refdata';

const DOMAIN = resolve(process.cwd(), '..', '..', 'shared', 'domain');
const LOCALES = ['en', 'zh-Hans', 'zh-Hant'] as const;

/** RFC 4180 rows: quoted fields may hold commas and doubled quotes. */
function csvRows(file: string): Record<string, string>[] {
  const text = readFileSync(resolve(DOMAIN, file), 'utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
    } else field += c;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  const [head = [], ...body] = rows.filter((r) => r.some((f) => f !== ''));
  return body.map((r) => Object.fromEntries(head.map((h, j) => [h, r[j] ?? ''])));
}

function catalogue(locale: string): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(process.cwd(), 'messages', `${locale}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

const flags = csvRows('red_flags.csv');
const chpl = csvRows('chpl.csv');
const cats = Object.fromEntries(LOCALES.map((l) => [l, catalogue(l)]));
const flagKey = (id: string) => `refdata_red_flag_${id.replace(/-/g, '_').toLowerCase()}`;
const categoryKey = (c: string) => `refdata_red_flag_category_${c.replace(/-/g, '_').toLowerCase()}`;

describe('reference texts from the shared domain files', () => {
  it('read the CSV files (fail, not skip, when they are missing)', () => {
    expect(flags.length).toBeGreaterThan(0);
    expect(chpl.length).toBeGreaterThan(0);
    expect(flags.every((f) => f.id && f.category && f.text)).toBe(true);
    expect(chpl.every((c) => /^\d{6}$/.test(c.hs6 ?? '') && c.description)).toBe(true);
  });

  it('have a key for every red flag, category and CHPL heading in every language', () => {
    const keys = [
      ...flags.map((f) => flagKey(f.id ?? '')),
      ...[...new Set(flags.map((f) => f.category ?? ''))].map(categoryKey),
      ...chpl.map((c) => `refdata_chpl_${c.hs6}`),
    ];
    for (const l of LOCALES) {
      expect(
        keys.filter((k) => typeof cats[l]?.[k] !== 'string' || (cats[l]?.[k] as string).trim() === ''),
        `reference keys missing in ${l}`,
      ).toEqual([]);
    }
  });

  it('keep the English keys equal to the CSV text', () => {
    const en = cats.en ?? {};
    expect(flags.filter((f) => en[flagKey(f.id ?? '')] !== f.text).map((f) => f.id)).toEqual([]);
    expect(chpl.filter((c) => en[`refdata_chpl_${c.hs6}`] !== c.description).map((c) => c.hs6)).toEqual([]);
  });

  it('show in the app’s language and fall back to the core’s English for an unknown id', () => {
    const ts01 = flags.find((f) => f.id === 'TS-01')?.text ?? '';
    i18n.locale = 'en';
    expect(redFlagText('TS-01', 'from the core')).toBe(ts01);
    expect(redFlagCategory('end-use')).toBe('End use');
    i18n.locale = 'zh-Hans';
    expect(redFlagText('KYC-01', 'x')).toBe('客户对物项是否将被再出口含糊其辞');
    expect(chplDescription('854231', 'x')).toBe('电子集成电路：处理器及控制器');
    expect(redFlagCategory('payment')).toBe('付款');
    i18n.locale = 'zh-Hant';
    expect(chplDescription('854232', 'x')).toBe('電子積體電路：記憶體');
    expect(redFlagText('ZZ-99', 'A flag added after this build')).toBe('A flag added after this build');
    expect(chplDescription('999999', 'A heading added later')).toBe('A heading added later');
    expect(redFlagCategory('new_kind')).toBe('New kind');
    i18n.locale = 'en';
  });
});
