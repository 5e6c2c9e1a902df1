import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { counted, formatCount, formatDate, humanize } from '$lib/shared/format';
import { I18n, i18n, localeFromOs } from './locale.svelte';

describe('language', () => {
  it('follows the OS: Traditional for Taiwan and Hong Kong, Simplified for other Chinese, else English', () => {
    expect(localeFromOs(['zh-TW', 'en-US'])).toBe('zh-Hant');
    expect(localeFromOs(['zh-HK'])).toBe('zh-Hant');
    expect(localeFromOs(['zh-Hant-MO'])).toBe('zh-Hant');
    expect(localeFromOs(['zh-CN'])).toBe('zh-Hans');
    expect(localeFromOs(['zh'])).toBe('zh-Hans');
    expect(localeFromOs(['de-DE', 'en-GB'])).toBe('en');
    expect(localeFromOs(['fr-FR'])).toBe('en');
    expect(localeFromOs([])).toBe('en');
  });

  it('is remembered per user and applied when they sign in', () => {
    localStorage.clear();
    const a = new I18n();
    a.choose('zh-Hant', 'user-1');
    a.choose('en', 'user-2');
    const later = new I18n();
    expect(later.locale).toBe('en'); // the last choice on this computer, before anyone signs in
    later.forUser('user-1');
    expect(later.locale).toBe('zh-Hant');
    later.forUser('user-3'); // no choice of their own: the language already shown stays
    expect(later.locale).toBe('zh-Hant');
    localStorage.clear();
  });

  it('switches messages, plurals and formats at once', () => {
    i18n.locale = 'en';
    expect(m.count_customers(counted(1))).toBe('1 customer');
    expect(m.count_customers(counted(1785))).toBe('1,785 customers');
    expect(formatDate('2026-12-04')).toBe('4 Dec 2026');
    i18n.locale = 'zh-Hans';
    expect(m.count_customers(counted(1785))).toBe('1,785 个客户');
    expect(m.nav_reviews()).toBe('复核队列');
    expect(formatDate('2026-12-04')).toBe('2026年12月4日');
    i18n.locale = 'zh-Hant';
    expect(m.count_customers(counted(1))).toBe('1 個客戶');
    expect(m.nav_reviews()).toBe('覆核佇列');
    expect(formatDate('2026-12-04')).toBe('2026年12月4日');
    expect(formatCount(12345)).toBe('12,345');
    expect(humanize('end_use_statement')).toBe('最終用途聲明');
    expect(humanize('some_new_code')).toBe('Some new code');
    i18n.locale = 'zh-Hans';
    expect(humanize('end_use_statement')).toBe('最终用途声明');
    i18n.locale = 'en';
    expect(humanize('end_use_statement')).toBe('End use statement');
    expect(humanize('contract_manufacturer')).toBe('Contract manufacturer');
  });
});
