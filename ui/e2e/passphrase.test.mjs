// Identity proven, not typed (issues 14/16): in a database where an admin has set a passphrase,
// the app asks whoever is chosen for theirs, refuses a wrong one without acting, and lets the
// right one act. The database is protected with the CLI (`enduse user passphrase`) first.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { launchPrepared } from './harness.mjs';
import { nav, textOf } from './steps.mjs';

const CLI = process.env.ENDUSE_CLI ?? resolve('../target/debug/enduse');
const ADA = 'ada admin passphrase';
const MIA = 'mia manager passphrase';
const MIA_NEW = 'mia changed it herself';

let app;
let db;

/** The CLI on the test database, with the passphrase environment it reads. */
function cli(env, ...args) {
  return execFileSync(CLI, ['--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

before(async () => {
  // Mia (compliance manager) adds Ada (admin); Ada sets her own passphrase, which protects the
  // database, then Mia's. The app was last used by Mia (preparedDatabase remembers her).
  app = await launchPrepared('passphrase', (plain, prepared) => {
    db = prepared.db;
    plain('user', 'add', '--name', 'Ada Admin', '--email', 'ada@example.com', '--role', 'admin', '--as', 'mia@example.com');
    cli({ ENDUSE_NEW_PASSPHRASE: ADA }, '--as', 'ada@example.com', 'user', 'passphrase');
    cli(
      { ENDUSE_PASSPHRASE: ADA, ENDUSE_NEW_PASSPHRASE: MIA },
      '--as',
      'ada@example.com',
      'user',
      'passphrase',
      '--user',
      'mia@example.com',
    );
  });
});
after(async () => app?.close());

/** Events in the audit trail (the CLI reads without a passphrase). */
function eventCount() {
  return JSON.parse(cli({}, 'audit', 'log', '--limit', '1000', '--json')).length;
}

test('the remembered user is not signed in unproven: the app asks who you are', async () => {
  await (await app.$t('first-run')).waitForDisplayed({ timeout: 10_000 });
  const mia = await app.browser.$('[data-testid="pick-user"][data-email="mia@example.com"]');
  await mia.waitForExist({ timeout: 10_000 });
  assert.match(await mia.getProperty('textContent'), /passphrase/);
  await app.shot('who-are-you');
  await mia.click();
  await (await app.$t('passphrase')).waitForDisplayed({ timeout: 5_000 });
  await app.shot('asks-passphrase');
});

test('a wrong passphrase is refused beside the field and nothing is recorded', async () => {
  const before = eventCount();
  await (await app.$t('passphrase')).setValue('not her passphrase');
  await (await app.$t('sign-in')).click();
  // Worded from the refusal's code in the app's language (the CLI keeps "wrong passphrase for …").
  assert.match(await textOf(app, 'error-passphrase'), /^Wrong passphrase\. Try again/);
  assert.equal(await (await app.$t('home')).isExisting(), false);
  assert.equal(eventCount(), before);
  await app.shot('wrong-passphrase');
});

test('the right passphrase signs in, and the user can add a customer', async () => {
  await (await app.$t('passphrase')).setValue(MIA);
  await (await app.$t('sign-in')).click();
  await (await app.$t('home')).waitForDisplayed({ timeout: 10_000 });
  assert.equal(await textOf(app, 'current-user'), 'Mia Manager');

  await nav(app, 'customers');
  await (await app.$t('customer-add')).click();
  await (await app.$t('customer-form')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('cf-name')).setValue('Proven Customer GmbH');
  const country = await app.$t('country-picker');
  await country.click();
  await country.setValue('germ');
  const option = await app.browser.$('//*[@data-testid="country-option"][contains(., "Germany (DE)")]');
  await option.waitForExist({ timeout: 5_000 });
  await option.click();
  await (await app.$t('cf-type')).selectByAttribute('value', 'oem');
  await (await app.$t('customer-save')).click();
  await (await app.$t('customer-page')).waitForDisplayed({ timeout: 10_000 });
  assert.equal(await textOf(app, 'customer-name'), 'Proven Customer GmbH');
  await app.shot('customer-added');

  const events = JSON.parse(cli({}, 'audit', 'log', '--limit', '1000', '--json'));
  assert.ok(events.some((e) => e.action === 'session.sign_in'));
  assert.ok(!JSON.stringify(events).includes(MIA), 'the passphrase is in no event');
});

test('Settings counts the characters, refuses two different passphrases, then changes hers', async () => {
  await nav(app, 'settings');
  const form = await app.$t('passphrase-form');
  await form.waitForDisplayed({ timeout: 10_000 });
  await form.scrollIntoView();
  await (await app.$t('passphrase-new')).setValue('short');
  assert.match(await (await app.browser.$('#pass-new-hint')).getProperty('textContent'), /5 of at least 10 characters/);
  assert.equal(await (await app.$t('save-passphrase')).isEnabled(), false);
  await (await app.$t('passphrase-new')).setValue(MIA_NEW);
  await (await app.$t('passphrase-confirm')).setValue('something else entirely');
  await (await app.$t('save-passphrase')).click();
  assert.match(await textOf(app, 'error-pass-confirm'), /differ/);
  await app.shot('settings-mismatch');
  await (await app.$t('passphrase-confirm')).setValue(MIA_NEW);
  await (await app.$t('save-passphrase')).click();
  assert.match(await textOf(app, 'passphrase-saved'), /Your passphrase is set/);
  await app.shot('settings-passphrase-set');
});

test('after switching user, the old passphrase no longer works and the new one does', async () => {
  await (await app.$t('switch-user')).click();
  await (await app.browser.$('[data-testid="pick-user"][data-email="mia@example.com"]')).click();
  await (await app.$t('passphrase')).setValue(MIA);
  await (await app.$t('sign-in')).click();
  assert.match(await textOf(app, 'error-passphrase'), /^Wrong passphrase/);
  await (await app.$t('passphrase')).setValue(MIA_NEW);
  await (await app.$t('sign-in')).click();
  await (await app.$t('home')).waitForDisplayed({ timeout: 10_000 });
  assert.equal(await textOf(app, 'current-user'), 'Mia Manager');
});

test("an admin sets another user's passphrase in Settings, and that user signs in with it", async () => {
  const MIA_RESET = 'set for mia by ada';
  await (await app.$t('switch-user')).click();
  await (await app.browser.$('[data-testid="pick-user"][data-email="ada@example.com"]')).click();
  await (await app.$t('passphrase')).setValue(ADA);
  await (await app.$t('sign-in')).click();
  await (await app.$t('home')).waitForDisplayed({ timeout: 10_000 });

  await nav(app, 'settings');
  const form = await app.$t('passphrase-form');
  await form.waitForDisplayed({ timeout: 10_000 });
  await form.scrollIntoView();
  const mia = JSON.parse(cli({}, 'user', 'list', '--json')).find((u) => u.email === 'mia@example.com');
  await (await app.$t('passphrase-user')).selectByAttribute('value', mia.id);
  await (await app.$t('passphrase-new')).setValue(MIA_RESET);
  await (await app.$t('passphrase-confirm')).setValue(MIA_RESET);
  await (await app.$t('save-passphrase')).click();
  assert.match(await textOf(app, 'passphrase-saved'), /Passphrase set for Mia Manager/);
  await app.shot('admin-sets-mia');

  await (await app.$t('switch-user')).click();
  await (await app.browser.$('[data-testid="pick-user"][data-email="mia@example.com"]')).click();
  await (await app.$t('passphrase')).setValue(MIA_RESET);
  await (await app.$t('sign-in')).click();
  await (await app.$t('home')).waitForDisplayed({ timeout: 10_000 });
  assert.equal(await textOf(app, 'current-user'), 'Mia Manager');
});
