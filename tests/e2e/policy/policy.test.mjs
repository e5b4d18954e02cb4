// The key-lifetime policy and keys made outside Keysmith, in headless Chromium on the harness site:
// the policy is saved and shown on Keysmith's screen, then a key made with WooCommerce's own
// Add key screen (the contract fixture's form and admin-ajax save) appears in Keysmith's list as
// made with WooCommerce, with the policy's default expiry. Runs alone (run.sh): the policy is a
// site-wide setting, and it is cleared again at the end.
import test from 'node:test';
import assert from 'node:assert/strict';
import { SECTION, KEYS_SECTION, ADMIN, launch, login, shot } from '../admin/browser.mjs';

const RUN = `e2epol${Date.now().toString(36)}`;
let browser;
let page;

test.before(async () => {
  browser = await launch();
  page = browser.page;
  await login(page, ADMIN);
});

test.after(async () => {
  if (page) {
    // Leave the site as it was: no policy.
    await page.goto(`${SECTION}&view=policy`);
    await page.fill('#ks_default_expiry', '');
    await page.fill('#ks_max_lifetime', '');
    await Promise.all([page.waitForNavigation(), page.click('#keysmith-policy-save')]);
  }
  await browser?.close();
});

/** The list's count for these GET filters. */
async function count(query) {
  const url = new URL(SECTION);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  await page.goto(url.toString());
  return Number((await page.textContent('#keysmith-count')).replace(/[^\d]/g, ''));
}

/** YYYY-MM-DD, UTC, $days from now. */
function day(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

test('the key-lifetime policy is saved on its view and shown on the screen', async () => {
  await page.goto(SECTION);
  await page.click('.keysmith-views a:has-text("Key-lifetime policy")');
  assert.match(await page.textContent('#keysmith-policy-summary'), /No key-lifetime policy/);
  await page.fill('#ks_default_expiry', '30d');
  await page.fill('#ks_max_lifetime', '90 days');
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-policy-save')]);
  assert.match(await page.textContent('.keysmith-notice'), /Key-lifetime policy saved\./);
  assert.equal(
    (await page.textContent('#keysmith-policy-summary')).trim(),
    'New keys expire after 30 days unless an expiry is chosen. No key may be made to live longer than 90 days.',
  );
  await page.reload();
  assert.equal(await page.inputValue('#ks_default_expiry'), '30d');
  assert.equal(await page.inputValue('#ks_max_lifetime'), '90d');
  await shot(page, 'policy-01-saved');

  // A value the policy refuses comes back with the reason; the saved policy stays.
  await page.fill('#ks_default_expiry', '365d');
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-policy-save')]);
  assert.match(await page.textContent('.keysmith-notice'), /The default expiry \(365 days\) is longer than the maximum lifetime \(90 days\)\./);
  assert.match(await page.textContent('#keysmith-policy-summary'), /expire after 30 days/);

  await page.goto(SECTION);
  assert.match(await page.textContent('.keysmith-policy-summary'), /New keys expire after 30 days/);
  await page.goto(`${SECTION}&view=create`);
  assert.equal(await page.getAttribute('#ks_expires', 'placeholder'), '30 days');
});

test("a key made on WooCommerce's Add key screen shows in Keysmith's list as made with WooCommerce, with the default expiry", async () => {
  await page.goto(`${KEYS_SECTION}&create-key=1`);
  await page.fill('#key_description', `${RUN} via WooCommerce`);
  await page.selectOption('#key_permissions', 'read_write');
  await page.click('#update_api_key');
  await page.locator('#key_consumer_key').waitFor();
  assert.match(await page.inputValue('#key_consumer_key'), /^ck_[0-9a-f]{40}$/);
  const ending = (await page.inputValue('#key_consumer_key')).slice(-7);
  await shot(page, 'policy-02-woocommerce-add-key');

  assert.equal(await count({ s: RUN }), 1);
  const row = page.locator('#the-list tr').first();
  assert.match(await row.textContent(), new RegExp(ending));
  assert.equal((await row.locator('td.column-source').textContent()).trim(), 'WooCommerce');
  assert.doesNotMatch(await row.locator('td.column-expires').textContent(), /Never/);
  assert.doesNotMatch(await row.locator('td.column-created').textContent(), /Unknown/);
  await shot(page, 'policy-03-listed');

  // The expiry is the policy's: 30 days from now (between 29 and 31 days, whatever the time zone).
  assert.equal(await count({ s: RUN, ks_source: 'woocommerce' }), 1);
  assert.equal(await count({ s: RUN, ks_source: 'keysmith' }), 0);
  assert.equal(await count({ s: RUN, ks_expiry: 'before', ks_expires_before: day(31) }), 1);
  assert.equal(await count({ s: RUN, ks_expiry: 'before', ks_expires_before: day(29) }), 0);

  // And the audit log says who made it where.
  await page.goto(`${SECTION}&view=audit&ks_source=woocommerce`);
  assert.match(await page.textContent('#the-list'), new RegExp(`Created…${ending}[\\s\\S]*key_source: woocommerce; expires_at: `));
});
