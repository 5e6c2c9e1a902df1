// Letter campaigns in the real app (issue 4): the letterhead, a campaign for CN and HK
// distributors through the wizard (target count, a real merged letter previewed as a PDF), letters
// marked sent, acknowledgements recorded (one with a scanned reply) moving the campaign's
// progress, PDFs saved, a misspelt merge field refused beside its field, and, with the clock moved
// forward (ENDUSE_TODAY, debug builds only), the overdue customers chased with follow-up letters.
// The database is prepared with the CLI: a compliance manager and 300 demo customers.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, preparedDatabase } from './harness.mjs';
import { signedPdf } from './fixtures.mjs';
import { nav, queueFilePick, switchUser, textOf } from './steps.mjs';

let prep;
let db;
let app;
let created = 0;

function isoDay(offsetDays) {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

async function dataNumber(testid, attr = 'data-value') {
  const el = await app.$t(testid);
  await el.waitForExist({ timeout: 10_000 });
  return Number(await el.getAttribute(attr));
}

async function waitForNumber(testid, want, attr = 'data-value') {
  await app.browser.waitUntil(async () => (await dataNumber(testid, attr)) === want, {
    timeout: 15_000,
    timeoutMsg: `${testid} ${attr} never became ${want}`,
  });
}

before(async () => {
  const prepared = preparedDatabase('campaigns');
  ({ dir: prep, db } = prepared);
  prepared.cli('demo', '--customers', '300');
  app = await launch('campaigns', { ENDUSE_DB: db });
});
after(async () => {
  await app?.close();
  rmSync(prep, { recursive: true, force: true });
});

test('the letterhead names the company and who signs', async () => {
  await (await app.$t('home')).waitForDisplayed({ timeout: 30_000 });
  await nav(app, 'settings');
  const company = await app.$t('lh-company');
  await company.waitForDisplayed({ timeout: 10_000 });
  await company.setValue('Northwind Semiconductors GmbH');
  await (await app.$t('lh-address')).setValue('Am Hafen 1\n20457 Hamburg, Germany');
  await (await app.$t('lh-signatory')).setValue('Jana Weber');
  await (await app.$t('lh-signatory-title')).setValue('Head of Export Control');
  await (await app.$t('save-letterhead')).click();
  await (await app.$t('letterhead-saved')).waitForDisplayed({ timeout: 10_000 });
});

test('the wizard counts CN and HK distributors and previews one real letter as a PDF', async () => {
  await nav(app, 'campaigns');
  await (await app.$t('list-empty')).waitForDisplayed({ timeout: 10_000 });
  await app.shot('campaigns-empty');
  await (await app.$t('new-campaign')).click();
  await (await app.$t('campaign-name')).setValue('CN-HK distributors');
  await (await app.$t('type-distributor')).click();
  await (await app.$t('country-CN')).click();
  await app.browser.waitUntil(async () => (await dataNumber('target-count', 'data-count')) > 0, { timeout: 15_000 });
  await app.browser.pause(400);
  const cnOnly = await dataNumber('target-count', 'data-count');
  await (await app.$t('country-HK')).click();
  await app.browser.waitUntil(async () => (await dataNumber('target-count', 'data-count')) > cnOnly, {
    timeout: 15_000,
    timeoutMsg: 'adding HK did not raise the count',
  });
  await app.browser.pause(400);
  created = await dataNumber('target-count', 'data-count');
  const preview = await app.browser.$('[data-testid="letter-preview"] [data-testid="pdf-page"][data-rendered="true"]');
  await preview.waitForExist({ timeout: 30_000 });
  assert.match(await textOf(app, 'sample-name'), /the letter to .+/);
  // Each customer gets the reminder in its letter language (from the country here): CN English +
  // Simplified, HK English + Traditional, each from the family's own version (no fallback).
  const languages = await app.browser.execute(() =>
    [...document.querySelectorAll('[data-testid="campaign-language"]')].map((e) => ({
      language: e.getAttribute('data-language'),
      count: Number(e.getAttribute('data-count')),
      fallback: e.getAttribute('data-fallback'),
    })),
  );
  assert.deepEqual(
    languages.map((l) => [l.language, l.fallback]),
    [
      ['en+zh-Hans', 'false'],
      ['en+zh-Hant', 'false'],
    ],
  );
  assert.equal(
    languages.reduce((n, l) => n + l.count, 0),
    created,
  );
  await app.browser.pause(300);
  await app.shot('wizard-preview');

  await (await app.$t('create-campaign')).click();
  await (await app.$t('campaign-page')).waitForDisplayed({ timeout: 30_000 });
  await app.browser.waitUntil(async () => (await textOf(app, 'campaign-title')) === 'CN-HK distributors');
  await waitForNumber('progress-generated', created);
  assert.equal(await dataNumber('progress-sent'), 0);
  await (await app.$t('campaign-row')).waitForExist({ timeout: 10_000 });
  await app.shot('campaign-created');
});

test('letters are marked sent in bulk by channel and date', async () => {
  await (await app.$t('open-mark-sent')).click();
  await (await app.$t('sent-channel')).selectByAttribute('value', 'courier');
  await (await app.$t('confirm-mark-sent')).click();
  await waitForNumber('progress-sent', created);
  assert.match(await textOf(app, 'campaign-notice'), new RegExp(`${created} letters marked sent by courier`));
  assert.equal(await (await app.$t('open-mark-sent')).isEnabled(), false, 'nothing left to send');
});

test('acknowledgements, one with a scanned reply, move the progress', async () => {
  const rows = await app.browser.$$('[data-testid="record-ack"]');
  await rows[0].click();
  await (await app.$t('ack-by')).setValue('Li Na');
  await queueFilePick(app, [signedPdf(app.dir)]);
  await (await app.$t('choose-reply')).click();
  await (await app.$t('reply-file')).waitForDisplayed({ timeout: 5_000 });
  await app.shot('ack-with-reply');
  await (await app.$t('confirm-ack')).click();
  await waitForNumber('progress-acknowledged', 1);
  const pct = await dataNumber('progress-acknowledged', 'data-pct');

  const next = await app.browser.$$('[data-testid="record-ack"]');
  await next[0].click();
  await (await app.$t('ack-by')).setValue('Wang Wei');
  await (await app.$t('confirm-ack')).click();
  await waitForNumber('progress-acknowledged', 2);
  assert.ok((await dataNumber('progress-acknowledged', 'data-pct')) >= pct);

  await (await app.$t('filter-acknowledged')).click();
  await app.browser.waitUntil(async () => (await app.browser.$$('[data-testid="campaign-row"]')).length === 2);
  await (await app.$t('view-letter')).click();
  const page = await app.browser.$('[data-testid="letter-panel"] [data-testid="pdf-page"][data-rendered="true"]');
  await page.waitForExist({ timeout: 30_000 });
  await app.browser.pause(300);
  await app.shot('campaign-progress-letter');
  await (await app.$t('filter-all')).click();
});

test('the letters are saved as one merged PDF and as one file per letter', async () => {
  const merged = join(prep, 'print.pdf');
  await (await app.$t('open-save-pdfs')).click();
  await (await app.$t('pdf-merged')).click();
  await queueFilePick(app, [merged]);
  await (await app.$t('choose-pdf-target')).click();
  await app.browser.waitUntil(async () => /saved as one PDF/.test(await textOf(app, 'campaign-notice')), {
    timeout: 60_000,
  });
  assert.ok(readFileSync(merged).subarray(0, 5).toString() === '%PDF-');

  const folder = join(prep, 'letters');
  mkdirSync(folder);
  await (await app.$t('open-save-pdfs')).click();
  await (await app.$t('pdf-folder')).click();
  await queueFilePick(app, [folder]);
  await (await app.$t('choose-pdf-target')).click();
  await app.browser.waitUntil(async () => /PDFs? saved in/.test(await textOf(app, 'campaign-notice')), {
    timeout: 60_000,
  });
  assert.equal(readdirSync(folder).filter((f) => f.endsWith('.pdf')).length, created);

  // A folder that does not exist is refused by the core, and the dialog says why.
  await (await app.$t('open-save-pdfs')).click();
  await (await app.$t('pdf-folder')).click();
  await queueFilePick(app, [join(prep, 'no-such-folder')]);
  await (await app.$t('choose-pdf-target')).click();
  assert.match(await textOf(app, 'pdf-error'), /not an existing folder/);
  assert.equal(existsSync(join(prep, 'no-such-folder')), false);
  await app.browser.keys('Escape');
  await (await app.$t('pdf-error')).waitForExist({ reverse: true, timeout: 5_000 });
});

test('a misspelt merge field is refused when the template is saved, beside its field', async () => {
  await nav(app, 'campaigns');
  await (await app.$t('campaign-item')).waitForDisplayed({ timeout: 10_000 });
  await app.browser.pause(300);
  await app.shot('campaigns-list');
  await (await app.$t('open-templates')).click();
  const body = await app.$t('template-body');
  await body.waitForDisplayed({ timeout: 10_000 });
  await body.setValue('Dear {{contact.name}},\n\nPlease reply, {{customer.nmae}}.');
  await (await app.$t('save-template')).click();
  const err = await textOf(app, 'error-tpl-body');
  assert.match(err, /customer\.nmae/);
  assert.match(err, /did you mean `\{\{customer\.name\}\}`/);
  await app.shot('template-refused');
});

test('a sales rep sees the campaigns but cannot start one', async () => {
  await switchUser(app, 'Daniel Wu');
  await nav(app, 'campaigns');
  await (await app.$t('campaign-item')).waitForDisplayed({ timeout: 10_000 });
  assert.equal(await (await app.$t('new-campaign')).isExisting(), false);
  await switchUser(app, 'Mia Manager');
});

test('with the clock moved past the due date, the overdue are chased with follow-ups', async () => {
  await app.close();
  app = await launch('campaigns-later', { ENDUSE_DB: db, ENDUSE_TODAY: isoDay(60) });
  await (await app.$t('home')).waitForDisplayed({ timeout: 30_000 });
  await nav(app, 'campaigns');
  await (await app.$t('campaign-item')).click();
  await (await app.$t('campaign-page')).waitForDisplayed({ timeout: 30_000 });
  await waitForNumber('progress-overdue', created - 2);
  await (await app.$t('filter-overdue')).click();
  await (await app.$t('chase-list')).waitForDisplayed({ timeout: 10_000 });
  await app.shot('chase-list');
  await (await app.$t('chase')).click();
  await app.browser.waitUntil(
    async () => new RegExp(`${created - 2} follow-up letters? generated`).test(await textOf(app, 'campaign-notice')),
    { timeout: 30_000 },
  );
  assert.equal(await (await app.$t('chase')).isExisting(), false, 'everyone overdue has a follow-up');
  assert.equal(await dataNumber('progress-sent'), created, 'sent counts customers, not letters');
  await (await app.$t('open-mark-sent')).waitForEnabled({ timeout: 10_000 });
  await app.shot('chased');
  await (await app.$t('filter-all')).click();
  await app.browser.waitUntil(async () => (await app.browser.$$('[data-testid="campaign-row"]')).length > 2);
  await app.browser.pause(300);
  await app.shot('campaign-progress');
});
