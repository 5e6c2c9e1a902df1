// How long the desktop app takes to open a campaign page with thousands of letters: the demo
// dataset (5,000 customers by default) and one campaign writing to every customer, half of the
// letters marked sent and some acknowledged, prepared with the CLI; then the real app under Xvfb
// (tauri-driver + WebKitWebDriver) opens the campaign from the campaigns list, RUNS times.
//   open: click on the campaign in the list → the first rows and the progress bars shown
//   core: the `campaign_detail` call as the page measured it (IPC included)
// Not a test: run it by hand with a built app and CLI, e.g.
//   ENDUSE_APP=../target/release/enduse-app ENDUSE_CLI=../target/release/enduse \
//     TAURI_DRIVER=../.tools/bin/tauri-driver node e2e/campaign-figures.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launch } from './harness.mjs';

const CLI = process.env.ENDUSE_CLI ?? resolve('../target/debug/enduse');
const CUSTOMERS = Number(process.env.ENDUSE_BENCH_CUSTOMERS ?? 5000);
const RUNS = Number(process.env.ENDUSE_BENCH_RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const prep = mkdtempSync(join(tmpdir(), 'enduse-campaign-figures-'));
  const db = join(prep, 'enduse.db');
  // `campaign show --json` for thousands of letters is several MB: above execFileSync's 1 MB default.
  const cli = (...args) => execFileSync(CLI, ['--db', db, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const t0 = performance.now();
  cli('demo', '--customers', String(CUSTOMERS));
  const manager = JSON.parse(cli('user', 'list', '--json')).find((u) => u.role === 'compliance_manager');
  const as = (...args) => cli('--as', manager.email, ...args);
  as('campaign', 'create', '--name', 'Everyone');
  const t1 = performance.now();
  const show = JSON.parse(as('campaign', 'show', 'Everyone', '--json'));
  const letters = show.letters.map((l) => l.letterId);
  // Half sent (in batches: one --letter per id), a tenth of those acknowledged.
  const half = letters.slice(0, Math.floor(letters.length / 2));
  for (let i = 0; i < half.length; i += 500) {
    const batch = half.slice(i, i + 500).flatMap((id) => ['--letter', id]);
    as('letter', 'mark-sent', '--campaign', 'Everyone', '--channel', 'post', '--on', show.on, ...batch);
  }
  for (const id of half.filter((_, i) => i % 10 === 0).slice(0, 100)) {
    as('letter', 'ack', id, '--on', show.on, '--by', 'Bench');
  }
  writeFileSync(`${db}.app-user`, manager.id);
  console.log(
    JSON.stringify({
      customers: CUSTOMERS,
      letters: letters.length,
      prepareMs: Math.round(performance.now() - t0),
      createCampaignMs: Math.round(t1 - t0),
    }),
  );

  const opens = [];
  const cores = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const app = await launch(`campaign-figures-${run}`, { ENDUSE_DB: db });
      try {
        await (await app.$t('home')).waitForDisplayed({ timeout: 60_000 });
        await (await app.$t('nav-campaigns')).click();
        const item = await app.$t('campaign-item');
        await item.waitForDisplayed({ timeout: 30_000 });
        const started = performance.now();
        await item.click();
        await (await app.$t('campaign-row')).waitForDisplayed({ timeout: 60_000 });
        await (await app.$t('progress-sent')).waitForDisplayed({ timeout: 60_000 });
        const openMs = Math.round(performance.now() - started);
        const coreMs = Number(await (await app.$t('load-ms')).getAttribute('data-ms'));
        opens.push(openMs);
        cores.push(coreMs);
        console.log(JSON.stringify({ run, openMs, campaignDetailCallMs: coreMs }));
        if (run === 1) await app.shot('campaign-5000');
        // Scrolling to the end of the list shows its last rows.
        await app.browser.execute(() => {
          const s = document.querySelector('[data-testid="campaign-rows"] .scroller');
          if (s) s.scrollTop = s.scrollHeight;
        });
        await app.browser.waitUntil(async () => {
          const last = await app.browser.$$(`[aria-rowindex="${letters.length}"]`);
          return last.length > 0;
        });
      } finally {
        await app.close();
      }
    }
  } finally {
    rmSync(prep, { recursive: true, force: true });
  }
  const open = median(opens);
  console.log(
    `| desktop app: open a campaign page with ${letters.length} letters (click → rows shown, median of ${RUNS}) | ≤ 1000 ms | ${open} ms (campaign_detail call ${median(cores)} ms) | ${open <= 1000 ? 'ok' : 'MISSED'} |`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
