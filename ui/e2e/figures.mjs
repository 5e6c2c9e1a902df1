// What the app-figures scripts share: memory of the app and its WebKit processes, the median, the
// mark of a figure against its target, and the customer browsing measured for memory.
import { readFileSync, readdirSync } from 'node:fs';

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const mark = (ok) => (ok ? 'ok' : 'MISSED');

/**
 * PSS and RSS in MB summed over the app and WebKit processes whose environment holds `marker`
 * (the app carries its database path; the WebKit processes are its children and share the
 * environment), with the processes counted and PSS by process name (to see which one grew).
 */
export function memory(marker) {
  let pss = 0;
  let rss = 0;
  const names = [];
  const byProcess = {};
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (!/^(enduse-app|WebKitWebProces|WebKitNetworkPr)/.test(comm)) continue;
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').includes(marker)) continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const kb = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      pss += kb;
      byProcess[comm] = (byProcess[comm] ?? 0) + Math.round(kb / 1024);
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      names.push(comm);
    } catch {
      /* process gone or not ours */
    }
  }
  return {
    pssMb: Math.round(pss / 1024),
    rssMb: Math.round(rss / 1024),
    processes: names,
    pssMbByProcess: byProcess,
  };
}

/**
 * Browses customers as the memory figure does: the table, scrolled to the middle and the end, a
 * search, and three customer pages.
 */
export async function browseCustomers(app) {
  const { browser, $t } = app;
  await (await $t('nav-customers')).click();
  await (await $t('customer-row')).waitForExist({ timeout: 30_000 });
  for (const fraction of [0.5, 1]) {
    await browser.execute((f) => {
      const s = document.querySelector('[data-testid="customer-table"] .scroller');
      if (s) s.scrollTop = s.scrollHeight * f;
    }, fraction);
    await browser.pause(400);
  }
  const search = await $t('customer-search');
  await search.setValue('electronics');
  await browser.pause(600);
  await (await $t('customer-row')).waitForExist({ timeout: 10_000 });
  for (let i = 0; i < 3; i++) {
    const rows = await browser.$$('[data-testid="customer-row"]');
    await rows[i * 3].click();
    await (await $t('customer-state')).waitForExist({ timeout: 10_000 });
    await (await $t('nav-customers')).click();
    await (await $t('customer-row')).waitForExist({ timeout: 10_000 });
  }
  await browser.pause(1000);
}
