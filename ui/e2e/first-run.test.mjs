import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch } from './harness.mjs';
import { createProfile, textOf, textsOf } from './steps.mjs';

let app;
before(async () => {
  app = await launch('first run');
});
after(async () => app?.close());

test('a fresh database opens on the profile form, using the test database', async () => {
  await (await app.$t('first-run')).waitForDisplayed({ timeout: 10_000 });
  const dbPath = await textOf(app, 'db-path');
  assert.ok(dbPath.includes(app.db), `the app uses the test database, got: ${dbPath}`);
  await app.shot('profile-form');
});

test('an invalid email is shown beside the email field', async () => {
  await createProfile(app, { name: 'Mia Manager', email: 'not-an-email', role: 'compliance_manager' });
  const msg = await textOf(app, 'error-email');
  assert.match(msg, /not an email address/);
});

test('creating the profile offers the demo data, then opens the home screen', async () => {
  await (await app.browser.$('#email')).setValue('mia@example.com');
  await (await app.$t('create-profile')).click();
  await (await app.$t('load-demo')).waitForDisplayed({ timeout: 10_000 });
  await app.shot('offer-demo');
  const started = performance.now();
  await (await app.$t('load-demo')).click();
  await (await app.$t('home')).waitForDisplayed({ timeout: 60_000 });
  await (await app.$t('coverage')).waitForDisplayed({ timeout: 30_000 });
  console.log(`demo load to home: ${Math.round(performance.now() - started)} ms`);
  assert.equal(await textOf(app, 'current-user'), 'Mia Manager');
  await app.shot('home-manager-demo');
});

test('the customers table lists the demo customers and searches in the core', async () => {
  await (await app.$t('nav-customers')).click();
  await (await app.$t('customer-row')).waitForExist({ timeout: 10_000 });
  const total = await textOf(app, 'customer-total');
  assert.match(total, /500 customers/);
  await app.shot('customers');
  const first = (await textsOf(app, 'customer-row'))[0];
  const word = first.slice(0, 4);
  await (await app.$t('customer-search')).setValue(word);
  await app.browser.waitUntil(async () => !/^500 /.test(await textOf(app, 'customer-total')), {
    timeout: 5_000,
  });
  const row = await app.$t('customer-row');
  await row.waitForExist({ timeout: 10_000 });
  await row.click();
  await (await app.$t('customer-page')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('timeline')).waitForDisplayed();
  await app.shot('customer-page');
});
