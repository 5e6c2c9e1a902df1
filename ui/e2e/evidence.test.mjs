// Evidence for audits in the real app (issue 18): an order check recorded under its order
// reference, its HOLD released by a compliance manager with a reason and shown in the log; the
// letters register filtered and exported as CSV; an evidence pack saved from the customer page
// whose manifest verifies (`enduse evidence verify`, as the pack's README says).
// The database is prepared with the CLI: a compliance manager, 80 demo customers and one
// customer with no attestation (so its order check holds).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchPrepared } from './harness.mjs';
import { nav, pickCustomer, queueFilePick, textOf, textsOf } from './steps.mjs';

let app;
let cli;

before(async () => {
  app = await launchPrepared('evidence', (run) => {
    run('demo', '--customers', '80');
    run(
      '--as', 'mia@example.com', 'customer', 'add', '--name', 'Harbour Gate Trading Ltd',
      '--country', 'HK', '--type', 'distributor', '--external-id', 'HG-1',
    );
  });
  cli = app.cli;
});
after(async () => app?.close());

test('an order check is recorded under its order, and a manager releases the HOLD with a reason', async () => {
  await (await app.$t('home')).waitForDisplayed({ timeout: 30_000 });
  await nav(app, 'check');
  await (await app.$t('check-order')).setValue('SO-4711');
  await pickCustomer(app, 'Harbour Gate Trading Ltd');
  await (await app.$t('check-hs')).setValue('854231');
  await (await app.$t('check-submit')).click();
  const result = await app.$t('check-result');
  await result.waitForDisplayed({ timeout: 10_000 });
  assert.equal(await result.getAttribute('data-decision'), 'HOLD');
  assert.match(await textOf(app, 'check-recorded'), /SO-4711/);
  await app.browser.waitUntil(async () => (await textsOf(app, 'log-order')).includes('SO-4711'), {
    timeout: 10_000,
    timeoutMsg: 'the check never reached the log',
  });
  await (await app.$t('release-open')).click();
  await (await app.$t('release-reason')).setValue('Licence HK-2026-031 granted');
  await (await app.$t('release-confirm')).click();
  await app.browser.waitUntil(async () => (await textsOf(app, 'log-released')).length === 1, {
    timeout: 10_000,
    timeoutMsg: 'the release was never shown',
  });
  const released = (await textsOf(app, 'log-released'))[0];
  assert.match(released, /Mia Manager/);
  assert.match(released, /Licence HK-2026-031 granted/);
  await app.shot('order-check-log');

  // The log the CLI reads is the same record.
  const rows = JSON.parse(cli('check', 'list', '--result', 'released', '--json'));
  assert.equal(rows.length, 1);
  assert.equal(rows[0].orderRef, 'SO-4711');
  assert.equal(rows[0].releaseReason, 'Licence HK-2026-031 granted');
});

test('the letters register filters every letter and exports what it shows as CSV', async () => {
  await nav(app, 'letter-register');
  const total = async () => Number((await textOf(app, 'register-total')).replace(/\D/g, ''));
  await app.browser.waitUntil(async () => (await total()) > 0, { timeout: 15_000, timeoutMsg: 'no letters' });
  const all = await total();
  assert.equal(all, JSON.parse(cli('letter', 'list', '--json', '--limit', '1')).total);
  assert.ok((await textsOf(app, 'register-row')).length > 0);
  await app.shot('letters-register');

  await (await app.$t('register-status')).selectByAttribute('value', 'overdue');
  const overdue = JSON.parse(cli('letter', 'list', '--status', 'overdue', '--json', '--limit', '1')).total;
  await app.browser.waitUntil(async () => (await total()) === overdue, {
    timeout: 10_000,
    timeoutMsg: `the register never showed ${overdue} overdue letters`,
  });
  const file = join(app.dir, 'overdue-letters.csv');
  await queueFilePick(app, [file]);
  await (await app.$t('register-export')).click();
  await (await app.$t('register-notice')).waitForDisplayed({ timeout: 10_000 });
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  assert.match(lines[0], /^letter_id,customer_id,external_id,customer,country,owner,campaign/);
  assert.equal(lines.length, overdue + 1);
  assert.ok(lines.slice(1).every((l) => l.includes(',overdue,')));
});

test('an evidence pack saved from the customer page verifies against its manifest', async () => {
  await nav(app, 'customers');
  await (await app.$t('customer-search')).setValue('Harbour Gate');
  const row = await app.browser.$('//*[@data-testid="customer-row"][contains(., "Harbour Gate Trading Ltd")]');
  await row.waitForExist({ timeout: 10_000 });
  await row.click();
  await (await app.$t('customer-page')).waitForDisplayed({ timeout: 10_000 });
  const zip = join(app.dir, 'harbour-gate-evidence.zip');
  await queueFilePick(app, [zip]);
  await (await app.$t('customer-evidence')).click();
  await (await app.$t('evidence-notice')).waitForDisplayed({ timeout: 30_000 });
  await app.shot('evidence-pack-saved');
  assert.ok(existsSync(zip));
  const verified = cli('evidence', 'verify', zip);
  assert.match(verified, /^OK: \d+ files match SHA256SUMS and the manifest/);
  const trail = JSON.parse(cli('audit', 'list', '--json', '--limit', '5'));
  assert.ok(JSON.stringify(trail).includes('export.evidence'));
});
