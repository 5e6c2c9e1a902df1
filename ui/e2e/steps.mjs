// Small user-level steps shared by the e2e tests: what a person does, in WebDriver terms.

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

/** Types into a customer picker and chooses the first match. */
export async function pickCustomer(app, text) {
  const input = await app.$t('customer-picker');
  await input.click();
  await input.setValue(text);
  const option = await app.browser.$(`[data-testid="picker-option"]=${text}`).catch(() => null);
  const first = option && (await option.isExisting()) ? option : await app.$t('picker-option');
  await first.waitForDisplayed({ timeout: 5_000 });
  await first.click();
}

/** Queues the answer of the next native file dialog (see ui/src/lib/api/dialogs.ts). */
export async function queueFilePick(app, paths) {
  await app.browser.execute((p) => {
    window.__enduseNextPick = p;
  }, paths);
}

export async function switchUser(app, name) {
  await (await app.$t('switch-user')).click();
  const pick = await app.browser.$(`[data-testid="pick-user"]*=${name}`);
  await pick.waitForDisplayed({ timeout: 5_000 });
  await pick.click();
  await (await app.$t('home')).waitForDisplayed({ timeout: 10_000 });
}

export async function textOf(app, testid) {
  const el = await app.$t(testid);
  await el.waitForDisplayed({ timeout: 10_000 });
  return el.getText();
}
