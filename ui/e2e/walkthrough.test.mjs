// The walk-through as a rep and as a manager (issue 21), as a user meets it in the real app:
// which customer a form is about, "log another" starting clean, search that ignores punctuation
// and spaces between Chinese characters, whole-form validation in the user's words, the one date
// input, "China, Hong Kong" as destinations, the review panel's not-affirmed clauses and its
// confirmation without a document, the audit screen's filters, folded runs and CSV export,
// disabling a user, and opening a stored document with the desktop's viewer.
// The database is prepared with the CLI: Mia Manager (signed in), Max Second (manager), Ravi Rep,
// two customers with one name, a Beijing customer, and a three-letter campaign.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchPrepared } from './harness.mjs';
import { signedPdf } from './fixtures.mjs';
import { nav, queueFilePick, switchUser, textOf, textsOf } from './steps.mjs';

let app;
let opened;

before(async () => {
  const prepare = (cli) => {
    cli('--as', 'mia@example.com', 'user', 'add', '--name', 'Max Second', '--email', 'max@example.com', '--role', 'compliance_manager');
    cli('--as', 'mia@example.com', 'user', 'add', '--name', 'Ravi Rep', '--email', 'ravi@example.com', '--role', 'sales_rep');
    const add = (...fields) => cli('--as', 'mia@example.com', 'customer', 'add', '--type', 'distributor', ...fields);
    add('--name', 'Kowloon Parts Trading Ltd', '--country', 'HK', '--city', 'Kowloon', '--external-id', 'KP-1');
    add('--name', 'Kowloon Parts Trading Ltd', '--country', 'HK', '--city', 'Tsuen Wan', '--external-id', 'KP-2');
    add('--name', '北京博远电子有限公司', '--english-name', 'Beijing Boyuan Electronics Co., Ltd.', '--country', 'CN', '--city', 'Beijing', '--external-id', 'BJ-1');
    cli('--as', 'mia@example.com', 'campaign', 'create', '--name', 'Q4 reminder', '--country', 'HK', '--type', 'distributor');
  };
  // The desktop's opener, as the app finds it on PATH: records what it was asked to open.
  const opener = ({ dir }) => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    opened = join(dir, 'opened.txt');
    const script = join(bin, 'xdg-open');
    writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`);
    chmodSync(script, 0o755);
    return { PATH: `${bin}:${process.env.PATH}` };
  };
  app = await launchPrepared('walkthrough', prepare, opener);
  await (await app.$t('home')).waitForDisplayed({ timeout: 30_000 });
});
after(async () => app?.close());

/** Chooses an option of a select as the user's pick does: the value changes, then `change`. */
async function choose(testid, value) {
  const el = await app.$t(testid);
  await app.browser.execute(
    (select, v) => {
      select.value = v;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    },
    el,
    value,
  );
}

/** Chooses a customer in the picker by external id (the name alone is not unique here). */
async function pickById(externalId) {
  const input = await app.$t('customer-picker');
  await input.click();
  await input.setValue(externalId);
  const option = await app.browser.$(`//*[contains(@class, "picker-item")][contains(., "${externalId}")]`);
  await option.waitForExist({ timeout: 5_000 });
  await option.click();
}

async function search(text) {
  const box = await app.$t('customer-search');
  await box.clearValue();
  await box.setValue(text);
}

async function waitForText(testid, re, timeout = 10_000) {
  let last = '';
  await app.browser
    .waitUntil(async () => re.test((last = await textOf(app, testid))), { timeout })
    .catch(() => assert.fail(`${testid} never matched ${re}: "${last}"`));
  return last;
}

test('search ignores punctuation, legal forms and spaces between Chinese characters', async () => {
  await nav(app, 'customers');
  for (const text of ['Beijing Boyuan Electronics Co Ltd', 'beijing boyuan electronics', '北京 博远']) {
    await search(text);
    await waitForText('customer-total', /^1 customer\b/);
    assert.match(await textOf(app, 'customer-row'), /北京博远电子有限公司/, text);
  }
  await app.shot('search-chinese-spaces');
});

test('a visit started from a customer names that customer, and "log another" starts clean', async () => {
  await search('KP-2');
  await waitForText('customer-row', /Tsuen Wan|KP-2/);
  await waitForText('customer-total', /^1 customer\b/);
  await (await app.$t('customer-row')).click();
  await (await app.$t('customer-page')).waitForDisplayed({ timeout: 10_000 });
  await (await app.browser.$('button=Log visit')).click();
  // The form carries the customer: its card names the city and the external id, so the two
  // "Kowloon Parts Trading Ltd" cannot be mixed up.
  const card = await waitForText('picked-customer', /Kowloon Parts Trading Ltd/);
  assert.match(card, /Tsuen Wan, Hong Kong/);
  assert.match(card, /KP-2/);
  await (await app.$t('visit-notes')).setValue('Asked who the end user is.');
  await (await app.$t('flag-TS-02')).click();
  await app.shot('visit-from-customer');
  await (await app.$t('visit-submit')).click();
  const saved = await waitForText('visit-saved', /recorded/);
  assert.match(saved, /Kowloon Parts Trading Ltd/);
  assert.match(saved, /KP-2/);
  assert.match(saved, /1 red flag/);
  await (await app.$t('visit-again')).click();
  await (await app.$t('visit-form')).waitForDisplayed({ timeout: 5_000 });
  assert.equal(await (await app.$t('visit-notes')).getValue(), '', 'notes start empty');
  assert.equal(await (await app.$t('flag-TS-02')).isSelected(), false, 'no red flag carried over');
  assert.equal(await (await app.$t('customer-picker')).getValue(), '', 'no customer carried over');
  assert.equal(await app.$t('picked-customer').then((e) => e.isExisting()), false);
});

test('the attestation form checks the whole form at once, in the user\u2019s words', async () => {
  await nav(app, 'attestation');
  await (await app.$t('attestation-form')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('attestation-submit')).click();
  await (await app.$t('error-signatory_name')).waitForDisplayed({ timeout: 10_000 });
  const errors = await textsOf(app, 'form-error');
  const shown = await app.browser.execute(() =>
    [...document.querySelectorAll('[data-testid^="error-"]')].map((e) => (e.textContent ?? '').trim()),
  );
  assert.ok(shown.length >= 3, `several fields at once: ${shown.join(' | ')}`);
  for (const message of shown) {
    assert.doesNotMatch(message, /[a-z]+_[a-z]+|\[\d+\]/, `no internal field names: ${message}`);
  }
  assert.ok(errors.every((e) => !/_/.test(e)), errors.join('|'));
  await app.shot('attestation-whole-form-errors');
  // Fixing a field clears its message without moving the form below it.
  // Where the button sits in the page's layout (offsets, so scrolling does not count).
  const top = () =>
    app.browser.execute(() => {
      let y = 0;
      for (let el = document.querySelector('[data-testid="attach-browse"]'); el; el = el.offsetParent) y += el.offsetTop;
      return y;
    });
  const before = await top();
  await (await app.$t('signatory-name')).setValue('Li Wei');
  await (await app.$t('hs-input')).setValue('8542');
  await (await app.$t('signatory-name')).click();
  await (await app.$t('hs-chip')).waitForDisplayed({ timeout: 5_000 });
  const afterFix = await top();
  assert.equal(afterFix, before, 'the "Choose file…" button stays where it was');
});

test('dates read and show as the app writes them, refuse impossible values, and empty looks empty', async () => {
  const signed = await app.browser.$('#signed_on');
  await signed.clearValue();
  await signed.setValue('2025-02-30');
  await (await app.$t('signatory-name')).click();
  await waitForText('error-signed_on', /\S/);
  await signed.clearValue();
  await signed.setValue('12345-01-01');
  await (await app.$t('signatory-name')).click();
  await waitForText('error-signed_on', /\S/);
  await signed.clearValue();
  await signed.setValue('2025-11-04');
  await (await app.$t('signatory-name')).click();
  await app.browser.waitUntil(async () => (await signed.getValue()) === '4 Nov 2025', {
    timeout: 5_000,
    timeoutMsg: 'an ISO date typed in one go shows as 4 Nov 2025',
  });
  assert.equal(await app.$t('error-signed_on').then((e) => e.isExisting()), false);
  const validUntil = await app.browser.$('#valid_until');
  assert.equal(await validUntil.getValue(), '', 'an empty "Valid until" holds no date');
  assert.equal(await validUntil.getAttribute('placeholder'), 'Policy default');
});

test('"China, Hong Kong" reads as two destinations and the attestation is logged', async () => {
  await pickById('BJ-1');
  await (await app.$t('destinations')).setValue('China, Hong Kong');
  await (await app.$t('signatory-name')).click();
  const hint = await app.browser.execute(() => document.body.textContent ?? '');
  assert.match(hint, /Reads as: China \(CN\), Hong Kong[^(),]*\(HK\)/);
  const clause = await app.browser.$('//label[contains(., "transfer to Russia or Belarus")]/input');
  assert.equal(await clause.isSelected(), true, 'the one clause the document affirms (ticked by default)');
  await app.shot('attestation-hong-kong');
  await (await app.$t('attestation-submit')).click();
  const saved = await waitForText('attestation-saved', /logged|submitted|saved/i);
  assert.match(saved, /北京博远电子有限公司|Beijing Boyuan/);
});

test('the reviewer sees what was not affirmed and confirms an approval without a document', async () => {
  await switchUser(app, 'Max Second');
  await nav(app, 'reviews');
  await (await app.$t('review-detail')).waitForDisplayed({ timeout: 10_000 });
  const notAffirmed = await textsOf(app, 'clause-not-affirmed');
  assert.equal(notAffirmed.length, 2, notAffirmed.join('|'));
  assert.ok(notAffirmed.every((t) => /not affirmed/i.test(t)), notAffirmed.join('|'));
  assert.equal((await textsOf(app, 'clause-affirmed')).length, 1);
  await (await app.$t('review-approve')).click();
  await waitForText('review-no-document', /No signed document is attached/);
  await (await app.$t('review-approve-confirm')).waitForDisplayed({ timeout: 5_000 });
  await app.shot('review-confirm-no-document');
  await (await app.$t('review-approve-confirm')).click();
  await (await app.$t('review-notice')).waitForDisplayed({ timeout: 10_000 });
});

test('a manager disables the rep, who can no longer be chosen, and enables him again', async () => {
  await nav(app, 'settings');
  const disable = await app.browser.$('[data-email="ravi@example.com"] [data-testid="disable-user"]');
  await disable.click();
  assert.match(await disable.getText(), /Yes, disable Ravi Rep/);
  await disable.click();
  await app.browser.waitUntil(
    async () => /Disabled/.test(await (await app.browser.$('[data-email="ravi@example.com"]')).getText()),
    { timeout: 10_000, timeoutMsg: 'Ravi never showed as disabled' },
  );
  await app.shot('settings-user-disabled');
  await (await app.$t('switch-user')).click();
  await (await app.browser.$('//*[@data-testid="pick-user"][contains(., "Mia Manager")]')).waitForExist({ timeout: 5_000 });
  const choices = await textsOf(app, 'pick-user');
  assert.ok(!choices.some((c) => /Ravi/.test(c)), `a disabled user cannot be picked: ${choices.join('|')}`);
  await (await app.browser.$('//*[@data-testid="pick-user"][contains(., "Max Second")]')).click();
  await (await app.$t('home')).waitForExist({ timeout: 10_000 });
  await nav(app, 'settings');
  await (await app.browser.$('[data-email="ravi@example.com"] [data-testid="enable-user"]')).click();
  await app.browser.waitUntil(
    async () => /Active/.test(await (await app.browser.$('[data-email="ravi@example.com"]')).getText()),
    { timeout: 10_000 },
  );
});

test('the audit screen folds a campaign, filters, shows changes in words and exports what it shows', async () => {
  await nav(app, 'audit');
  const rows = () => textsOf(app, 'audit-row');
  await app.browser.waitUntil(async () => (await rows()).length > 3, { timeout: 10_000, timeoutMsg: 'audit step 1' });
  // Switching user is in the trail, by name.
  const all = await rows();
  assert.ok(all.some((r) => /Max Second.*Signed in/.test(r)), all.slice(0, 5).join('\n'));
  assert.ok(all.some((r) => /User disabled/.test(r)), 'disabling Ravi is recorded');
  assert.ok(!all.some((r) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(r)), 'names, not ids');
  // The campaign's two letters are one line that opens.
  const run = await app.browser.$('[data-testid="audit-row"][data-action="letter.generate"]');
  assert.equal(await run.getAttribute('data-count'), '2');
  await (await run.$('[data-testid="audit-run-toggle"]')).click();
  await app.browser.waitUntil(async () => (await textsOf(app, 'audit-run-event')).length === 2, { timeout: 5_000 });
  // Filter by customer: only KP-2's events.
  await pickById('KP-2');
  await (await app.$t('audit-apply')).click();
  await app.browser.waitUntil(
    async () => {
      const r = await rows();
      return r.length > 0 && r.every((t) => /Tsuen Wan|Kowloon Parts Trading Ltd/.test(t));
    },
    { timeout: 10_000, timeoutMsg: 'the customer filter' },
  );
  const actions = await app.browser.execute(() =>
    [...document.querySelectorAll('[data-testid="audit-row"]')].map((e) => e.getAttribute('data-action')),
  );
  assert.deepEqual(actions, ['red_flag.observe', 'visit.log', 'letter.generate', 'customer.create']);
  await (await app.browser.$('[data-testid="audit-row"][data-action="customer.create"] button')).click();
  const changes = await textOf(app, 'audit-changes');
  assert.match(changes, /City\s*—\s*Tsuen Wan/);
  assert.match(changes, /External ID\s*—\s*KP-2/);
  await app.shot('audit-filtered-customer');
  // And by who and what.
  await choose('audit-filter-action', 'visit.log');
  await (await app.$t('audit-apply')).click();
  await app.browser.waitUntil(async () => (await rows()).length === 1, { timeout: 10_000, timeoutMsg: 'audit step 2' });
  const max = await app.browser.execute(
    () => [...document.querySelectorAll('[data-testid="audit-filter-user"] option')].find((o) => o.textContent === 'Max Second')?.value,
  );
  await choose('audit-filter-user', max);
  await (await app.$t('audit-apply')).click();
  await (await app.browser.$('//*[contains(., "No event matches these filters.")]')).waitForExist({ timeout: 10_000 });
  await (await app.$t('audit-clear')).click();
  await app.browser.waitUntil(async () => (await rows()).length > 3, { timeout: 10_000, timeoutMsg: 'audit step 3' });
  // Export what the filters select: the visits.
  await choose('audit-filter-action', 'visit.log');
  await (await app.$t('audit-apply')).click();
  await app.browser.waitUntil(async () => (await rows()).length === 1, { timeout: 10_000, timeoutMsg: 'audit step 4' });
  const file = join(app.dir, 'trail.csv');
  await queueFilePick(app, [file]);
  await (await app.$t('audit-export')).click();
  await waitForText('audit-exported', /Exported 1 event/);
  const csv = readFileSync(file, 'utf8').trim().split('\n');
  assert.match(csv[0], /^seq,at_utc,user,user_email,action,record,record_id,customer,changes,hash$/);
  assert.equal(csv.length, 2);
  assert.match(csv[1], /Mia Manager,mia@example.com,visit\.log,visit,.*Kowloon Parts Trading Ltd/);
  await (await app.$t('audit-clear')).click();
  await app.browser.waitUntil(async () => /Audit trail exported/.test((await rows())[0] ?? ''), { timeout: 10_000 });
  await app.shot('audit-after-export');
});

test('a stored document opens with the desktop\u2019s viewer from the customer page', async () => {
  await nav(app, 'attestation');
  await pickById('KP-1');
  await (await app.$t('signatory-name')).setValue('Chan Tai Man');
  await (await app.$t('destinations')).setValue('Hong Kong');
  await (await app.$t('hs-input')).setValue('8542');
  await app.browser.keys('Enter');
  await queueFilePick(app, [signedPdf(app.dir)]);
  await (await app.$t('attach-browse')).click();
  await (await app.$t('attached-doc')).waitForDisplayed({ timeout: 5_000 });
  await (await app.$t('attestation-submit')).click();
  await waitForText('attestation-saved', /1 document/);
  await (await app.browser.$('button=Open customer')).click();
  await (await app.$t('customer-attestations')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('open-document')).click();
  await app.browser.waitUntil(() => existsSync(opened), { timeout: 10_000, timeoutMsg: 'the viewer was never asked' });
  const path = readFileSync(opened, 'utf8').trim();
  assert.match(path, /enduse-documents\/[0-9a-f-]+\/signed-statement\.pdf$/);
  assert.deepEqual(readFileSync(path), readFileSync(signedPdf(app.dir)), 'the stored bytes, as signed');
  await app.shot('customer-document');
});

test('only the letters ticked in a campaign are marked sent; "mark all unsent" stays', async () => {
  await nav(app, 'campaigns');
  await (await app.browser.$('//*[@data-testid="campaign-item"][contains(., "Q4 reminder")]')).click();
  await waitForText('open-mark-sent', /Mark all 2 unsent as sent/);
  const ticks = await app.browser.$$('[data-testid="choose-letter"]');
  assert.equal(ticks.length, 2);
  await ticks[0].click();
  await waitForText('open-mark-sent', /Mark 1 chosen as sent/);
  await (await app.$t('open-mark-sent')).click();
  await waitForText('confirm-mark-sent', /Mark 1 letter sent/);
  await app.shot('campaign-mark-chosen');
  await (await app.$t('confirm-mark-sent')).click();
  await waitForText('campaign-notice', /^1 letter marked sent/);
  await waitForText('open-mark-sent', /Mark all 1 unsent as sent/);
  assert.equal((await app.browser.$$('[data-testid="choose-letter"]')).length, 1, 'one letter still to send');
});
