// End-to-end harness: drives the REAL app (release of `tauri build --debug --no-bundle`) under Xvfb
// through tauri-driver 2.1.0 and WebKitWebDriver, with WebdriverIO in classic WebDriver mode (it keeps
// connections open, which tauri-driver needs). Every test gets its own temporary database via the
// environment of its own tauri-driver, so tests never share state or touch a real data dir.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { remote } from 'webdriverio';

const APP = process.env.ENDUSE_APP ?? resolve('../target/debug/enduse-app');
const DRIVER = process.env.TAURI_DRIVER ?? resolve('../.tools/bin/tauri-driver');
const CLI = process.env.ENDUSE_CLI ?? resolve('../target/debug/enduse');
export const ARTIFACTS = process.env.ARTIFACTS ?? resolve('../artifacts/e2e');

let display = null;
let xvfb = null;
let nextPort = 4444 + (process.pid % 200) * 2;

/** One Xvfb for the whole test file; reused if DISPLAY points at a running server. */
async function ensureDisplay() {
  if (display) return display;
  const n = 90 + (process.pid % 400);
  xvfb = spawn('Xvfb', [`:${n}`, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 50 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) await sleep(100);
  display = `:${n}`;
  // Do not keep the test process alive for Xvfb; stop it when the process ends.
  xvfb.unref();
  process.on('exit', () => xvfb?.kill());
  return display;
}

/**
 * Kills any process still running with this test's database in its environment: killing
 * tauri-driver does not reach the WebKitWebDriver it started nor the app under it, and one left
 * running would keep the next test's Xvfb busy and this test process alive.
 */
function killLeftovers(db) {
  const marker = `ENDUSE_DB=${db}\0`;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (Number(pid) === process.pid) continue;
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone, or not ours to read */
    }
  }
}

async function waitForPort(port, child) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited (${child.exitCode})`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  throw new Error(`tauri-driver did not listen on ${port}`);
}

/**
 * A database in a new temp dir, prepared with the `enduse` CLI before the app starts: a compliance
 * manager, Mia Manager (mia@example.com), whom the app signs in as when launched on it. Returns
 * the dir, the database's path and `cli(...args)`, the CLI run on that database.
 */
export function preparedDatabase(name) {
  const dir = mkdtempSync(join(tmpdir(), `enduse-${name}-`));
  const db = join(dir, 'enduse.db');
  const cli = (...args) => execFileSync(CLI, ['--db', db, ...args], { encoding: 'utf8' });
  cli('user', 'add', '--name', 'Mia Manager', '--email', 'mia@example.com', '--role', 'compliance_manager');
  const mia = JSON.parse(cli('user', 'list', '--json')).find((u) => u.email === 'mia@example.com');
  writeFileSync(`${db}.app-user`, mia.id);
  return { dir, db, cli };
}

/**
 * Starts the app on a database prepared with the CLI: `preparedDatabase(name)`, then
 * `prepare(cli, prepared)`. `env` (an object, or made from the prepared `{ dir, db, cli }`) is
 * added to the app's environment. The app also carries the database's `db` and `cli`; closing it
 * removes the database.
 */
export async function launchPrepared(name, prepare = () => {}, env = {}) {
  const prepared = preparedDatabase(name);
  prepare(prepared.cli, prepared);
  const extra = typeof env === 'function' ? env(prepared) : env;
  const app = await launch(name, { ...extra, ENDUSE_DB: prepared.db });
  const close = app.close;
  return Object.assign(app, {
    db: prepared.db,
    cli: prepared.cli,
    async close() {
      await close();
      rmSync(prepared.dir, { recursive: true, force: true });
    },
  });
}

/**
 * Starts the app with a fresh database and returns a WebdriverIO browser plus helpers.
 * `env` is added to the app's environment (e.g. ENDUSE_DEMO for a preloaded dataset).
 */
export async function launch(testName, env = {}) {
  if (!existsSync(APP)) throw new Error(`app binary missing: ${APP} (run ./dev e2e)`);
  if (!existsSync(DRIVER)) throw new Error(`tauri-driver missing: ${DRIVER} (run ./dev setup)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'enduse-e2e-'));
  const db = join(dir, 'enduse.db');
  const port = nextPort;
  nextPort += 2;

  const driver = spawn(DRIVER, ['--port', String(port), '--native-port', String(port + 1)], {
    env: { ...process.env, DISPLAY: await ensureDisplay(), ENDUSE_DB: db, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let driverLog = '';
  driver.stderr.on('data', (d) => (driverLog += d));
  await waitForPort(port, driver);

  const started = performance.now();
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'error',
    connectionRetryCount: 0,
    capabilities: {
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application: APP },
    },
  });
  let shots = 0;
  const slug = testName.replace(/[^a-z0-9]+/gi, '-').toLowerCase();

  return {
    browser,
    db,
    dir,
    started,
    /** Element by data-testid. */
    $t: (id) => browser.$(`[data-testid="${id}"]`),
    async shot(name) {
      shots += 1;
      const file = join(ARTIFACTS, `${slug}-${String(shots).padStart(2, '0')}-${name}.png`);
      // What the X display shows once two animation frames have run. WebKitWebDriver's own
      // screenshots hang while the app paints without compositing, as it does on a machine
      // without a GPU (src-tauri/src/webview.rs); the window fills the 1280x800 screen.
      await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
      execFileSync('import', ['-display', display, '-window', 'root', file]);
      return file;
    },
    async close() {
      try {
        await browser.deleteSession();
      } catch {
        /* app may already be gone */
      }
      driver.kill();
      await sleep(100);
      killLeftovers(env.ENDUSE_DB ?? db);
      // A leftover child could hold the driver's stderr pipe open and keep this process alive.
      driver.stderr.destroy();
      rmSync(dir, { recursive: true, force: true });
      if (process.env.E2E_DEBUG) process.stderr.write(driverLog);
    },
  };
}
