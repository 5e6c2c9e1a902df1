// NOT YET RUN: written against the new screens but never executed against the real app (the build
// did not finish in time). Rename to customers.test.mjs once it passes under ./dev e2e.
// A customer's life in the real app: added through the form (a hostile name shows literally),
// edited, put on hold (the order check then HOLDs with that reason) and archived; a large CSV
// imported with progress, and a bad one refused with its row numbers and nothing written.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch } from './harness.mjs';
import { badCsv } from './fixtures.mjs';
import { checkOrder, createProfile, nav, pickCountry, queueFilePick, textOf, textsOf } from './steps.mjs';

const XSS = '<img src=x onerror=alert(1)>';
const LARGE = 6_000;
/** As the app writes it (1,234). */
const LARGE_TEXT = LARGE.toLocaleString('en-GB');

let app;
before(async () => {
  app = await launch('customers');
});
after(async () => app?.close());

async function stateOnPage() {
  const badge = await app.browser.$('[data-testid="customer-state"] [data-testid="state-badge"]');
  await badge.waitForDisplayed({ timeout: 10_000 });
  return badge.getAttribute('data-state');
}

/** Images in the page whose source is `x`: there must be none (the name is text, not markup). */
async function injectedImages() {
  return app.browser.execute(() => document.querySelectorAll('img[src="x"]').length);
}

test('first run: a compliance manager starts with an empty database', async () => {
  await createProfile(app, { name: 'Mia Manager', email: 'mia@example.com', role: 'compliance_manager' });
  await (await app.$t('start-empty')).click();
  await (await app.$t('home')).waitForDisplayed({ timeout: 10_000 });
});

test('the add form names each missing field, then adds a customer whose markup name shows literally', async () => {
  await nav(app, 'customers');
  await (await app.$t('customer-add')).click();
  await (await app.$t('customer-form')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('customer-save')).click();
  await (await app.$t('error-cf-name')).waitForDisplayed({ timeout: 5_000 });
  assert.match(await textOf(app, 'error-cf-country'), /Choose a country/);
  assert.match(await textOf(app, 'error-cf-customer_type'), /Choose a type/);
  await app.shot('add-form-missing');

  await (await app.$t('cf-name')).setValue(XSS);
  await pickCountry(app, 'germ', 'Germany (DE)');
  await (await app.$t('cf-type')).selectByAttribute('value', 'oem');
  await (await app.$t('cf-city')).setValue('Berlin');
  await app.shot('add-form-filled');
  await (await app.$t('customer-save')).click();

  await (await app.$t('customer-page')).waitForDisplayed({ timeout: 10_000 });
  assert.equal(await textOf(app, 'customer-name'), XSS);
  assert.equal(await injectedImages(), 0);
  await app.shot('customer-added-literal-name');
});

test('editing the customer shows the change on its page', async () => {
  await (await app.$t('customer-edit')).click();
  await (await app.$t('customer-form')).waitForDisplayed({ timeout: 10_000 });
  const city = await app.$t('cf-city');
  await browserClear(city);
  await city.setValue('Hamburg');
  await pickCountry(app, 'hong', 'Hong Kong');
  await (await app.$t('customer-save')).click();
  await (await app.$t('customer-page')).waitForDisplayed({ timeout: 10_000 });
  await app.browser.waitUntil(async () => (await textOf(app, 'customer-page')).includes('Hamburg'), {
    timeout: 10_000,
  });
  const page = await textOf(app, 'customer-page');
  assert.match(page, /Hong Kong/);
  assert.ok(!page.includes('Berlin'), 'the old city is gone');
  await app.shot('customer-edited');
});

test('a customer put on hold shows it, and the order check HOLDs with that reason', async () => {
  await (await app.$t('customer-status')).click();
  await (await app.$t('status-dialog')).waitForDisplayed({ timeout: 5_000 });
  await (await app.$t('status-on_hold')).click();
  await (await app.$t('status-save')).click();
  // The core requires a reason: shown beside the field.
  await (await app.$t('error-status-reason')).waitForDisplayed({ timeout: 5_000 });
  await (await app.$t('status-reason')).setValue('End-user audit pending');
  await app.shot('status-dialog');
  await (await app.$t('status-save')).click();
  await app.browser.waitUntil(async () => (await stateOnPage()) === 'on_hold', { timeout: 10_000 });
  assert.match(await textOf(app, 'state-reasons'), /on hold: End-user audit pending/);
  await app.shot('customer-on-hold');

  await nav(app, 'check');
  await checkOrder(app, 'img src', '8471.30');
  assert.equal(await textOf(app, 'check-decision'), 'HOLD');
  const result = await textOf(app, 'check-result');
  assert.match(result, /customer_on_hold/);
  assert.match(result, /End-user audit pending/);
  assert.equal(await injectedImages(), 0);
  await app.shot('check-hold-on-hold');
});

test('a bad CSV is refused with its row numbers and nothing is written', async () => {
  await nav(app, 'customers');
  await (await app.$t('customer-table')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('import-open')).click();
  await queueFilePick(app, [badCsv(app.dir)]);
  await (await app.$t('import-choose')).click();
  await (await app.$t('import-errors')).waitForDisplayed({ timeout: 10_000 });
  const lines = await textsOf(app, 'import-error-row');
  for (const n of [3, 4, 5]) assert.ok(lines.some((l) => l.startsWith(`line ${n}`)), lines.join('\n'));
  assert.equal(lines.length, 3, lines.join('\n'));
  assert.equal(await (await app.$t('import-confirm')).isEnabled(), false);
  await app.shot('import-bad-refused');
  await app.browser.keys('Escape');
  await app.browser.waitUntil(async () => /^1 customer\b/.test(await textOf(app, 'customer-total')));
});

test(`a ${LARGE.toLocaleString('en')}-row CSV shows progress while it is checked and imported`, async () => {
  const file = join(app.dir, 'large.csv');
  const rows = ['name,country,type,city,external_id'];
  for (let i = 0; i < LARGE; i++) rows.push(`Bulk Customer ${i},SG,distributor,Singapore,BULK-${i}`);
  writeFileSync(file, rows.join('\n') + '\n');

  await (await app.$t('import-open')).click();
  await queueFilePick(app, [file]);
  await (await app.$t('import-choose')).click();
  await (await app.$t('import-preview')).waitForDisplayed({ timeout: 60_000 });
  assert.match(await textOf(app, 'import-preview'), new RegExp(`${LARGE_TEXT} rows are valid: ${LARGE_TEXT} new`));
  const previewUpdates = Number(await (await app.$t('import-preview')).getAttribute('data-progress-updates'));
  assert.ok(previewUpdates >= LARGE / 250, `preview reported progress ${previewUpdates} times`);

  await (await app.$t('import-confirm')).click();
  // Catch the bar while rows are written (a screenshot of it for the record).
  const label = await app.$t('import-progress-label');
  await label.waitForDisplayed({ timeout: 10_000 });
  await app.browser
    .waitUntil(async () => /Writing customers: [1-9]/.test(await textOf(app, 'import-progress-label')), {
      timeout: 20_000,
      interval: 50,
    })
    .then(() => app.shot('import-progress'))
    .catch(() => {});
  await (await app.$t('import-done')).waitForDisplayed({ timeout: 120_000 });
  assert.match(await textOf(app, 'import-done'), new RegExp(`Imported ${LARGE_TEXT} rows: ${LARGE_TEXT} new`));
  const updates = Number(await (await app.$t('import-done')).getAttribute('data-progress-updates'));
  assert.ok(updates >= (2 * LARGE) / 250, `import reported progress ${updates} times`);
  await app.shot('import-done');
  await app.browser.keys('Escape');
  await app.browser.waitUntil(async () => (await textOf(app, 'customer-total')).startsWith(`${(LARGE + 1).toLocaleString('en-GB')} customers`), {
    timeout: 10_000,
  });
});

test('the markup name shows literally in the table too, and archiving hides the customer', async () => {
  const search = await app.$t('customer-search');
  await search.setValue('img src');
  await app.browser.waitUntil(async () => /^1 customer\b/.test(await textOf(app, 'customer-total')), {
    timeout: 10_000,
  });
  const names = await textsOf(app, 'customer-row');
  assert.ok(names[0].includes(XSS), names.join('\n'));
  assert.equal(await injectedImages(), 0);
  await app.shot('table-literal-name');

  await (await app.$t('customer-row')).click();
  await (await app.$t('customer-archive')).click();
  await (await app.$t('archive-confirm')).click();
  await (await app.$t('archived-banner')).waitForDisplayed({ timeout: 10_000 });
  await app.shot('customer-archived');
  await nav(app, 'customers');
  await app.browser.waitUntil(async () => (await textOf(app, 'customer-total')).startsWith(`${LARGE.toLocaleString('en-GB')} customers`), {
    timeout: 10_000,
  });
});

/** Clears an input the way a person does (select all, delete), so Svelte's binding sees it. */
async function browserClear(el) {
  await el.click();
  await app.browser.keys(['Control', 'a']);
  await app.browser.keys('Backspace');
}
