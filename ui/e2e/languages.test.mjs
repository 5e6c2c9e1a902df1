// The app in its three languages (issue 20): the main flows — home, a customer, logging an
// attestation, the review queue — in English, Simplified and Traditional Chinese, on the demo data
// (long English company names beside Chinese ones), with a screenshot of each screen for checking
// overflow by eye. The language comes from the OS (LANG) until a user picks one in Settings; the
// pick is remembered for that user when the app starts again. WebKit reads LANG through setlocale:
// the zh_CN/zh_TW locales must have been generated (./dev setup does it).
//
// The webview's storage lives in a temp XDG_DATA_HOME, so a language picked here never leaks into
// the other e2e files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, preparedDatabase } from './harness.mjs';
import { nav, textOf } from './steps.mjs';

let prep;
let db;
let xdg;
let app;

/** What each language shows where the tests look. */
const WORDS = {
  en: { home: 'Home', reviews: 'Review queue', att: 'Log an attestation', profile: 'Profile' },
  'zh-Hans': { home: '首页', reviews: '复核队列', att: '登记最终用途声明', profile: '基本资料' },
  'zh-Hant': { home: '首頁', reviews: '覆核佇列', att: '登記最終用途聲明', profile: '基本資料' },
};

function env(lang) {
  return {
    ENDUSE_DB: db,
    XDG_DATA_HOME: join(xdg, 'data'),
    XDG_CACHE_HOME: join(xdg, 'cache'),
    LANG: lang,
    LANGUAGE: '',
    LC_ALL: '',
  };
}

before(async () => {
  const prepared = preparedDatabase('languages');
  ({ dir: prep, db } = prepared);
  prepared.cli('demo', '--customers', '120');
  xdg = mkdtempSync(join(tmpdir(), 'enduse-languages-xdg-'));
});
after(async () => {
  await app?.close();
  rmSync(prep, { recursive: true, force: true });
  rmSync(xdg, { recursive: true, force: true });
});

async function mainFlows(locale) {
  const w = WORDS[locale];
  await (await app.$t('home')).waitForDisplayed({ timeout: 30_000 });
  await app.browser.waitUntil(async () => (await textOf(app, 'nav-home')) === w.home, {
    timeout: 10_000,
    timeoutMsg: `the sidebar never said ${w.home}`,
  });
  assert.equal(await app.browser.execute(() => document.documentElement.lang), locale);
  // The sidebar entry, followed by the count of attestations waiting.
  assert.ok((await textOf(app, 'nav-reviews')).startsWith(w.reviews));
  await (await app.$t('tile-reviews')).waitForDisplayed({ timeout: 10_000 });
  await app.shot(`${locale}-home`);

  await nav(app, 'customers');
  const row = await app.$t('customer-row');
  await row.waitForExist({ timeout: 10_000 });
  await row.click();
  await app.browser.waitUntil(async () => (await textOf(app, 'customer-attestations')).length > 0, {
    timeout: 10_000,
  });
  assert.ok((await app.browser.$('main').getText()).includes(w.profile));
  await app.shot(`${locale}-customer`);

  await nav(app, 'attestation');
  await app.browser.waitUntil(async () => (await app.browser.$('h1').getText()) === w.att, {
    timeout: 10_000,
    timeoutMsg: `the attestation form never said ${w.att}`,
  });
  await app.shot(`${locale}-log-attestation`);

  await nav(app, 'reviews');
  await (await app.$t('review-item')).waitForExist({ timeout: 10_000 });
  await (await app.$t('review-item')).click();
  await (await app.$t('review-detail')).waitForDisplayed({ timeout: 10_000 });
  assert.equal(await app.browser.$('h1').getText(), w.reviews);
  await app.shot(`${locale}-review`);
}

test('English on an English OS', async () => {
  app = await launch('languages', env('en_GB.UTF-8'));
  await mainFlows('en');
});

test('Simplified Chinese, picked in Settings', async () => {
  await nav(app, 'settings');
  const select = await app.$t('language-select');
  await select.waitForDisplayed({ timeout: 10_000 });
  await select.selectByAttribute('value', 'zh-Hans');
  await app.browser.waitUntil(async () => (await textOf(app, 'nav-settings')) === '设置');
  await app.shot('zh-Hans-settings');
  await nav(app, 'home');
  await mainFlows('zh-Hans');
});

test('the pick is remembered when the app starts again, whatever the OS says', async () => {
  await app.close();
  app = await launch('languages', env('zh_TW.UTF-8'));
  await (await app.$t('home')).waitForDisplayed({ timeout: 30_000 });
  assert.equal(await textOf(app, 'nav-home'), WORDS['zh-Hans'].home);
});

test('Traditional Chinese', async () => {
  await nav(app, 'settings');
  await (await app.$t('language-select')).selectByAttribute('value', 'zh-Hant');
  await nav(app, 'home');
  await mainFlows('zh-Hant');
});

test('a new computer follows the OS: Traditional Chinese for zh_TW', async () => {
  await app.close();
  rmSync(xdg, { recursive: true, force: true });
  xdg = mkdtempSync(join(tmpdir(), 'enduse-languages-xdg-'));
  app = await launch('languages', env('zh_TW.UTF-8'));
  await (await app.$t('home')).waitForDisplayed({ timeout: 30_000 });
  assert.equal(await textOf(app, 'nav-home'), WORDS['zh-Hant'].home);
});

test("a customer's letter language is set in the form and kept", async () => {
  await nav(app, 'customers');
  const row = await app.$t('customer-row');
  await row.waitForExist({ timeout: 10_000 });
  await row.click();
  await (await app.$t('customer-edit')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('customer-edit')).click();
  const select = await app.$t('cf-letter-language');
  await select.waitForDisplayed({ timeout: 10_000 });
  await select.selectByAttribute('value', 'zh-Hant');
  await select.scrollIntoView({ block: 'center' });
  await app.shot('zh-Hant-customer-form-letter-language');
  await (await app.$t('customer-save')).click();
  await (await app.$t('customer-letter-language')).waitForDisplayed({ timeout: 10_000 });
  await app.browser.waitUntil(async () => (await textOf(app, 'customer-letter-language')) === '繁體中文', {
    timeout: 10_000,
    timeoutMsg: 'the customer page never showed the letter language',
  });
  await (await app.$t('customer-letter-language')).scrollIntoView({ block: 'center' });
  await app.shot('zh-Hant-customer-letter-language');
  // Opened again, the form shows the language kept.
  await (await app.$t('customer-edit')).click();
  const again = await app.$t('cf-letter-language');
  await again.waitForDisplayed({ timeout: 10_000 });
  await app.browser.waitUntil(async () => (await again.getValue()) === 'zh-Hant', { timeout: 10_000 });
});
