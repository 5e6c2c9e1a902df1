import { describe, expect, it } from 'vitest';
import type { HitExplanation } from '$lib/api/bindings/HitExplanation';
import { i18n, LOCALES } from '$lib/i18n';
import { explainHit } from './explanation';

const DETAIL: HitExplanation = {
  customerName: '大连华锐贸易有限公司',
  readAs: 'dalian huarui trading co ltd',
  listName: 'DALIAN HUARUI TRADING CO., LTD.',
  alias: false,
  nameScore: 91,
  rewrites: [
    { code: 'pinyin' },
    { code: 'transliterated', convention: 'ICAO passport' },
    { code: 'syllables_joined' },
    { code: 'list_syllables_joined' },
    { code: 'hong_kong_set_aside' },
  ],
  sameWords: ['dalian', 'trading'],
  nearWords: [['huarui', 'huarei']],
  customerOnly: ['co'],
  listOnly: ['ltd'],
  country: 'CN',
  countryBoost: 3,
  addressWords: ['zhongshan'],
  addressBoost: 2,
};

describe('a screening hit’s explanation', () => {
  it('is worded from its data in every language, every placeholder filled', () => {
    for (const locale of LOCALES) {
      i18n.locale = locale;
      const text = explainHit({ explanation: 'english', explanationDetail: DETAIL });
      expect(text, locale).toContain('DALIAN HUARUI TRADING CO., LTD.');
      expect(text, locale).toContain('huarui ≈ huarei');
      expect(text, locale).not.toMatch(/[{}]|undefined/);
    }
    i18n.locale = 'zh-Hans';
    const zh = explainHit({ explanation: 'english', explanationDetail: { ...DETAIL, alias: true } });
    expect(zh).toContain('与别名“DALIAN HUARUI TRADING CO., LTD.”匹配（91/100）。');
    expect(zh).toContain('汉字按拼音读取');
    expect(zh).toContain('（+3）');
    i18n.locale = 'en';
    expect(explainHit({ explanation: 'english', explanationDetail: DETAIL })).toMatch(
      /^Customer name “大连华锐贸易有限公司” matches the listed name “DALIAN HUARUI TRADING CO., LTD.” \(91\/100\)\. /,
    );
  });

  it('of a hit found before the data was kept is its stored English', () => {
    i18n.locale = 'zh-Hant';
    expect(explainHit({ explanation: 'Customer name "Acme" matches the listed name "ACME" (90/100): same words acme.' })).toBe(
      'Customer name "Acme" matches the listed name "ACME" (90/100): same words acme.',
    );
    i18n.locale = 'en';
  });
});
