import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch } from './harness.mjs';

let app;
before(async () => {
  app = await launch('first run');
});
after(async () => app?.close());

test('a fresh database opens on the first-run profile form', async () => {
  const form = await app.$t('first-run');
  await form.waitForDisplayed({ timeout: 10_000 });
  const dbPath = await (await app.$t('db-path')).getText();
  assert.ok(dbPath.includes(app.db), `the app uses the test database, got: ${dbPath}`);
  await app.shot('first-run');
});
