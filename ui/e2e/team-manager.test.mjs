// The team in the app as a compliance manager (issue 15), against a real hub and PostgreSQL: the
// app as Mia Manager, the CLI as another manager (who loads the customers) and as a sales rep.
// Mia joins from first run and sees the download as a count; she edits a customer's city, the
// rep edits the same city offline and syncs later, so the rep's value wins in team order: Needs
// attention shows both values, who made each and when, and the value now, and Mia puts hers back
// in one click. Settings → Team lists each member's devices and last sync. Needs
// ENDUSE_TEST_DATABASE_URL (`./dev test` starts the throwaway cluster; `scripts/pg.sh start`).
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { launch } from './harness.mjs';
import { hubBeside, laptop, noPostgres, startHub } from './hub.mjs';
import { fillJoin, nav, textOf } from './steps.mjs';

const CLI = process.env.ENDUSE_CLI ?? resolve('../target/debug/enduse');
const HUB = hubBeside(CLI);
const skip = noPostgres;

let app;
let hub;
let hubUrl;
let max;
let rita;
let miaCode;

/** The team's status as the app's shell reports it. */
function status() {
  return app.browser.executeAsync((done) => {
    window.__TAURI_INTERNALS__.invoke('team_status').then(done, () => done(null));
  });
}

before(async () => {
  if (skip) return;
  hub = await startHub(HUB, `enduse_e2e_team_manager_${process.pid}`);
  hubUrl = hub.url;
  const { add } = hub;
  const maxCode = add('Max Manager', 'max@example.com', 'compliance_manager');
  miaCode = add('Mia Manager', 'mia@example.com', 'compliance_manager');
  const ritaCode = add('Rita Rep', 'rita@example.com', 'sales_rep');
  max = laptop(CLI, 'max');
  max('team', 'join', '--hub', hubUrl, '--code', maxCode);
  for (let i = 1; i <= 40; i++) {
    const owner = i === 1 ? 'rita@example.com' : 'max@example.com';
    const n = i === 1 ? 'Shenzhen Huaxin Electronics' : `Pacific Components ${i}`;
    max('customer', 'add', '--name', n, '--country', 'CN', '--type', 'oem', '--external-id', `C-${i}`, '--owner', owner);
  }
  max('sync');
  rita = laptop(CLI, 'rita');
  rita('team', 'join', '--hub', hubUrl, '--code', ritaCode);
  app = await launch('team-manager', { ENDUSE_KEY_STORE: 'file' });
});

after(async () => {
  await app?.close?.();
  hub?.child.kill();
});

test('a manager joins from first run; the download is shown as a count', { skip }, async () => {
  await fillJoin(app, hubUrl, miaCode);
  // The count as the join screen shows it (the page of a small team arrives at once, so it is
  // read from the same command the screen polls, once the join is done).
  await (await app.$t('team-join-submit')).click();
  await (await app.$t('home')).waitForDisplayed({ timeout: 30_000 });
  const progress = await app.browser.executeAsync((done) => {
    window.__TAURI_INTERNALS__.invoke('join_progress').then(done, (e) => done({ error: String(e) }));
  });
  assert.ok(progress && progress.total > 0, JSON.stringify(progress));
  assert.equal(progress.done, progress.total, `the whole team was gone through: ${JSON.stringify(progress)}`);
  assert.ok(progress.received >= 40, `every customer arrived: ${JSON.stringify(progress)}`);
  assert.equal(await textOf(app, 'current-user'), 'Mia Manager');
  await app.browser.waitUntil(async () => /Synced/.test(await textOf(app, 'sync-line')), { timeout: 15_000 });
});

test('two edits of one city: Needs attention shows both, who made each and when, and the manager puts hers back', { skip }, async () => {
  // Rita changes the city on her laptop, not yet synced.
  rita('sync');
  rita('customer', 'edit', 'C-1', '--city', 'Dongguan');

  // Mia changes it in the app; the background sync sends it a few seconds later.
  await nav(app, 'customers');
  await (await app.$t('customer-search')).setValue('Huaxin');
  await app.browser.waitUntil(async () => (await app.browser.$$('[data-testid="customer-row"]')).length === 1, { timeout: 10_000 });
  await (await app.$t('customer-row')).click();
  await (await app.$t('customer-edit')).click();
  await (await app.$t('cf-city')).setValue('Shenzhen');
  await (await app.$t('customer-save')).click();
  await (await app.$t('customer-name')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('sync-now')).click();
  await app.browser.waitUntil(
    async () => {
      const v = await status();
      return v?.sync?.state === 'synced' && v.membership?.pending === 0;
    },
    { timeout: 20_000, timeoutMsg: 'the edit was never sent' },
  );

  // Rita syncs later: her change, made on the older version, comes later in team order and wins.
  rita('sync');
  await (await app.$t('sync-now')).click();
  await nav(app, 'settings');
  const item = await app.$t('conflict-item');
  await item.waitForExist({ timeout: 20_000, timeoutMsg: 'the conflict never appeared in Needs attention' });
  const text = await textOf(app, 'conflict-item');
  assert.match(text, /Two changes to city/);
  assert.match(text, /Shenzhen Huaxin Electronics/);
  assert.match(text, /Kept\s*Dongguan\s*by Rita Rep, \d/);
  assert.match(text, /Replaced\s*Shenzhen\s*by you, \d/);
  assert.equal(await textOf(app, 'conflict-now'), 'Dongguan');
  await app.shot('conflict');

  await (await app.$t('conflict-reapply')).click();
  await app.browser.waitUntil(async () => (await textOf(app, 'conflict-now')) === 'Shenzhen', {
    timeout: 20_000,
    timeoutMsg: 'the value put back is not the team record’s now',
  });
  assert.equal(await (await app.$t('conflict-reapply')).isExisting(), false, 'nothing left to put back');
  // It reached the team: Rita's laptop has Mia's value again.
  await app.browser.waitUntil(async () => /^Synced/.test(await textOf(app, 'sync-line')), { timeout: 20_000 });
  await app.browser.waitUntil(
    async () => {
      rita('sync');
      return JSON.parse(rita('customer', 'show', 'C-1', '--json')).customer.city === 'Shenzhen';
    },
    { timeout: 20_000, interval: 1000, timeoutMsg: 'the value put back never reached the rep' },
  );
  await app.shot('conflict-put-back');
});

test("a manager sees each member's devices and when each last synced", { skip }, async () => {
  await nav(app, 'settings');
  await (await app.$t('team-members-refresh')).click();
  await app.browser.waitUntil(async () => (await app.browser.$$('[data-testid="team-member-row"]')).length === 3, {
    timeout: 15_000,
    timeoutMsg: 'the members table never listed the three members',
  });
  const table = await textOf(app, 'team-members');
  for (const who of ['Max Manager', 'Mia Manager', 'Rita Rep']) assert.match(table, new RegExp(who));
  assert.match(table, /\(this computer\)/);
  const syncs = await app.browser.execute(() =>
    [...document.querySelectorAll('[data-testid="team-member-sync"]')].map((e) => e.textContent.trim()),
  );
  assert.ok(
    syncs.every((s) => /just now|minutes ago/.test(s)),
    `every device synced recently: ${syncs}`,
  );
  await (await app.$t('team-members')).scrollIntoView();
  await app.shot('members');
});
