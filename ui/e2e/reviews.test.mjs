// A long review queue in the real app (issue 6): a large supplier has hundreds or thousands of
// submitted attestations; the screen loads the oldest 100 with the queue's length, shows more on
// request, and a decision takes one off both the list and the count.
// The database is prepared with the CLI: a compliance manager and 2,000 demo customers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchPrepared } from './harness.mjs';
import { approve, nav, textOf } from './steps.mjs';

let app;
let waiting;

const shownLine = (shown, total) =>
  shown >= total
    ? `${total.toLocaleString('en-GB')} waiting.`
    : `The oldest ${shown} of ${total.toLocaleString('en-GB')} waiting.`;
const countLine = () => textOf(app, 'review-queue-count');
const waitForLine = (want) =>
  app.browser.waitUntil(async () => (await countLine()) === want, {
    timeout: 15_000,
    timeoutMsg: `the queue never said "${want}"`,
  });

before(async () => {
  app = await launchPrepared('reviews', (cli) => {
    cli('demo', '--customers', '2000');
    waiting = JSON.parse(cli('attestation', 'queue', '--limit', '0', '--json')).total;
  });
});
after(async () => app?.close());

test('the queue shows its oldest 100 and how many wait in all', async () => {
  assert.ok(waiting > 150, `the demo should have a long queue, has ${waiting}`);
  await (await app.$t('home')).waitForDisplayed({ timeout: 30_000 });
  assert.equal(await textOf(app, 'tile-reviews'), String(waiting));
  await nav(app, 'reviews');
  assert.equal(await textOf(app, 'review-count'), String(waiting), 'the sidebar badge');
  await (await app.$t('review-detail')).waitForDisplayed({ timeout: 15_000 });
  assert.equal(await countLine(), shownLine(100, waiting));
  // The list is virtualised: only the entries in view are in the page.
  const rendered = (await app.browser.$$('[data-testid="review-item"]')).length;
  assert.ok(rendered > 3 && rendered < 100, `${rendered} entries in the page`);
  await app.shot('review-queue-head');
});

test('"show more" loads the next oldest', async () => {
  await (await app.$t('review-more')).click();
  await waitForLine(shownLine(Math.min(200, waiting), waiting));
  await (await app.$t('review-queue-count')).scrollIntoView();
  await app.shot('review-queue-end');
});

test('a decision takes the attestation off the list and the count', async () => {
  const shown = Math.min(200, waiting);
  await approve(app);
  await (await app.$t('review-notice')).waitForDisplayed({ timeout: 10_000 });
  await waitForLine(shownLine(shown - 1, waiting - 1));
  assert.equal(await textOf(app, 'review-count'), String(waiting - 1), 'the sidebar badge');
  await nav(app, 'home');
  await app.browser.waitUntil(
    async () => (await textOf(app, 'tile-reviews')) === String(waiting - 1),
    { timeout: 10_000 },
  );
});
