// A value the core refuses is shown in the user's language (issue 20): the core sends a problem
// code with its parameters beside its English, and the form words it beside the field. Here a
// Simplified-Chinese OS, the add-customer form, a website that is no web address and then an
// external ID another customer already has: both only the core can refuse.
//
// Under LANG=zh_CN, WebKitWebDriver types capital ASCII letters as small ones ('ERP-7' arrives as
// 'erp-7'), hence the lower-case external ID. No screenshots here: in this locale the X display
// kept showing the form as first painted while typed values and errors were in the DOM (seen
// 2026-12-05; the assertions read the DOM).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchPrepared } from './harness.mjs';
import { nav, pickCountry, textOf } from './steps.mjs';

let app;

before(async () => {
  const prepare = (cli) =>
    cli('customer', 'add', '--name', 'Shenzhen Acme Trading Co., Ltd.', '--country', 'CN', '--type', 'distributor',
      '--external-id', 'erp-7');
  // The app's data and cache (where it keeps the chosen language) in the test's own folder.
  app = await launchPrepared('problems', prepare, ({ dir }) => ({
    XDG_DATA_HOME: join(dir, 'xdg', 'data'),
    XDG_CACHE_HOME: join(dir, 'xdg', 'cache'),
    LANG: 'zh_CN.UTF-8',
    LANGUAGE: '',
    LC_ALL: '',
  }));
});
after(async () => app?.close());

async function errorBeside(id, expected) {
  const el = await app.$t(`error-${id}`);
  await el.waitForDisplayed({ timeout: 10_000 });
  await app.browser.waitUntil(async () => (await textOf(app, `error-${id}`)) === expected, {
    timeout: 5_000,
    timeoutMsg: `beside ${id}: expected ${expected}, saw ${await textOf(app, `error-${id}`)}`,
  });
}

test('the core’s refusals are worded in Chinese beside their field, and nothing is saved', async () => {
  await (await app.$t('home')).waitForDisplayed({ timeout: 30_000 });
  await nav(app, 'customers');
  await (await app.$t('customer-add')).click();
  await (await app.$t('customer-form')).waitForDisplayed({ timeout: 10_000 });
  await (await app.$t('cf-name')).setValue('北京博远电子有限公司');
  await pickCountry(app, 'CN', '(CN)');
  await (await app.$t('cf-type')).selectByAttribute('value', 'oem');
  await (await app.browser.$('#cf-website')).setValue('not a site');
  await (await app.$t('customer-save')).click();
  await errorBeside('cf-website', '“not a site”不是有效的网址。');

  await (await app.browser.$('#cf-website')).setValue('boyuan.example');
  await (await app.browser.$('#cf-external_id')).setValue('erp-7');
  await (await app.$t('customer-save')).click();
  await errorBeside('cf-external_id', '“erp-7”已被客户 Shenzhen Acme Trading Co., Ltd. 使用。');
  assert.ok(await (await app.$t('customer-form')).isDisplayed(), 'the form stays open with what was typed');
  assert.equal(await (await app.$t('cf-name')).getValue(), '北京博远电子有限公司');
});

test('a misspelt merge field is refused in Chinese, naming the field as a template writes it', async () => {
  await nav(app, 'campaigns');
  await (await app.$t('open-templates')).click();
  const body = await app.$t('template-body');
  await body.waitForDisplayed({ timeout: 10_000 });
  // Set through the DOM: under LANG=zh_CN the driver's typing of shifted characters is not reliable.
  await app.browser.execute((el) => {
    el.value = 'Dear {{customer.nmae}},\n\nPlease reply.';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, body);
  await (await app.$t('save-template')).click();
  await errorBeside('tpl-body', '第 1 行第 6 列的合并字段“{{customer.nmae}}”不存在；是否要用“{{customer.name}}”？');
});
