// How the app paints. On a machine without a GPU render node the app turns WebKit's compositing
// off (src-tauri/src/webview.rs) instead of compositing through software GL (llvmpipe), which
// saves ~65 MB and scrolls faster. `WEBKIT_DISABLE_COMPOSITING_MODE=0` forces compositing on, the path machines
// with a GPU take; the app must work the same both ways.
import assert from 'node:assert/strict';
import { accessSync, constants, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launch, preparedDatabase } from './harness.mjs';
import { textOf } from './steps.mjs';

/** As the app decides (src-tauri/src/webview.rs): a DRM render node this user can open. */
const hasGpu =
  existsSync('/dev/dri') &&
  readdirSync('/dev/dri').some((d) => {
    if (!d.startsWith('renderD')) return false;
    try {
      accessSync(`/dev/dri/${d}`, constants.R_OK | constants.W_OK);
      return true;
    } catch {
      return false;
    }
  });
let prepDir;
let db;

before(() => {
  const prepared = preparedDatabase('render');
  ({ dir: prepDir, db } = prepared);
  prepared.cli('demo', '--customers', '300');
});
after(() => rmSync(prepDir, { recursive: true, force: true }));

/** Whether this app's web process runs WebKit's compositor thread (truncated to "eadedCompositor"). */
function webProcessComposites() {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('WebKitWebProces')) continue;
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`ENDUSE_DB=${db}\0`)) continue;
      const threads = readdirSync(`/proc/${pid}/task`).map((t) => readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8'));
      return threads.some((name) => /Compositor/.test(name));
    } catch {
      /* gone, or not ours */
    }
  }
  throw new Error('no web process found for this app');
}

/** Scrolls the customers table one step per animation frame for two seconds. */
async function scrollFramesPerSecond(app) {
  return app.browser.executeAsync((done) => {
    const s = document.querySelector('[data-testid="customer-table"] .scroller');
    let frames = 0;
    const t0 = performance.now();
    const step = (now) => {
      frames += 1;
      s.scrollTop += 37;
      if (now - t0 < 2000) requestAnimationFrame(step);
      else done(Math.round(frames / ((now - t0) / 1000)));
    };
    requestAnimationFrame(step);
  });
}

for (const [mode, env] of [
  ['as set up for this machine', {}],
  ['with compositing forced on, as with a GPU', { WEBKIT_DISABLE_COMPOSITING_MODE: '0' }],
]) {
  test(`home, the customers table and a search work ${mode}`, async () => {
    const app = await launch(`rendering-${env.WEBKIT_DISABLE_COMPOSITING_MODE ?? 'default'}`, { ENDUSE_DB: db, ...env });
    try {
      await (await app.$t('coverage')).waitForDisplayed({ timeout: 30_000 });
      const composited = webProcessComposites();
      if (env.WEBKIT_DISABLE_COMPOSITING_MODE === '0') assert.equal(composited, true, 'compositing forced on');
      else assert.equal(composited, hasGpu, hasGpu ? 'a GPU: composited' : 'no GPU: painted without compositing');
      await (await app.$t('nav-customers')).click();
      await (await app.$t('customer-row')).waitForExist({ timeout: 10_000 });
      console.log(`${mode}: scrolling the table at ${await scrollFramesPerSecond(app)} frames/s`);
      await (await app.$t('customer-search')).setValue('zzz-no-such-customer');
      await app.browser.waitUntil(async () => (await textOf(app, 'customer-total')).trim() === '0 customers', {
        timeout: 10_000,
      });
      await app.shot('customers-searched');
    } finally {
      await app.close();
    }
  });
}
