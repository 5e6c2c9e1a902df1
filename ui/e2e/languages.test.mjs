// The app in its three languages (issue 20): the main flows — home, a customer, logging an
// attestation, the review queue — in English, Simplified and Traditional Chinese, on the demo data
// (long English company names beside Chinese ones), with a screenshot of each screen for checking
// overflow by eye. The language comes from the OS (LANG) until a user picks one in Settings; the
// pick is remembered for that user when the app starts again. WebKit reads LANG through setlocale:
// the zh_CN/zh_TW locales must have been generated (./dev setup does it).
//
// The screens converted later (audit, campaigns, a campaign, new campaign, templates, screening, a
// hit review, the first-run pick list) are opened in both Chinese languages too: each shows its
// title in that language and none of the English labels it used to show remains on the page.
//
// The webview's storage lives in a temp XDG_DATA_HOME, so a language picked here never leaks into
// the other e2e files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
  'zh-Hans': {
    home: '首页',
    reviews: '复核队列',
    att: '登记最终用途声明',
    profile: '基本资料',
    audit: '审计记录',
    campaigns: '发函批次',
    campaignColumn: '回执期限',
    newCampaign: '新建发函批次',
    templates: '合规函模板',
    screening: '受限方筛查',
    hit: '疑似受限方匹配',
    who: '您是谁？',
  },
  'zh-Hant': {
    home: '首頁',
    reviews: '覆核佇列',
    att: '登記最終用途聲明',
    profile: '基本資料',
    audit: '稽核軌跡',
    campaigns: '發函批次',
    campaignColumn: '回覆期限',
    newCampaign: '新增發函批次',
    templates: '合規函範本',
    screening: '受限制方篩查',
    hit: '疑似受限制方相符',
    who: '您是哪一位？',
  },
};

/** English labels each converted screen used to show: none may be left in Chinese. */
const ENGLISH = {
  audit: ['Audit trail', 'Verify chain', 'Export CSV', 'Events, newest first', 'Any action', 'Customer or record',
    'Customer added', 'Letter generated', 'Attestation logged', 'Visit logged', 'Technical details', 'History of this',
    'List version', 'distributor'],
  campaigns: ['New campaign', 'Generated', 'Acknowledged', 'Overdue', 'reply within', 'Templates'],
  campaign: ['Save PDFs', 'Mark all', 'Not sent', 'Awaiting reply', 'Reply due', 'customers loaded in', 'Follow-up'],
  newCampaign: ['Whom to write to', 'Customers matching filters', 'Customer types', 'Account owners',
    'Check and create', 'will get a letter', 'Letter preview', 'Contract manufacturer', 'Create campaign'],
  templates: ['Letter templates', 'Merge fields', 'Save as new version', 'Click to insert', "Customer's legal name",
    'New template'],
  screening: ['Screen everyone', 'Possible matches', 'List entry', 'Threshold', 'Confirmed', 'Dismissed'],
  hit: ['Possible restricted-party match', 'Why it matched', 'Decision', 'Dismiss as false positive',
    'Confirm match', 'Open customer', "The customer's name", 'List entry', 'matches the listed name',
    'matches the alias', 'same words', 'Same words'],
  who: ['Who are you?', 'Every change is recorded', 'New colleagues are added', 'Database:'],
};

const LISTS = resolve('../../shared/domain/lists');

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
  // A restricted-party list with one customer named like a listed party (an open hit to review),
  // and a campaign to CN and HK customers, so the screens below have something to show.
  const as = ['--as', 'mia@example.com'];
  prepared.cli(...as, 'customer', 'add', '--name', 'Caspian Industrial Machinery Supply LLC', '--country', 'AE',
    '--type', 'distributor', '--external-id', 'SCR-2');
  prepared.cli(...as, 'list', 'import', '--kind', 'dpl', join(LISTS, 'dpl-2022.txt'));
  prepared.cli(...as, 'campaign', 'create', '--name', 'Reminder 2026 CN-HK', '--country', 'CN', '--country', 'HK');
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

/** What the page shows a person, as text (the first-run panel has no <main>). */
async function pageText() {
  return app.browser.execute(() => (document.querySelector('main') ?? document.body).innerText);
}

/** Waits for the page's title, then checks that none of the screen's old English labels is left. */
async function inLanguage(locale, screen, title, selector = 'h1') {
  await app.browser.waitUntil(async () => (await (await app.browser.$(selector)).getText()) === title, {
    timeout: 10_000,
    timeoutMsg: `${screen} never showed the title ${title}`,
  });
  const text = await pageText();
  const left = ENGLISH[screen].filter((w) => text.includes(w));
  assert.deepEqual(left, [], `${locale} ${screen}: English left on the page`);
  await app.shot(`${locale}-${screen}`);
}

/** The screens converted after the main flows: each in the language, with a screenshot. */
async function convertedScreens(locale) {
  const w = WORDS[locale];
  await nav(app, 'audit');
  await (await app.$t('audit-row')).waitForExist({ timeout: 10_000 });
  // A customer added: its changes (the fields it was created with) show beside the list.
  // (WebKitWebDriver does not click a table row: the action's button in it opens it.)
  await (await app.browser.$('[data-testid="audit-row"][data-action="customer.create"] button')).click();
  await (await app.$t('audit-changes')).waitForDisplayed({ timeout: 10_000 });
  await inLanguage(locale, 'audit', w.audit);

  await nav(app, 'campaigns');
  await (await app.$t('campaign-item')).waitForExist({ timeout: 10_000 });
  await inLanguage(locale, 'campaigns', w.campaigns);

  await (await app.$t('campaign-item')).click();
  await (await app.$t('campaign-row')).waitForExist({ timeout: 15_000 });
  await inLanguage(locale, 'campaign', 'Reminder 2026 CN-HK', '[data-testid="campaign-title"]');
  assert.ok((await pageText()).includes(w.campaignColumn), `${locale} campaign: column ${w.campaignColumn}`);

  await nav(app, 'campaigns');
  await (await app.$t('new-campaign')).click();
  await (await app.$t('target-count')).waitForExist({ timeout: 15_000 });
  await inLanguage(locale, 'newCampaign', w.newCampaign);

  await nav(app, 'campaigns');
  await (await app.$t('open-templates')).click();
  await (await app.$t('template-version')).waitForExist({ timeout: 10_000 });
  await inLanguage(locale, 'templates', w.templates);

  await nav(app, 'screening');
  await (await app.$t('hit-row')).waitForExist({ timeout: 10_000 });
  await inLanguage(locale, 'screening', w.screening);

  await (await app.browser.$('[data-testid="hit-row"] td')).click();
  await (await app.$t('hit-decision')).waitForExist({ timeout: 10_000 });
  await inLanguage(locale, 'hit', w.hit);

  await (await app.$t('switch-user')).click();
  await (await app.$t('first-run')).waitForDisplayed({ timeout: 10_000 });
  await inLanguage(locale, 'who', w.who);
  await (await app.browser.$('[data-testid="pick-user"][data-email="mia@example.com"]')).click();
  await (await app.$t('home')).waitForDisplayed({ timeout: 10_000 });
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
  await convertedScreens('zh-Hans');
});

test('Simplified Chinese: the red flags on Log a visit show their Chinese text', async () => {
  await nav(app, 'visit');
  const flag = await app.$t('flag-TS-02');
  await flag.waitForExist({ timeout: 10_000 });
  const label = () =>
    app.browser.execute(() => document.querySelector('[data-testid="flag-TS-02"]')?.closest('label')?.innerText ?? '');
  await app.browser.waitUntil(async () => (await label()).includes('不愿提供最终用途信息'), {
    timeout: 10_000,
    timeoutMsg: 'red flag TS-02 never showed its Chinese text',
  });
  assert.ok(!(await label()).includes('Reluctance to share'), 'TS-02 still in English');
  await flag.scrollIntoView({ block: 'center' });
  await app.shot('zh-Hans-visit-red-flags');
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
  await convertedScreens('zh-Hant');
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
