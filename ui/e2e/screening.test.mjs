// Restricted-party screening in the real app: a compliance manager imports the real BIS Denied
// Persons List through the dialog (a malformed copy first, refused with its line), sees the
// version with its counts, finds the two customers named like listed parties among the hits,
// reviews one side by side and dismisses it with a reason, confirms the other from its customer
// page, and the order check then HOLDs. Last, the real OFAC SDN files (three together) are
// imported through the dialog and the time is printed. docs/screening-*.png are screenshots
// from this test (artifacts/e2e/screening-*-lists-two.png and -hit-review.png).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { launchPrepared } from './harness.mjs';
import { checkOrder, nav, queueFilePick, textOf, textsOf } from './steps.mjs';

const LISTS = resolve('../../shared/domain/lists');
let app;

before(async () => {
  app = await launchPrepared('screening', (cli) => {
    const as = ['--as', 'mia@example.com'];
    cli(...as, 'demo', '--customers', '200', '--seed', '5');
    for (const [name, country, ext] of [
      ['Drayworth Electronics Ltd', 'GB', 'SCR-1'],
      ['Caspian Industrial Machinery Supply LLC', 'AE', 'SCR-2'],
    ]) {
      cli(...as, 'customer', 'add', '--name', name, '--country', country, '--type', 'distributor',
        '--external-id', ext);
    }
  });
});
after(async () => app?.close());

async function waitText(testid, re, timeout = 20_000) {
  let last = '';
  await app.browser
    .waitUntil(async () => re.test((last = await textOf(app, testid))), { timeout })
    .catch(() => assert.fail(`${testid}: ${re} not in "${last}"`));
  return last;
}

test('the lists page starts empty and a malformed list is refused with its line', async () => {
  await (await app.$t('home')).waitForDisplayed({ timeout: 20_000 });
  await nav(app, 'lists');
  await (await app.$t('list-empty')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('list-import-open')).click();
  await (await app.$t('list-kind')).selectByAttribute('value', 'dpl');
  const bad = join(app.dir, 'dpl.txt');
  const lines = readFileSync(join(LISTS, 'dpl-2022.txt'), 'utf8').split('\n');
  lines[5] = 'just\tthree\tcolumns';
  writeFileSync(bad, lines.join('\n'));
  await queueFilePick(app, [bad]);
  await (await app.$t('list-choose')).click();
  // The shell answers the dialog asynchronously: wait for the picked file's name to show.
  await app.browser
    .waitUntil(async () => (await textsOf(app, 'list-files')).length > 0, { timeout: 5_000 })
    .catch(() => {});
  assert.deepEqual(await textsOf(app, 'list-files'), ['dpl.txt']);
  await (await app.$t('list-import-confirm')).click();
  const err = await waitText('list-import-error', /line 6/);
  assert.match(err, /Nothing was imported/);
  await app.shot('list-refused');
});

test('a manager imports the real Denied Persons List and sees the version with its counts', async () => {
  await queueFilePick(app, [join(LISTS, 'dpl-2022.txt')]);
  await (await app.$t('list-choose')).click();
  const started = performance.now();
  await (await app.$t('list-import-confirm')).click();
  const done = await waitText('list-import-done', /Re-screened/, 60_000);
  console.log(`DPL import through the UI (click to result): ${Math.round(performance.now() - started)} ms`);
  assert.match(done, /Re-screened 202 customers: 2 new hits/);
  await app.shot('list-imported');
  await (await app.$t('list-import-close')).click();

  const row = await app.browser.$('[data-testid="list-version"][data-kind="dpl"]');
  await row.waitForDisplayed({ timeout: 10_000 });
  const entries = Number((await textOf(app, 'list-entries')).replace(/,/g, ''));
  assert.ok(entries > 400 && entries < 581, `entries: ${entries}`);
  assert.match(await row.getText(), /Current/);
  await app.browser.pause(200);
  await app.shot('lists');
});

test('the two customers named like listed parties are open hits', async () => {
  await nav(app, 'screening');
  await (await app.$t('hit-row')).waitForDisplayed({ timeout: 10_000 });
  const rows = await textsOf(app, 'hit-row');
  assert.equal(rows.length, 2, rows.join('\n'));
  assert.ok(rows.some((r) => r.includes('Drayworth Electronics Ltd') && r.includes('DRAYWORTH ELECTRONICS LTD.')));
  assert.ok(rows.some((r) => r.includes('Caspian Industrial Machinery Supply LLC')));

  await (await app.$t('screen-everyone')).click();
  await waitText('screen-report', /Screened 202 customers: 0 new hits/);
  await app.shot('screening-open');
});

test('the manager reviews a hit side by side and dismisses it with a reason', async () => {
  // WebKitWebDriver refuses to click a <tr> itself ("not interactable"): click the row's
  // customer cell, as a user would.
  const row = await app.browser.$('//*[@data-testid="hit-row"][contains(., "Drayworth")]/td[1]');
  await row.click();
  await (await app.$t('hit-entry')).waitForDisplayed({ timeout: 10_000 });
  assert.match(await textOf(app, 'hit-customer'), /Drayworth Electronics Ltd.*United Kingdom/);
  assert.match(await textOf(app, 'hit-entry'), /DRAYWORTH ELECTRONICS LTD\..*DPL/);
  const marks = await textsOf(app, 'matched-token');
  assert.ok(marks.some((m) => /Drayworth Electronics/i.test(m)), marks.join('|'));
  await app.browser.pause(200);
  await app.shot('hit-review');

  await (await app.$t('hit-dismiss')).click();
  // The core refuses a dismissal without a reason; the app words it ("Reason is required.").
  assert.match(await textOf(app, 'hit-error'), /^Reason is required\.$/);
  await (await app.$t('hit-reason')).setValue('Different company: UK registration and address checked');
  await (await app.$t('hit-dismiss')).click();
  await waitText('hit-decided', /Dismissed.*registration and address checked/);
  await app.browser.pause(200);
  await app.shot('hit-dismissed');

  await (await app.browser.$('button=Back')).click();
  await app.browser.waitUntil(async () => (await textsOf(app, 'hit-row')).length === 1, { timeout: 10_000 });
  await (await app.$t('hit-filter-dismissed')).click();
  await app.browser.waitUntil(
    async () => (await textsOf(app, 'hit-row')).some((r) => r.includes('Drayworth')),
    { timeout: 10_000 },
  );
});

test('confirming the other hit from its customer page blocks the customer and the order holds', async () => {
  await nav(app, 'customers');
  await (await app.$t('customer-search')).setValue('Caspian');
  const row = await app.browser.$('//*[@data-testid="customer-row"][contains(., "Caspian")]');
  await row.waitForDisplayed({ timeout: 10_000 });
  await row.click();
  const badge = await app.browser.$('[data-testid="customer-state"] [data-testid="state-badge"]');
  await badge.waitForDisplayed({ timeout: 10_000 });
  assert.equal(await badge.getAttribute('data-state'), 'screening_hit');
  await (await app.$t('customer-hit')).scrollIntoView({ block: 'center' });
  await app.browser.pause(200);
  await app.shot('customer-hits');
  await (await app.$t('customer-hit')).click();

  await (await app.$t('hit-confirm')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('hit-confirm')).click();
  await (await app.$t('hit-confirm-block')).click();
  await waitText('hit-decided', /Confirmed/);
  assert.match(await textOf(app, 'hit-customer-status'), /Blocked.*Restricted party/);
  await app.browser.pause(200);
  await app.shot('hit-confirmed');

  await nav(app, 'check');
  await checkOrder(app, 'Caspian Industrial');
  assert.equal(await textOf(app, 'check-decision'), 'HOLD');
  await app.shot('check-hold');
});

test('the real OFAC SDN files import together through the dialog', async () => {
  await nav(app, 'lists');
  await (await app.$t('list-import-open')).click();
  await (await app.$t('list-kind')).selectByAttribute('value', 'sdn');
  await queueFilePick(app, ['sdn.csv', 'alt.csv', 'add.csv'].map((f) => join(LISTS, 'ofac-sdn-2021', f)));
  await (await app.$t('list-choose')).click();
  const started = performance.now();
  await (await app.$t('list-import-confirm')).click();
  await (await app.$t('list-progress')).waitForDisplayed({ timeout: 10_000 });
  await app.shot('sdn-progress');
  const done = await waitText('list-import-done', /Re-screened/, 180_000);
  console.log(`SDN import through the UI (click to result): ${Math.round(performance.now() - started)} ms`);
  assert.match(done, /8,976 entries/);
  await (await app.$t('list-import-close')).click();
  await app.browser.waitUntil(async () => (await textsOf(app, 'list-version')).length === 2, { timeout: 10_000 });
  await app.browser.pause(200);
  await app.shot('lists-two');
});

test('a manager sees what a new threshold would open and close before saving it', async () => {
  await nav(app, 'screening');
  await (await app.browser.$('[data-testid="threshold-policy"] summary')).click();
  await waitText('threshold-current', /^85$/);
  const input = await app.$t('threshold-input');
  await input.clearValue();
  await input.setValue('60');
  await (await app.$t('threshold-preview')).click();
  const effect = await waitText('threshold-effect', /would open/, 60_000);
  assert.match(effect, /At 60 \(now 85\), of 202 customers/);
  await app.browser.pause(200);
  await app.shot('threshold-effect');

  // A stricter one: shown, then saved; the core re-screens everyone and the policy reads 95.
  await input.clearValue();
  await input.setValue('95');
  await (await app.$t('threshold-preview')).click();
  await waitText('threshold-effect', /At 95 \(now 85\)/, 60_000);
  await (await app.$t('threshold-save')).click();
  await waitText('threshold-saved', /Threshold saved and everyone re-screened/, 60_000);
  await waitText('threshold-current', /^95$/);
  await app.browser.pause(200);
  await app.shot('threshold-saved');
});

test('the webview can neither open a file dialog itself nor hand a command a path', async () => {
  const outcome = (cmd, args) =>
    app.browser.executeAsync(
      (c, a, done) => {
        window.__TAURI_INTERNALS__
          .invoke(c, a)
          .then(() => done('accepted'))
          .catch((e) => done(`refused: ${typeof e === 'string' ? e : JSON.stringify(e)}`));
      },
      cmd,
      args,
    );
  // No dialog permission: the shell opens dialogs, never the page.
  assert.match(await outcome('plugin:dialog|open', { options: {} }), /^refused/);
  // A path where a file token goes does not pass, and a forged token is refused by name.
  assert.match(
    await outcome('import_customers', { input: { file: '/etc/passwd', dryRun: true }, onProgress: null }),
    /^refused/,
  );
  assert.match(
    await outcome('export_customers', { input: { file: '0190d1c4-0000-7000-8000-000000000000' } }),
    /bad_file_token/,
  );
});
