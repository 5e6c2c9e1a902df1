// The desktop app's team figures (issue 15), measured from outside on a real hub, PostgreSQL and
// the real app under Xvfb:
//   manager's join: `enduse team join` of a compliance manager's new device pulling the whole team
//   cold start: WebDriver session request (the app process is spawned) → home coverage shown, on
//               that manager's device holding the team (ENDUSE_BENCH_CUSTOMERS customers, 20,000)
//   memory: PSS summed over the app and its WebKit processes after browsing customers
//   scrolling during a sync: the customer table scrolled every animation frame while "Sync now"
//               pulls 100 new team events (a teammate's import); frames/s over the sync, beside
//               the same scrolling with no sync
// The team: customers imported by another manager's device (CSV, one customer.create event each,
// 10% owned by a sales rep) and pushed to the hub. Needs ENDUSE_TEST_DATABASE_URL (`./dev bench`
// starts a throwaway cluster). Run through `./dev bench` (release binaries) or directly:
//   ENDUSE_APP=… ENDUSE_CLI=… TAURI_DRIVER=… ENDUSE_TEST_DATABASE_URL=… node e2e/app-team-figures.mjs
// Prints one JSON line per measurement, then the figures as rows of `./dev bench`'s table.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { browseCustomers, median, memory, mark } from './figures.mjs';
import { launch } from './harness.mjs';
import { hubBeside, noPostgres, startHub } from './hub.mjs';

const CLI = process.env.ENDUSE_CLI ?? resolve('../target/release/enduse');
const HUB = hubBeside(CLI);
const CUSTOMERS = Number(process.env.ENDUSE_BENCH_CUSTOMERS ?? 20000);
const RUNS = Number(process.env.ENDUSE_BENCH_RUNS ?? 3);
const SYNC_EVENTS = 100;

/** A CSV of `n` customers from `from`: 10% owned by the rep, the rest by the importing manager. */
function customersCsv(path, from, n) {
  const countries = ['CN', 'VN', 'MY', 'TH', 'IN', 'DE', 'MX', 'KR'];
  const types = ['oem', 'distributor', 'contract_manufacturer', 'broker'];
  const words = ['Electronics', 'Components', 'Trading', 'Semiconductor', 'Devices', 'Systems', 'Microtech', 'Power'];
  const rows = ['name,english_name,country,type,city,address,website,owner_email,external_id,hs_codes'];
  for (let i = from; i < from + n; i++) {
    const owner = i % 10 === 0 ? 'rita@example.com' : 'max@example.com';
    const name = `${['Huaxin', 'Lumen', 'Pacific', 'Orion', 'Delta', 'Kestrel', 'Nova', 'Sable'][i % 8]} ${words[(i >> 3) % 8]} ${i}`;
    rows.push(`${name},,${countries[i % 8]},${types[i % 4]},City ${i % 97},${i} Harbour Road,,${owner},T-${i},8542.31`);
  }
  writeFileSync(path, `${rows.join('\n')}\n`);
}

/** Starts scrolling the customer table one step every animation frame, noting each frame's time. */
async function startScrolling(app) {
  await app.browser.execute(() => {
    const s = document.querySelector('[data-testid="customer-table"] .scroller');
    const w = window;
    w.__frames = [];
    w.__scrolling = true;
    const step = (t) => {
      if (!w.__scrolling) return;
      w.__frames.push(t);
      if (s) s.scrollTop = (s.scrollTop + 37) % Math.max(1, s.scrollHeight - s.clientHeight);
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}

/** Stops scrolling; frames/s between `fromMs` and now (page clock), and the longest frame. */
async function stopScrolling(app) {
  return app.browser.execute(() => {
    const w = window;
    w.__scrolling = false;
    const f = w.__frames;
    const gaps = f.slice(1).map((t, i) => t - f[i]);
    const seconds = (f[f.length - 1] - f[0]) / 1000;
    return {
      frames: f.length,
      seconds: Math.round(seconds * 100) / 100,
      fps: Math.round(((f.length - 1) / seconds) * 10) / 10,
      longestFrameMs: Math.round(Math.max(...gaps)),
    };
  });
}

async function main() {
  if (noPostgres) throw new Error(noPostgres);
  for (const [what, path] of [
    ['app', process.env.ENDUSE_APP],
    ['cli', CLI],
    ['hub', HUB],
  ]) {
    if (!path || !existsSync(path)) throw new Error(`${what} binary missing: ${path}`);
  }
  const prep = mkdtempSync(join(tmpdir(), 'enduse-team-figures-'));
  const hub = await startHub(HUB, `enduse_bench_app_team_${process.pid}`);
  const hubUrl = hub.url;
  const env = { ...process.env, ENDUSE_KEY_STORE: 'file' };
  const device = (db) => (...args) => execFileSync(CLI, ['--db', db, ...args], { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  const { add } = hub;
  const loaderCode = add('Max Manager', 'max@example.com', 'compliance_manager');
  const appCode = add('Mia Manager', 'mia@example.com', 'compliance_manager');
  add('Rita Rep', 'rita@example.com', 'sales_rep');

  try {
    // The team: another manager's device imports the customers and pushes them (untimed).
    const loader = device(join(prep, 'loader.db'));
    loader('team', 'join', '--hub', hubUrl, '--code', loaderCode);
    const csv = join(prep, 'customers.csv');
    customersCsv(csv, 0, CUSTOMERS);
    let t = performance.now();
    loader('customer', 'import', csv);
    const pushed = JSON.parse(loader('sync', '--json'));
    console.log(JSON.stringify({ setup: 'team', customers: CUSTOMERS, pushed: pushed.pushed, seconds: Math.round(performance.now() - t) / 1000 }));

    // The manager's device the app runs on: joined by the CLI (the whole team pulled).
    const appDb = join(prep, 'manager.db');
    t = performance.now();
    const joined = JSON.parse(device(appDb)('team', 'join', '--hub', hubUrl, '--code', appCode, '--json'));
    const joinMs = Math.round(performance.now() - t);
    console.log(JSON.stringify({ join: 'manager', pulled: joined.sync.pulled, ms: joinMs }));
    writeFileSync(`${appDb}.app-user`, joined.user.id);

    const starts = [];
    const pss = [];
    const rss = [];
    for (let run = 1; run <= RUNS; run++) {
      const app = await launch(`team-figures-${run}`, { ENDUSE_DB: appDb, ENDUSE_KEY_STORE: 'file' });
      try {
        await (await app.$t('coverage')).waitForDisplayed({ timeout: 120_000 });
        const startMs = Math.round(performance.now() - app.started);
        await browseCustomers(app);
        const mem = memory(appDb);
        starts.push(startMs);
        pss.push(mem.pssMb);
        rss.push(mem.rssMb);
        console.log(JSON.stringify({ run, startMs, ...mem }));
      } finally {
        await app.close();
      }
    }

    // Scrolling the customer table: alone, then while a sync pulls a teammate's 100 new events.
    const app = await launch('team-figures-scroll', { ENDUSE_DB: appDb, ENDUSE_KEY_STORE: 'file' });
    let alone;
    let during;
    let pulled = 0;
    try {
      await (await app.$t('coverage')).waitForDisplayed({ timeout: 120_000 });
      await app.browser.waitUntil(async () => /^Synced/.test(await (await app.$t('sync-line')).getProperty('textContent')), { timeout: 60_000 });
      await (await app.$t('nav-customers')).click();
      await (await app.$t('customer-row')).waitForExist({ timeout: 30_000 });
      await startScrolling(app);
      await app.browser.pause(3000);
      alone = await stopScrolling(app);
      console.log(JSON.stringify({ scrolling: 'alone', ...alone }));

      const more = join(prep, 'more.csv');
      customersCsv(more, CUSTOMERS, SYNC_EVENTS);
      loader('customer', 'import', more);
      const sent = JSON.parse(loader('sync', '--json'));
      await startScrolling(app);
      await app.browser.pause(300);
      await (await app.$t('sync-now')).click();
      await app.browser.waitUntil(
        async () => {
          const v = await app.browser.executeAsync((done) => {
            window.__TAURI_INTERNALS__.invoke('team_status').then(done, () => done(null));
          });
          pulled = v?.lastReport?.pulled ?? 0;
          return v?.sync?.state === 'synced' && pulled >= sent.pushed;
        },
        { timeout: 60_000, interval: 100, timeoutMsg: 'the sync never pulled the teammate\'s events' },
      );
      await app.browser.pause(300);
      during = await stopScrolling(app);
      console.log(JSON.stringify({ scrolling: 'during sync', pulledEvents: pulled, ...during }));
      await app.shot('scrolled-during-sync');
    } finally {
      await app.close();
    }

    const start = median(starts);
    const mem = median(pss);
    console.log(`| manager's join of the team (${CUSTOMERS} customers, ${joined.sync.pulled} events, CLI) | — | ${joinMs} ms | — |`);
    console.log(
      `| desktop app: cold start on a manager's team device (${CUSTOMERS} customers, median of ${RUNS}) | ≤ 1500 ms | ${start} ms | ${mark(start <= 1500)} |`,
    );
    console.log(
      `| desktop app memory on a manager's team device after browsing (RSS ${median(rss)} MB) | ≤ 350 MB PSS | ${mem} MB PSS | ${mark(mem <= 350)} |`,
    );
    console.log(
      `| customer table scrolling during a sync of ${pulled} events (alone: ${alone.fps} frames/s; longest frame ${during.longestFrameMs} ms) | ≥ 50 frames/s | ${during.fps} frames/s | ${mark(during.fps >= 50)} |`,
    );
  } finally {
    hub.child.kill();
    rmSync(prep, { recursive: true, force: true });
  }
}

await main();
