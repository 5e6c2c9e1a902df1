// The desktop app's scale figures (issue 6), measured from outside: the real app under Xvfb,
// driven through tauri-driver + WebKitWebDriver, on a database holding the scale dataset.
//   cold start: WebDriver session request (the app process is spawned) → home coverage shown
//   memory: PSS summed over the app and its WebKit processes after browsing customers
//           (customers table, scroll to the middle and the end, a search, a state filter,
//           three customer pages)
// Each figure is the median of RUNS launches. Run through `./dev bench` (which builds the release
// app and the CLI first) or directly:
//   ENDUSE_APP=… ENDUSE_CLI=… TAURI_DRIVER=… node e2e/app-figures.mjs
// Prints one JSON line per run, then the two figures as rows of `./dev bench`'s markdown table.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { browseCustomers, median, memory, mark } from './figures.mjs';
import { launch } from './harness.mjs';

const CLI = process.env.ENDUSE_CLI ?? resolve('../target/release/enduse');
const CUSTOMERS = Number(process.env.ENDUSE_BENCH_CUSTOMERS ?? 20000);
const RUNS = Number(process.env.ENDUSE_BENCH_RUNS ?? 5);

async function main() {
  for (const [what, path] of [
    ['app', process.env.ENDUSE_APP],
    ['cli', CLI],
  ]) {
    if (!path || !existsSync(path)) throw new Error(`${what} binary missing: ${path}`);
  }
  const prep = mkdtempSync(join(tmpdir(), 'enduse-figures-'));
  const db = join(prep, 'enduse.db');
  const cli = (...args) => execFileSync(CLI, ['--db', db, ...args], { encoding: 'utf8' });
  cli('demo', '--customers', String(CUSTOMERS));
  const users = JSON.parse(cli('user', 'list', '--json'));
  const manager = users.find((u) => u.role === 'compliance_manager');
  writeFileSync(`${db}.app-user`, manager.id);

  const starts = [];
  const pss = [];
  const rss = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const app = await launch(`figures-${run}`, { ENDUSE_DB: db });
      try {
        await (await app.$t('coverage')).waitForDisplayed({ timeout: 60_000 });
        const startMs = Math.round(performance.now() - app.started);
        await browseCustomers(app);
        const mem = memory(prep);
        starts.push(startMs);
        pss.push(mem.pssMb);
        rss.push(mem.rssMb);
        console.log(JSON.stringify({ run, startMs, ...mem }));
        if (run === 1) await app.shot('after-browsing');
      } finally {
        await app.close();
      }
    }
  } finally {
    rmSync(prep, { recursive: true, force: true });
  }
  const start = median(starts);
  const mem = median(pss);
  console.log(
    `| desktop app: cold start to an interactive home screen (${CUSTOMERS} customers, median of ${RUNS}) | ≤ 1500 ms | ${start} ms | ${mark(start <= 1500)} |`,
  );
  console.log(
    `| desktop app memory after browsing customers, app + WebKit processes (RSS ${median(rss)} MB) | ≤ 350 MB PSS | ${mem} MB PSS | ${mark(mem <= 350)} |`,
  );
}

await main();
