// The letters screen (one customer's letters): a letter recorded by hand appears in the
// customer's list awaiting its acknowledgement; an acknowledgement without its sender's name is
// refused beside the field, and one with it marks the letter acknowledged.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchPrepared } from './harness.mjs';
import { nav, pickCustomer, textOf, textsOf } from './steps.mjs';

let app;

before(async () => {
  app = await launchPrepared('letters', (cli) =>
    cli(
      '--as', 'mia@example.com', 'customer', 'add', '--name', 'Harbour Gate Trading Ltd',
      '--country', 'HK', '--type', 'distributor', '--external-id', 'HG-1',
    ),
  );
});
after(async () => app?.close());

test('a letter recorded by hand is listed for the customer, awaiting its acknowledgement', async () => {
  await (await app.$t('home')).waitForDisplayed({ timeout: 30_000 });
  await nav(app, 'letters');
  await pickCustomer(app, 'Harbour Gate Trading Ltd');
  await (await app.$t('list-empty')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('letter-record')).click();
  await (await app.$t('letter-notice')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('letter-row')).waitForDisplayed({ timeout: 10_000 });
  assert.equal((await textsOf(app, 'letter-row')).length, 1);
  assert.match(await textOf(app, 'letter-row'), /Email/);
  await app.shot('letter-recorded');
});

test('an acknowledgement needs who sent it, then marks the letter acknowledged', async () => {
  await (await app.$t('letter-ack-open')).click();
  await (await app.$t('letter-ack-save')).click();
  await (await app.browser.$('#ack_by')).waitForDisplayed({ timeout: 5_000 });
  await app.browser.waitUntil(async () => (await app.browser.$('#ack_by').getAttribute('aria-invalid')) === 'true', {
    timeout: 10_000,
    timeoutMsg: 'no error beside "acknowledged by"',
  });
  await app.shot('ack-refused');
  await (await app.browser.$('#ack_by')).setValue('Li Wei');
  await (await app.$t('letter-ack-save')).click();
  await (await app.$t('letter-ack-open')).waitForExist({ timeout: 10_000, reverse: true });
  assert.match(await textOf(app, 'letter-row'), /Li Wei/);
  await app.shot('letter-acknowledged');
});
