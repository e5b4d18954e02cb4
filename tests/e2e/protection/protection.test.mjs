// Failing keys and the Protection view in headless Chromium on the harness site: keys refused with
// a wrong secret (real Basic requests over HTTPS) show in the "Failures (24 h)" column and the
// "Failing" view, which combines with a search and with "Apply to all … keys"; the protection
// settings are saved (a bad value comes back with the reason), and "Reset throttling" asks first,
// then lifts every block while the refusals stay listed. Runs alone (run.sh): the settings and the reset are site-wide;
// the settings found at the start are put back at the end.
import test from 'node:test';
import assert from 'node:assert/strict';
import { SECTION, SITE_TLS, ADMIN, launch, login, shot, basicGet } from '../admin/browser.mjs';

const RUN = `e2eprot${Date.now().toString(36)}`;
const TEST_ROUTE = `${SITE_TLS}/wp-json/wc/v3/keysmith-test`;
const PROTECTION = `${SECTION}&view=protection`;

let browser;
let page;
/** The protection settings as found, put back at the end. */
let before;
/** This run's two keys: { ck, cs, ending }. */
let keys = [];

async function readSettings() {
  await page.goto(PROTECTION);
  return {
    early: await page.isChecked('#ks_early_refusals'),
    throttle: await page.isChecked('#ks_throttle_enabled'),
    maxFailures: await page.inputValue('#ks_max_failures'),
    maxUnknown: await page.inputValue('#ks_max_unknown'),
    window: await page.inputValue('#ks_window'),
  };
}

async function fillSettings(s) {
  await page.setChecked('#ks_early_refusals', s.early);
  await page.setChecked('#ks_throttle_enabled', s.throttle);
  await page.fill('#ks_max_failures', s.maxFailures);
  await page.fill('#ks_max_unknown', s.maxUnknown);
  await page.fill('#ks_window', s.window);
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-protection-save')]);
}

async function notices() {
  return (await page.locator('.keysmith-notice').allTextContents()).map((t) => t.trim());
}

/** The list's count for these GET filters. */
async function count(query) {
  const url = new URL(SECTION);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  await page.goto(url.toString());
  return Number((await page.textContent('#keysmith-count')).replace(/[^\d]/g, ''));
}

/** $times requests with the key and a wrong secret, each refused. */
async function refuse(key, times) {
  for (let i = 0; i < times; i++) {
    const answer = await basicGet(TEST_ROUTE, key.ck, `${key.cs.slice(0, -1)}${key.cs.endsWith('0') ? '1' : '0'}`);
    assert.equal(answer.status, 401, answer.body);
  }
}

test.before(async () => {
  browser = await launch();
  page = browser.page;
  await login(page, ADMIN);
  before = await readSettings();
});

test.after(async () => {
  if (page && before) {
    await page.goto(PROTECTION);
    await fillSettings(before);
    // And no key of this run is left behind.
    if (await count({ s: RUN }) > 0) {
      await page.check('input[name="keysmith_scope"]');
      await page.selectOption('#ks-bulk-top', 'revoke');
      await Promise.all([page.waitForNavigation(), page.click('button[name="keysmith_apply"][value="top"]')]);
      await Promise.all([page.waitForNavigation(), page.click('#keysmith-execute')]);
    }
  }
  await browser?.close();
});

test('keys refused with a wrong secret show in the column and the "Failing" view', async () => {
  await page.goto(`${SECTION}&view=create`);
  await page.fill('#ks_count', '2');
  await page.fill('#ks_users', ADMIN.user);
  await page.fill('#ks_description', `${RUN} key {n}`);
  await page.click('#keysmith-create-submit');
  await page.locator('#keysmith-onetime').waitFor({ timeout: 60000 });
  const cks = await page.locator('#keysmith-onetime code.keysmith-ck').allTextContents();
  const css = await page.locator('#keysmith-onetime code.keysmith-cs').allTextContents();
  keys = cks.map((ck, i) => ({ ck: ck.trim(), cs: css[i].trim(), ending: ck.trim().slice(-7) }));
  assert.equal(keys.length, 2);

  await refuse(keys[0], 3);
  assert.equal(await count({ s: RUN, orderby: 'description', order: 'asc' }), 2);
  const cells = page.locator('#the-list td.column-failures');
  assert.match(await cells.nth(0).textContent(), /^3\s*Last: .+ from 127\.0\.0\.1\s*Consumer secret is invalid\.$/s);
  assert.doesNotMatch(await cells.nth(1).textContent(), /\d/);
  assert.match(await page.textContent('#keysmith-view-failing'), /^Failing \(1\)$/);
  assert.match(await page.textContent('#keysmith-view-all'), /^All \(2\)$/);
  await shot(page, 'protection-01-failures-column');

  // The view keeps the search; the filter form keeps the view.
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-view-failing')]);
  assert.equal(new URL(page.url()).searchParams.get('ks_failing'), '1');
  assert.equal(new URL(page.url()).searchParams.get('s'), RUN);
  assert.match(await page.textContent('#keysmith-count'), /1 key matches the filters\./);
  await page.fill('#keysmith-search', `${RUN} key 2`);
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-filter-submit')]);
  assert.equal(new URL(page.url()).searchParams.get('ks_failing'), '1');
  assert.equal(await page.locator('#the-list input[name="keysmith_key[]"]').count(), 0);
  await shot(page, 'protection-02-failing-view');
});

test('the failures column can be hidden in Screen Options', async () => {
  // WordPress saves the choice with admin-ajax (action hidden-columns): wait for it before reloading.
  const toggle = async (check) => {
    await page.click('#show-settings-link');
    if (await page.isChecked('#failures-hide') === check) return;
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('admin-ajax.php') && /action=hidden-columns/.test(r.request().postData() ?? '')),
      check ? page.check('#failures-hide') : page.uncheck('#failures-hide'),
    ]);
  };
  await count({ s: RUN });
  await toggle(true); // Shown, whatever an interrupted run left.
  await page.reload();
  assert.equal(await page.isVisible('th#failures'), true);
  await toggle(false);
  assert.equal(await page.isVisible('th#failures'), false);
  await page.reload();
  assert.equal(await page.isVisible('th#failures'), false, 'remembered for the user');
  await toggle(true);
  assert.equal(await page.isVisible('th#failures'), true);
  await page.reload();
  assert.equal(await page.isVisible('th#failures'), true);
});

test('protection settings: a bad value comes back with the reason; good ones are saved', async () => {
  await page.goto(SECTION);
  await Promise.all([page.waitForNavigation(), page.click('.keysmith-views a:has-text("Protection")')]);
  await page.fill('#ks_max_failures', '25');
  await page.fill('#ks_window', '5s');
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-protection-save')]);
  assert.deepEqual(await notices(), ['The window must last from 10 seconds to 24 hours.']);
  assert.equal(await page.inputValue('#ks_window'), '5s', 'what was typed stays');
  assert.equal(await page.inputValue('#ks_max_failures'), '25');
  await shot(page, 'protection-03-refused');
  assert.deepEqual(await readSettings(), before, 'nothing was saved');

  await fillSettings({ early: false, throttle: true, maxFailures: '25', maxUnknown: '50', window: '15m' });
  assert.deepEqual(await notices(), ['Protection settings saved.']);
  await shot(page, 'protection-04-saved');
  assert.deepEqual(await readSettings(), { early: false, throttle: true, maxFailures: '25', maxUnknown: '50', window: '15m' });
});

test('"Reset throttling" asks first, then lifts every block', async () => {
  await page.goto(PROTECTION);
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-reset')]);
  assert.match(await page.textContent('#keysmith-reset-confirm'), /Lift every throttling block\?/);
  assert.equal(await count({ s: RUN, ks_failing: '1' }), 1, 'asking changed nothing');
  await page.goto(`${PROTECTION}&ks_confirm_reset=1`);
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-reset-execute')]);
  assert.match((await notices()).join(' '), /^Throttling reset: emptied \d+ throttling counts?\. Every client may try again now\.$/);
  assert.equal(await count({ s: RUN, ks_failing: '1' }), 1, 'the refusals stay listed');
});

test('"Apply to all keys matching the filters" on the Failing view revokes the failing key only', async () => {
  assert.equal(await count({ s: RUN, ks_failing: '1' }), 1);
  assert.match(await page.textContent('#the-list'), new RegExp(keys[0].ending));
  await page.check('input[name="keysmith_scope"]');
  await page.selectOption('#ks-bulk-top', 'revoke');
  await Promise.all([page.waitForNavigation(), page.click('button[name="keysmith_apply"][value="top"]')]);
  assert.match(await page.textContent('.keysmith-confirm-text'), /Permanently revoke 1 key\?/);
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-execute')]);
  assert.deepEqual(await notices(), ['Revoked 1 of 1 key.']);
  assert.equal(new URL(page.url()).searchParams.get('ks_failing'), '1', 'back on the same view');
  assert.equal(await count({ s: RUN }), 1);
  assert.match(await page.textContent('#the-list'), new RegExp(keys[1].ending), 'the key without recent failures stays');
  assert.equal((await basicGet(TEST_ROUTE, keys[1].ck, keys[1].cs)).status, 200);
});
