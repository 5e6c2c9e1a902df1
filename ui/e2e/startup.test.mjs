// Cold start to the home screen with the demo dataset (2,000 customers) in the database, and the
// memory of the app and its WebKit processes once home is shown. The database is prepared with
// the `enduse` CLI before the app starts; the app signs back in as the remembered user.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchPrepared } from './harness.mjs';

const CUSTOMERS = Number(process.env.E2E_DEMO_CUSTOMERS ?? 2000);
let app;

before(async () => {
  app = await launchPrepared('startup', (cli) => cli('demo', '--customers', String(CUSTOMERS)));
});
after(async () => app?.close());

/** PSS and RSS in MB summed over the app and its WebKit processes. */
function memory() {
  let pss = 0;
  let rss = 0;
  const names = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (!/^(enduse-app|WebKitWebProces|WebKitNetworkPr)/.test(comm)) continue;
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (comm === 'enduse-app' && !env.includes(app.db)) continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      names.push(comm);
    } catch {
      /* process gone or not ours */
    }
  }
  return { pssMb: Math.round(pss / 1024), rssMb: Math.round(rss / 1024), processes: names };
}

test(`cold start reaches the home screen with ${CUSTOMERS} demo customers`, async () => {
  await (await app.$t('coverage')).waitForDisplayed({ timeout: 30_000 });
  const ms = Math.round(performance.now() - app.started);
  console.log(`cold start to home (session start to coverage shown): ${ms} ms`);
  await app.browser.pause(1000);
  const mem = memory();
  console.log(`memory: ${mem.pssMb} MB PSS, ${mem.rssMb} MB RSS over ${mem.processes.join(', ')}`);
  await app.shot('home-demo');
  assert.ok(ms < 20_000);
});

test('the customers table scrolls through thousands of rows', async () => {
  await (await app.$t('nav-customers')).click();
  await (await app.$t('customer-row')).waitForExist({ timeout: 10_000 });
  const started = performance.now();
  await app.browser.execute(() => {
    const s = document.querySelector('[data-testid="customer-table"] .scroller');
    if (s) s.scrollTop = s.scrollHeight / 2;
  });
  await app.browser.waitUntil(
    async () => {
      const rows = await app.browser.$$('[aria-rowindex]');
      for (const r of rows) if (Number(await r.getAttribute('aria-rowindex')) > CUSTOMERS / 3) return true;
      return false;
    },
    { timeout: 10_000 },
  );
  await (await app.$t('customer-row')).waitForExist();
  console.log(`scroll to the middle and show rows: ${Math.round(performance.now() - started)} ms`);
  await app.shot('customers-scrolled');
});
