// Small user-level steps shared by the e2e tests: what a person does, in WebDriver terms.
import { signedPdf } from './fixtures.mjs';

export async function createProfile(app, { name, email, role }) {
  const b = app.browser;
  await (await b.$('#name')).waitForDisplayed({ timeout: 10_000 });
  await (await b.$('#name')).setValue(name);
  await (await b.$('#email')).setValue(email);
  await (await b.$('#role')).selectByAttribute('value', role);
  await (await app.$t('create-profile')).click();
}

export async function nav(app, name) {
  await (await app.$t(`nav-${name}`)).click();
}

/** Types `text` into the picker `picker` and chooses its option (`option`) that contains `label`. */
async function pick(app, picker, option, text, label) {
  const input = await app.$t(picker);
  await input.click();
  await input.setValue(text);
  const choice = await app.browser.$(`//*[@data-testid="${option}"][contains(., "${label}")]`);
  await choice.waitForExist({ timeout: 5_000 });
  await choice.click();
}

/** Types into a customer picker and chooses the first match. */
export async function pickCustomer(app, text) {
  await pick(app, 'customer-picker', 'picker-option', text, text);
}

/** Types into the country picker and chooses the option whose label contains `label`. */
export async function pickCountry(app, text, label) {
  await pick(app, 'country-picker', 'country-option', text, label);
}

/** Checks order SO-E2E of `customer` for the HS code `hs` and waits for the answer. */
export async function checkOrder(app, customer, hs = '854231') {
  await pickCustomer(app, customer);
  await (await app.$t('check-order')).setValue('SO-E2E');
  await (await app.$t('check-hs')).setValue(hs);
  await (await app.$t('check-submit')).click();
  await (await app.$t('check-result')).waitForDisplayed({ timeout: 10_000 });
}

/**
 * Approves the attestation on the review screen. One without a signed document asks to be
 * confirmed (issue 21): the confirmation is given when it is asked for.
 */
export async function approve(app) {
  await (await app.$t('review-approve')).click();
  const confirm = await app.$t('review-approve-confirm');
  if (await confirm.isExisting()) await confirm.click();
}

/**
 * Queues the answer of the next native file dialog: the shell's `queue_pick`, a command only debug
 * builds have (src-tauri/src/commands/files.rs). The UI then gets tokens as if the user had picked
 * these files (see ui/src/lib/api/dialogs.ts).
 */
export async function queueFilePick(app, paths) {
  const error = await app.browser.executeAsync((p, done) => {
    window.__TAURI_INTERNALS__
      .invoke('queue_pick', { input: p })
      .then(() => done(null))
      .catch((e) => done(String(e?.message ?? JSON.stringify(e))));
  }, paths);
  if (error) throw new Error(`queue_pick failed: ${error}`);
}

/**
 * Fills the open attestation form (its customer already picked): Li Wei signs, destination CN,
 * HS code 8542 as a chip, and a signed PDF attached.
 */
export async function fillAttestation(app) {
  await (await app.$t('signatory-name')).setValue('Li Wei');
  await (await app.$t('destinations')).setValue('CN');
  // Enter adds the code as a chip (WebDriver's '\n' is a character, not the Enter key).
  await (await app.$t('hs-input')).setValue('8542');
  await app.browser.keys('Enter');
  await (await app.$t('hs-chip')).waitForDisplayed({ timeout: 5_000 });
  await queueFilePick(app, [signedPdf(app.dir)]);
  await (await app.$t('attach-browse')).click();
  await (await app.$t('attached-doc')).waitForDisplayed({ timeout: 5_000 });
}

/** On first run, opens "join a team" and fills in the hub's address and the join code. */
export async function fillJoin(app, hubUrl, code) {
  await (await app.$t('first-run')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('first-run-join')).click();
  await (await app.browser.$('#team-hub')).setValue(hubUrl);
  await (await app.browser.$('#team-code')).setValue(code);
}

export async function switchUser(app, name) {
  await (await app.$t('switch-user')).click();
  const pick = await app.browser.$(`//*[@data-testid="pick-user"][contains(., "${name}")]`);
  await pick.waitForExist({ timeout: 5_000 });
  await pick.click();
  await (await app.$t('home')).waitForExist({ timeout: 10_000 });
}

/**
 * The text of an element once it exists and has some. WebKitWebDriver's getText returns '' for
 * some displayed elements (seen in the sidebar), so this reads textContent, whitespace collapsed.
 */
export async function textOf(app, testid) {
  const el = await app.$t(testid);
  await el.waitForExist({ timeout: 10_000 });
  let text = '';
  await app.browser
    .waitUntil(async () => (text = await read(el)) !== '', { timeout: 5_000 })
    .catch(() => {});
  return text;
}

async function read(el) {
  const t = await el.getProperty('textContent');
  return String(t ?? '').replace(/\s+/g, ' ').trim();
}

/** Text of every element with this test id, in document order. */
export async function textsOf(app, testid) {
  return app.browser.execute(
    (id) =>
      [...document.querySelectorAll(`[data-testid="${id}"]`)].map((e) =>
        (e.textContent ?? '').replace(/\s+/g, ' ').trim(),
      ),
    testid,
  );
}
