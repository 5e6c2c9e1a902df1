// The end-to-end flows on one database: import (bad file refused with line numbers, good
// file imported), a visit with a red flag, an attestation with a PDF, four-eyes refusal and a
// second manager's approval, the home screen reflecting it, and the order check HOLD then CLEAR.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch } from './harness.mjs';
import { badCsv, goodCsv } from './fixtures.mjs';
import { checkOrder, createProfile, fillAttestation, nav, pickCustomer, queueFilePick, switchUser, textOf, textsOf } from './steps.mjs';

let app;
before(async () => {
  app = await launch('flows');
});
after(async () => app?.close());

test('first run: a compliance manager starts with an empty database', async () => {
  await createProfile(app, { name: 'Mia Manager', email: 'mia@example.com', role: 'compliance_manager' });
  await (await app.$t('start-empty')).click();
  await (await app.$t('home')).waitForDisplayed({ timeout: 10_000 });
});

test('a CSV with bad rows is refused, listing each bad line, and nothing is imported', async () => {
  await nav(app, 'customers');
  await (await app.$t('list-empty')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('import-open')).click();
  await queueFilePick(app, [badCsv(app.dir)]);
  await (await app.$t('import-choose')).click();
  const box = await app.$t('import-errors');
  await box.waitForDisplayed({ timeout: 10_000 });
  const lines = await textsOf(app, 'import-error-row');
  assert.ok(lines.some((l) => l.startsWith('line 3')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('line 4')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('line 5')), lines.join('\n'));
  assert.equal(await (await app.$t('import-confirm')).isEnabled(), false);
  await app.shot('import-refused');
});

test('a good CSV is previewed, then imported; customer text shows literally', async () => {
  await queueFilePick(app, [goodCsv(app.dir)]);
  await (await app.$t('import-choose')).click();
  await (await app.$t('import-preview')).waitForDisplayed({ timeout: 10_000 });
  assert.match(await textOf(app, 'import-preview'), /4 rows are valid: 4 new/);
  await app.shot('import-preview');
  await (await app.$t('import-confirm')).click();
  await (await app.$t('import-done')).waitForDisplayed({ timeout: 10_000 });
  await app.browser.keys('Escape');
  await app.browser.waitUntil(async () => /^4 customers/.test(await textOf(app, 'customer-total')));
  const names = await textsOf(app, 'customer-row');
  assert.ok(names.some((n) => n.includes('<img src=x onerror=alert(1)>')), names.join('\n'));
  assert.ok(names.some((n) => n.includes('深圳市华强电子有限公司')));
  await app.shot('customers-imported');
});

test('a manager adds a second manager and a rep', async () => {
  await nav(app, 'settings');
  for (const [name, email, role] of [
    ['Max Second', 'max@example.com', 'compliance_manager'],
    ['Ravi Rep', 'ravi@example.com', 'sales_rep'],
  ]) {
    await (await app.browser.$('#new-name')).setValue(name);
    await (await app.browser.$('#new-email')).setValue(email);
    await (await app.browser.$('#new-role')).selectByAttribute('value', role);
    await (await app.$t('add-user')).click();
    await app.browser.waitUntil(async () => (await textOf(app, 'users')).includes(email));
  }
});

test('a visit with a red flag opens it on the customer', async () => {
  await nav(app, 'visit');
  await pickCustomer(app, 'Kowloon Parts Trading Ltd');
  await (await app.$t('visit-notes')).setValue('Buyer would not say who the end user is.');
  await (await app.$t('flag-TS-02')).click();
  await app.shot('visit-form');
  await (await app.$t('visit-submit')).click();
  await (await app.$t('visit-saved')).waitForDisplayed({ timeout: 10_000 });
  assert.match(await textOf(app, 'visit-saved'), /1 red flag/);
  await (await app.browser.$('button=Open customer')).click();
  const badge = await app.browser.$('[data-testid="customer-state"] [data-testid="state-badge"]');
  await badge.waitForDisplayed({ timeout: 10_000 });
  assert.equal(await badge.getAttribute('data-state'), 'red_flag_open');
  await app.shot('customer-red-flag');
});

test('the order check holds an uncovered tier-1 item', async () => {
  await nav(app, 'check');
  await checkOrder(app, '深圳市华强电子有限公司');
  assert.equal(await textOf(app, 'check-decision'), 'HOLD');
  assert.match(await textOf(app, 'check-result'), /not_covered/);
  await app.shot('check-hold');
});

test('an attestation with a PDF is logged; field errors show beside the field', async () => {
  await nav(app, 'attestation');
  await pickCustomer(app, '深圳市华强电子有限公司');
  await (await app.$t('attestation-submit')).click();
  await (await app.$t('error-signatory_name')).waitForDisplayed({ timeout: 10_000 });
  await app.shot('attestation-field-error');
  await fillAttestation(app);
  await app.shot('attestation-form');
  await (await app.$t('attestation-submit')).click();
  await (await app.$t('attestation-saved')).waitForDisplayed({ timeout: 10_000 });
  assert.match(await textOf(app, 'attestation-saved'), /1 document/);
});

test('the logging manager may not approve: the four-eyes refusal is explained', async () => {
  await nav(app, 'reviews');
  await (await app.$t('review-detail')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('four-eyes-note')).waitForDisplayed();
  await (await app.$t('pdf-page')).waitForExist({ timeout: 15_000 });
  await (await app.$t('review-approve')).click();
  const err = await textOf(app, 'review-error');
  assert.match(err, /Refused/);
  await app.shot('review-four-eyes');
});

test('a second manager approves, and the home screen and order check reflect it', async () => {
  await switchUser(app, 'Max Second');
  assert.equal(await textOf(app, 'tile-reviews'), '1');
  await nav(app, 'reviews');
  await (await app.$t('review-detail')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('pdf-page')).waitForExist({ timeout: 15_000 });
  await app.browser.pause(300);
  await app.shot('review-with-pdf');
  await (await app.$t('review-approve')).click();
  await (await app.$t('review-notice')).waitForDisplayed({ timeout: 10_000 });

  await nav(app, 'home');
  await app.browser.waitUntil(async () => (await textOf(app, 'tile-reviews')) === '0', { timeout: 10_000 });
  const covered = await textOf(app, 'count-covered');
  assert.match(covered, /Covered\s*1/);
  await app.shot('home-after-approval');

  await nav(app, 'check');
  await checkOrder(app, '深圳市华强电子有限公司');
  assert.equal(await textOf(app, 'check-decision'), 'CLEAR');
  await app.shot('check-clear');
});

test('the audit chain verifies', async () => {
  await nav(app, 'audit');
  await (await app.$t('verify-chain')).click();
  const report = await app.$t('chain-report');
  await report.waitForDisplayed({ timeout: 10_000 });
  assert.equal(await report.getAttribute('data-ok'), 'true');
  await app.shot('audit');
});
