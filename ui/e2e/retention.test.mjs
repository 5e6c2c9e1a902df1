// Reports and retention in the real app (issue 18, items 4 and 5). The database is prepared with
// the CLI (a compliance manager, 40 demo customers and two named ones); the app runs six years
// on (ENDUSE_TODAY, debug builds only), so every record is past its five-year retention date.
// A manager reads the period report for the past year with its charts and saves it as XLSX and
// PDF through the file dialog, places a legal hold on one customer (whose purge it then blocks)
// and purges another after confirming; the audit trail still verifies.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchPrepared } from './harness.mjs';
import { nav, queueFilePick, textOf } from './steps.mjs';

let app;

function isoDay(offsetDays) {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

before(async () => {
  const prepare = (cli) => {
    const as = ['--as', 'mia@example.com'];
    cli(...as, 'demo', '--customers', '40', '--seed', '7');
    for (const [name, ext] of [
      ['Harbour Components Ltd', 'RET-1'],
      ['Keep Me Trading Co', 'RET-2'],
    ]) {
      cli(...as, 'customer', 'add', '--name', name, '--country', 'SG', '--type', 'distributor',
        '--external-id', ext);
    }
  };
  app = await launchPrepared('retention', prepare, { ENDUSE_TODAY: isoDay(6 * 365 + 2) });
});
after(async () => app?.close());

function row(name) {
  return app.browser.$(`//*[@data-testid="retention-row"][contains(., "${name}")]`);
}

test('the reports screen shows the past year with its figures and charts', async () => {
  await (await app.$t('home')).waitForDisplayed({ timeout: 30_000 });
  await nav(app, 'reports');
  const from = await app.$t('period-from');
  await from.waitForDisplayed({ timeout: 10_000 });
  await from.setValue(isoDay(-365));
  const to = await app.$t('period-to');
  await to.setValue(isoDay(0));
  await (await app.$t('period-show')).click();
  await app.shot('period-asked');
  let sent = '';
  await app.browser
    .waitUntil(async () => /^[1-9]/.test((sent = await textOf(app, 'period-lettersSent'))), {
      timeout: 20_000,
    })
    .catch(() => assert.fail(`letters sent: "${sent}"`));
  assert.match(sent, /Letters sent/);
  assert.match(await textOf(app, 'period-visits'), /^[1-9][\d,]* Visits/);
  const bars = await app.browser.$$('[data-testid="chart-letters"] rect');
  assert.ok(bars.length >= 12, `${bars.length} bars`);
  const total = await app.browser.execute(() =>
    [...document.querySelectorAll('[data-testid="coverage-total"] td')].map((td) =>
      td.textContent.trim(),
    ),
  );
  assert.deepEqual(total, ['Customers', '42', '42']);
  await app.shot('period');
});

test('the period report is saved as a workbook and a PDF through the dialog', async () => {
  for (const [format, file, magic] of [
    ['xlsx', join(app.dir, 'period.xlsx'), 'PK'],
    ['pdf', join(app.dir, 'period.pdf'), '%PDF'],
  ]) {
    await queueFilePick(app, [file]);
    await (await app.$t(`period-export-${format}`)).click();
    await app.browser
      .waitUntil(async () => (await textOf(app, 'period-exported')).includes(`period.${format}`), {
        timeout: 30_000,
      })
      .catch(() => assert.fail(`${format} not saved`));
    assert.ok(existsSync(file), file);
    assert.equal(readFileSync(file).subarray(0, magic.length).toString(), magic);
  }
  const exports = JSON.parse(
    app.cli('audit', 'list', '--action', 'export.period_report', '--json'),
  );
  assert.equal(exports.length, 2);
});

test('a legal hold placed on a customer blocks its purge', async () => {
  assert.match(await textOf(app, 'retention-summary'), /kept 5 years/);
  const held = await row('Keep Me Trading');
  await held.waitForExist({ timeout: 10_000 });
  await (await held.$('button.link')).click();
  await (await app.$t('legal-hold-toggle')).click();
  await (await app.$t('legal-hold-input')).setValue('Subpoena 2032-17: keep everything');
  await (await app.$t('legal-hold-save')).click();
  assert.match(await textOf(app, 'legal-hold-reason'), /Subpoena 2032-17/);
  await app.shot('hold-placed');

  await nav(app, 'reports');
  const after = await row('Keep Me Trading');
  await after.waitForExist({ timeout: 10_000 });
  await app.browser
    .waitUntil(async () => /Legal hold/.test(await after.getProperty('textContent')), {
      timeout: 10_000,
    })
    .catch(() => assert.fail('the row does not show the hold'));
  assert.equal(await (await after.$('[data-testid="retention-purge"]')).isExisting(), false);
  await assert.rejects(
    async () => app.cli('--as', 'mia@example.com', 'retention', 'purge', '--customer', 'RET-2', '--yes'),
    /legal hold/,
  );
});

test('a manager purges a customer past retention after confirming, and the trail verifies', async () => {
  const target = await row('Harbour Components');
  await target.waitForExist({ timeout: 10_000 });
  await (await target.$('[data-testid="retention-purge"]')).click();
  await (await app.$t('purge-confirm')).waitForDisplayed({ timeout: 5_000 });
  await app.shot('purge-confirm');
  await (await app.$t('purge-confirm')).click();
  await app.browser
    .waitUntil(async () => !(await (await row('Harbour Components')).isExisting()), {
      timeout: 20_000,
    })
    .catch(() => assert.fail('the purged customer is still listed'));
  await app.shot('purged');
  const purges = JSON.parse(app.cli('audit', 'list', '--action', 'retention.purge', '--json'));
  assert.equal(purges.length, 1);
  assert.match(app.cli('audit', 'verify'), /^OK:/);
});
