// The bulk key management screen (WooCommerce > Settings > Advanced > Bulk key management) in
// headless Chromium against the harness site: every step goes through the browser as an admin
// would, and the results are checked through the screen itself and through the wc/v3 API.
// Run by tests/e2e/run.sh (harness env exported); artifacts go to tests/e2e/artifacts/.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  SITE, SITE_TLS, ADMIN, SHOP_MANAGER, CUSTOMER, SECTION, KEYS_SECTION, ARTIFACTS, REPO,
  launch, login, shot, basicGet, parseCsv,
} from './browser.mjs';

const RUN = `e2e${Date.now().toString(36)}`; // Tags this run's keys: other suites share the site.
const CK = /^ck_[0-9a-f]{40}$/;
const CS = /^cs_[0-9a-f]{40}$/;
const TEST_ROUTE = `${SITE_TLS}/wp-json/wc/v3/keysmith-test`;

let browser;
let page;
const files = {};
/** Ids of every key this run made (the 50 of the bulk create, then the rotation's successor). */
const runKeyIds = [];
/**
 * This run's keys left at the end: 50 created, 1 rotated in, 6 revoked; then, without
 * JavaScript, 2 created and one of them rotated with no grace period (one out, one in).
 */
const RUN_KEYS_AT_END = 50 + 1 - 6 + 2;

const pageErrors = [];

test.before(async () => {
  browser = await launch();
  page = browser.page;
  // Only errors thrown by Keysmith's script: Debian's WordPress package ships some core scripts'
  // libraries (underscore, backbone) separately, and their absence here is not this plugin's doing.
  page.on('pageerror', (error) => {
    if (/keysmith-admin\.js/.test(error.stack ?? '')) pageErrors.push(error.stack);
  });
  await login(page, ADMIN);
});

test.after(async () => {
  await browser?.close();
});

/** Number the list reports for the current filters ("N keys match the filters." / "N keys in all."). */
async function listCount(p = page) {
  const text = await p.textContent('#keysmith-count');
  return Number(text.replace(/[^\d]/g, ''));
}

async function gotoList(query = {}, p = page) {
  const url = new URL(SECTION);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  await p.goto(url.toString());
  return listCount(p);
}

async function notices(p = page) {
  return (await p.locator('.keysmith-notice').allTextContents()).map((t) => t.trim());
}

test('the REST API keys screen has a "Bulk manage" control that opens the section', async () => {
  await page.goto(KEYS_SECTION);
  const control = page.locator('#keysmith-bulk-manage-action');
  await control.waitFor();
  // Placed next to WooCommerce's "Add key", in the same heading.
  const heading = await control.evaluate((a) => a.parentElement.textContent);
  assert.match(heading, /Add key/);
  await shot(page, '01-rest-api-screen');
  await Promise.all([page.waitForURL(/section=keysmith/), control.click()]);
  assert.match(await page.textContent('h2.keysmith-title'), /Bulk key management/);
  // No WooCommerce "Save changes" button on this section.
  assert.equal(await page.locator('.woocommerce-save-button').count(), 0);
});

test('bulk-create 50 keys: one-time view, CSV and JSON downloads built in the browser', async () => {
  await page.goto(`${SECTION}&view=create`);
  await page.fill('#ks_count', '50');
  await page.fill('#ks_users', ADMIN.user);
  await page.selectOption('#ks_permissions', 'read');
  await page.fill('#ks_description', `${RUN} key {n} of {user}`);
  await page.click('#keysmith-create-submit');
  await page.locator('#keysmith-onetime').waitFor({ timeout: 60000 });
  assert.deepEqual(await notices(page.locator('#keysmith-js-notices')), ['Created 50 keys.']);
  assert.match(await page.textContent('.keysmith-secret-warning'), /will not be shown again/);
  assert.equal(await page.locator('table.keysmith-secrets tbody tr').count(), 50);
  await shot(page, '02-created-50');

  for (const kind of ['csv', 'json']) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`[data-keysmith-download="${kind}"]`),
    ]);
    assert.match(download.suggestedFilename(), new RegExp(`^keysmith-keys-\\d{8}T\\d{6}\\.${kind}$`));
    const file = path.join(ARTIFACTS, `admin-keys.${kind}`);
    await download.saveAs(file);
    files[kind] = fs.readFileSync(file, 'utf8');
  }

  const rows = parseCsv(files.csv);
  const header = rows.shift();
  assert.deepEqual(header.slice(0, 7), ['key_id', 'user_id', 'user_login', 'description', 'permissions', 'consumer_key', 'consumer_secret']);
  assert.equal(rows.length, 50);
  const col = (name) => header.indexOf(name);
  for (const [i, row] of rows.entries()) {
    assert.match(row[col('consumer_key')], CK);
    assert.match(row[col('consumer_secret')], CS);
    assert.equal(row[col('truncated_key')], row[col('consumer_key')].slice(-7));
    assert.equal(row[col('description')], `${RUN} key ${i + 1} of ${ADMIN.user}`);
    assert.equal(row[col('permissions')], 'read');
  }

  const json = JSON.parse(files.json);
  assert.equal(json.length, 50);
  runKeyIds.push(...json.map((k) => Number(k.key_id)));
  assert.equal(new Set(json.map((k) => k.consumer_key)).size, 50);
  json.forEach((k, i) => {
    assert.match(k.consumer_key, CK);
    assert.match(k.consumer_secret, CS);
    assert.equal(k.consumer_key, rows[i][col('consumer_key')], 'CSV and JSON hold the same keys');
    assert.equal(k.consumer_secret, rows[i][col('consumer_secret')]);
  });

  // Leaving and coming back with Back shows no secret (the script also drops them on pagehide in
  // case a browser keeps the page in its back/forward cache; this headless run does not).
  await page.goto(SECTION);
  await page.goBack();
  await page.locator('#keysmith-create').waitFor();
  assert.doesNotMatch(await page.content(), /cs_[0-9a-f]{40}/);
  // Reloading shows the empty form again: no secret anywhere in the page.
  await page.reload();
  assert.equal(await page.locator('#keysmith-onetime').count(), 0);
  assert.doesNotMatch(await page.content(), /cs_[0-9a-f]{40}/);
});

test('a key from the downloaded file authenticates against wc/v3 (Basic over HTTPS)', async () => {
  const key = JSON.parse(files.json)[0];
  const ok = await basicGet(TEST_ROUTE, key.consumer_key, key.consumer_secret);
  assert.equal(ok.status, 200, ok.body);
  assert.equal(ok.json.user_id, key.user_id);
  const wrong = await basicGet(TEST_ROUTE, key.consumer_key, key.consumer_secret.replace(/.$/, (c) => (c === '0' ? '1' : '0')));
  assert.equal(wrong.status, 401, wrong.body);
});

test('screen option: rows per page', async () => {
  await page.goto(`${SECTION}&s=${RUN}`);
  await page.click('#show-settings-link');
  await page.fill('#keysmith_keys_per_page', '7');
  await Promise.all([page.waitForNavigation(), page.click('#screen-options-apply')]);
  assert.equal(await page.locator('#the-list tr').count(), 7);
  await page.click('#show-settings-link');
  await page.fill('#keysmith_keys_per_page', '20');
  await Promise.all([page.waitForNavigation(), page.click('#screen-options-apply')]);
  assert.equal(await page.locator('#the-list tr').count(), 20);
});

test('filter: search, permissions, never used; plain GET URLs', async () => {
  assert.equal(await gotoList({ s: RUN }), 50);
  // Through the form: "key 1" matches keys 1 and 10-19.
  await page.fill('#keysmith-search', `${RUN} key 1`);
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-filter-submit')]);
  assert.equal(new URL(page.url()).searchParams.get('s'), `${RUN} key 1`, 'filters live in the GET URL');
  assert.equal(await listCount(), 11);
  assert.equal(await page.locator('#the-list tr').count(), 11);
  assert.equal(await gotoList({ s: RUN, ks_permissions: 'read' }), 50);
  assert.equal(await gotoList({ s: RUN, ks_permissions: 'write' }), 0);
  // Key 1 was used by the authentication test, the other 49 never.
  assert.equal(await gotoList({ s: RUN, ks_usage: 'never' }), 49);
  // Key ending search finds exactly that key.
  const key = JSON.parse(files.json)[1];
  assert.equal(await gotoList({ s: key.truncated_key }), 1);
  await shot(page, '03-filtered');
});

test('bulk-change permissions of all keys matching the filter, with a confirmation', async () => {
  assert.equal(await gotoList({ s: `${RUN} key 1` }), 11);
  await page.check('input[name="keysmith_scope"]');
  await page.selectOption('#ks-bulk-top', 'permissions');
  await Promise.all([page.waitForNavigation(), page.click('button[name="keysmith_apply"][value="top"]')]);
  assert.match(await page.textContent('.keysmith-confirm-text'), /Change the permissions of 11 keys to:/);
  await shot(page, '04-confirm-permissions');
  // Nothing changed yet (checked in a second tab: this one holds the confirmation).
  const other = await browser.context.newPage();
  assert.equal(await gotoList({ s: RUN, ks_permissions: 'read_write' }, other), 0);
  await other.close();
  await page.selectOption('#ks_new_permissions', 'read_write');
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-execute')]);
  assert.deepEqual(await notices(), ['Updated 11 of 11 keys.']);
  assert.equal(await gotoList({ s: RUN, ks_permissions: 'read_write' }), 11);
  assert.equal(await gotoList({ s: RUN, ks_permissions: 'read' }), 39);
  // Reloading the result page repeats nothing (redirect after POST): the notice is gone from the URL.
  await page.reload();
  assert.equal(await listCount(), 39);
});

test('bulk-revoke selected keys after confirming the exact count; a revoked key stops working', async () => {
  const first = JSON.parse(files.json)[0];
  assert.equal(await gotoList({ s: RUN, orderby: 'description', order: 'asc' }), 50);
  // Tick key 1 (used for authentication above) and four more.
  const boxes = page.locator('#the-list input[name="keysmith_key[]"]');
  for (let i = 0; i < 5; i++) await boxes.nth(i).check();
  const firstRow = await page.locator('#the-list tr').first().textContent();
  assert.match(firstRow, new RegExp(`${RUN} key 1 of`));
  await page.selectOption('#ks-bulk-top', 'revoke');
  await Promise.all([page.waitForNavigation(), page.click('button[name="keysmith_apply"][value="top"]')]);
  assert.match(await page.textContent('.keysmith-confirm-text'), /Permanently revoke 5 keys\?/);
  assert.equal(await page.locator('.keysmith-preview tbody tr').count(), 5);
  assert.equal(await page.isVisible('#keysmith-progress'), false);
  await shot(page, '05-confirm-revoke');
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-execute')]);
  assert.deepEqual(await notices(), ['Revoked 5 of 5 keys.']);
  await shot(page, '06-revoked');
  assert.equal(await gotoList({ s: RUN }), 45);
  const gone = await basicGet(TEST_ROUTE, first.consumer_key, first.consumer_secret);
  // An unknown key over Basic leaves the request unauthenticated (WooCommerce sets no error), so
  // the route itself refuses it.
  assert.equal(gone.status, 401, gone.body);
  assert.notEqual(gone.json.user_id, first.user_id);
});

test('row action "Revoke" asks for confirmation of that one key', async () => {
  const target = JSON.parse(files.json)[39]; // "key 40": untouched so far.
  assert.equal(await gotoList({ s: target.truncated_key }), 1);
  const href = await page.getAttribute('#the-list .row-actions .trash a', 'href');
  await page.goto(href);
  assert.match(await page.textContent('.keysmith-confirm-text'), /Permanently revoke 1 key\?/);
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-execute')]);
  assert.deepEqual(await notices(), ['Revoked 1 of 1 key.']);
  assert.equal(await gotoList({ s: target.truncated_key }), 0);
});

test('rotate: new secrets shown once through admin-ajax; old key keeps working during the grace period', async () => {
  const keys = JSON.parse(files.json);
  const old = keys[20];
  assert.equal(await gotoList({ s: old.truncated_key }), 1);
  await page.check('#the-list input[name="keysmith_key[]"]');
  await page.selectOption('#ks-bulk-top', 'rotate');
  await Promise.all([page.waitForNavigation(), page.click('button[name="keysmith_apply"][value="top"]')]);
  await page.selectOption('#ks_grace', String(86400));
  await page.click('#keysmith-execute');
  await page.locator('#keysmith-onetime').waitFor();
  assert.deepEqual(await notices(page.locator('#keysmith-js-notices')), ['Rotated 1 of 1 key.']);
  const ck = (await page.textContent('#keysmith-onetime code.keysmith-ck')).trim();
  const cs = (await page.textContent('#keysmith-onetime code.keysmith-cs')).trim();
  assert.match(ck, CK);
  assert.match(cs, CS);
  assert.equal((await basicGet(TEST_ROUTE, ck, cs)).status, 200);
  assert.equal((await basicGet(TEST_ROUTE, old.consumer_key, old.consumer_secret)).status, 200);
  // The old key now expires (in a day); the new one has the same description.
  await gotoList({ s: old.truncated_key });
  assert.match(await page.textContent('#the-list td.column-expires'), /\d/);
  assert.equal(await gotoList({ s: `${RUN} key 21 of` }), 2);
  assert.match(await page.textContent('#the-list'), new RegExp(`Replaces #${old.key_id}`));
  const ids = (await page.locator('#the-list input[name="keysmith_key[]"]').evaluateAll((boxes) => boxes.map((b) => Number(b.value))));
  const successor = ids.filter((id) => id !== Number(old.key_id));
  assert.equal(successor.length, 1);
  runKeyIds.push(successor[0]);
});

test('reassign owner, then set and clear the expiry of the ticked keys', async () => {
  const apply = async (action) => {
    assert.equal(await gotoList({ s: `${RUN} key 4`, orderby: 'description', order: 'asc' }), 10); // 4, 41-49 (40 was revoked)
    const boxes = page.locator('#the-list input[name="keysmith_key[]"]');
    for (let i = 0; i < 3; i++) await boxes.nth(i).check();
    await page.selectOption('#ks-bulk-top', action);
    await Promise.all([page.waitForNavigation(), page.click('button[name="keysmith_apply"][value="top"]')]);
  };
  await apply('owner');
  await page.fill('#ks_owner', SHOP_MANAGER.user);
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-execute')]);
  assert.deepEqual(await notices(), ['Updated 3 of 3 keys.']);
  assert.equal(await gotoList({ s: RUN, ks_user: SHOP_MANAGER.user }), 3);
  await page.goto(`${SECTION}&view=audit&ks_audit_action=update`);
  assert.match(await page.textContent('#the-list'), /owner: admin → Shop Manager/);

  await apply('expiry');
  await page.fill('#ks_expires_at', '2099-01-31');
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-execute')]);
  assert.deepEqual(await notices(), ['Updated 3 of 3 keys.']);
  assert.equal(await gotoList({ s: RUN, ks_expiry: 'before', ks_expires_before: '2099-02-01' }), 3 + 1); // + the rotated key
  await apply('clear_expiry');
  assert.match(await page.textContent('.keysmith-confirm-text'), /Remove the expiry of 3 keys/);
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-execute')]);
  assert.deepEqual(await notices(), ['Updated 3 of 3 keys.']);
  assert.equal(await gotoList({ s: RUN, ks_expiry: 'before', ks_expires_before: '2099-02-01' }), 1);

  // A date in the past is refused by the store; the confirmation comes back with its message.
  await apply('expiry');
  await page.fill('#ks_expires_at', '2001-01-01');
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-execute')]);
  assert.match((await notices()).join(' '), /not in the future/);
  assert.equal(await page.locator('#keysmith-confirm').count(), 1);
});

test('audit log lists the create, update, revoke and rotate actions', async () => {
  // Exactly what this run did to its own keys (the site keeps earlier runs' rows), read through
  // Keysmith's REST API with the browser's login (one request per key of this run).
  const nonce = await (await page.request.get(`${SITE}/wp-admin/admin-ajax.php?action=rest-nonce`)).text();
  const counts = {};
  for (const id of runKeyIds) {
    const response = await page.request.get(`${SITE}/wp-json/keysmith/v1/audit?key=${id}&per_page=100`, { headers: { 'X-WP-Nonce': nonce } });
    assert.equal(response.status(), 200, await response.text());
    for (const event of await response.json()) counts[event.action] = (counts[event.action] ?? 0) + 1;
  }
  assert.equal(runKeyIds.length, 51);
  assert.deepEqual(counts, {
    create: 50 + 1, // the bulk create, then the rotation's successor
    update: 11 + 3 + 3 + 3, // permissions of "key 1…"; owner, expiry set, expiry cleared of three keys
    revoke: 5 + 1, // bulk, then the row action
    rotate: 1,
  });
  // The screen's own filter finds them too.
  await page.goto(`${SECTION}&view=audit&ks_audit_action=rotate&ks_key_id=${JSON.parse(files.json)[20].key_id}`);
  assert.match(await page.locator('.tablenav.top .displaying-num').first().textContent(), /^\s*1 item/);
  // Filter by key id: key 1 was created, its permissions changed (it matched "key 1"), then revoked.
  const first = JSON.parse(files.json)[0];
  await page.goto(`${SECTION}&view=audit&ks_key_id=${first.key_id}`);
  const actions = await page.locator("#the-list td.column-action").allTextContents();
  assert.deepEqual(actions.map((a) => a.trim()), ['Revoked', 'Updated', 'Created']);
  // Through the filter form too.
  await page.goto(`${SECTION}&view=audit`);
  await page.selectOption('#ks_audit_action', 'update');
  await Promise.all([page.waitForURL(/ks_audit_action=update/), page.click('#keysmith-audit-filter-submit')]);
  assert.match(await page.textContent('#the-list'), /permissions: read → read_write/);
  await shot(page, '07-audit');
});

test('a forged request without a valid nonce changes nothing', async () => {
  const before = await gotoList({ s: RUN });
  const fields = {
    keysmith_execute: '1', ks_action: 'revoke', keysmith_scope: 'all', s: RUN,
    keysmith_nonce: 'forged1234', ks_token: 'a'.repeat(32),
  };
  const forged = await page.request.post(SECTION, { form: fields, maxRedirects: 0 });
  assert.equal(forged.status(), 403);
  const noNonce = { ...fields };
  delete noNonce.keysmith_nonce;
  assert.equal((await page.request.post(SECTION, { form: noNonce, maxRedirects: 0 })).status(), 403);
  // The AJAX create endpoint too.
  const ajax = await page.request.post(`${SITE}/wp-admin/admin-ajax.php`, {
    form: { action: 'keysmith_create_keys', keysmith_nonce: 'forged1234', ks_count: '3', ks_users: ADMIN.user, ks_permissions: 'read', ks_description: `${RUN} forged {n}` },
  });
  assert.equal(ajax.status(), 403);
  assert.equal((await ajax.json()).success, false);
  assert.equal(await gotoList({ s: RUN }), before);
  assert.equal(await gotoList({ s: `${RUN} forged` }), 0);
});

test('a user without manage_woocommerce (customer) gets no access', async () => {
  const customer = await launch();
  try {
    await login(customer.page, CUSTOMER);
    const response = await customer.page.goto(SECTION);
    assert.equal(response.status(), 403);
    assert.equal(await customer.page.locator('#keysmith-screen').count(), 0);
    // Even with a nonce of its own, the AJAX endpoint refuses: capability, not just nonce.
    const ajax = await customer.page.request.post(`${SITE}/wp-admin/admin-ajax.php`, {
      form: { action: 'keysmith_create_keys', ks_count: '1', ks_users: CUSTOMER.user, ks_permissions: 'read', ks_description: `${RUN} customer` },
    });
    assert.equal(ajax.status(), 403);
  } finally {
    await customer.close();
  }
  assert.equal(await gotoList({ s: `${RUN} customer` }), 0);
});

test('a shop manager cannot assign keys to an administrator: the store\'s refusal is shown', async () => {
  const manager = await launch();
  try {
    await login(manager.page, SHOP_MANAGER);
    await manager.page.goto(`${SECTION}&view=create`);
    await manager.page.fill('#ks_count', '2');
    await manager.page.fill('#ks_users', ADMIN.user);
    await manager.page.fill('#ks_description', `${RUN} manager {n}`);
    await manager.page.click('#keysmith-create-submit');
    const error = manager.page.locator('#keysmith-js-notices .notice-error');
    await error.waitFor();
    assert.match(await error.textContent(), /You do not have permission to assign API Keys to the selected user\./);
    // Nor revoke an administrator's keys (WooCommerce: bulk revoke needs remove_users, single revoke edit_user).
    const before = await gotoList({ s: RUN }, manager.page);
    await manager.page.locator('#the-list input[name="keysmith_key[]"]').first().check();
    await manager.page.selectOption('#ks-bulk-top', 'revoke');
    await Promise.all([manager.page.waitForNavigation(), manager.page.click('button[name="keysmith_apply"][value="top"]')]);
    await manager.page.click('#keysmith-execute');
    await manager.page.locator('.keysmith-notice.notice-error').waitFor();
    assert.match(await manager.page.textContent('.keysmith-notice.notice-error'), /You do not have permission to revoke API keys of admin\./);
    assert.equal(await gotoList({ s: RUN }, manager.page), before);
  } finally {
    await manager.close();
  }
  assert.equal(await gotoList({ s: `${RUN} manager` }), 0);
});

test('without JavaScript: filters, a bulk action and bulk create all work', async () => {
  const nojs = await launch({ javaScriptEnabled: false });
  const p = nojs.page;
  try {
    await login(p, ADMIN);
    await p.goto(SECTION);
    await p.fill('#keysmith-search', `${RUN} key 3`);
    await Promise.all([p.waitForURL(/[?&]s=/), p.click('#keysmith-filter-submit')]);
    assert.equal(await listCount(p), 11); // 3, 30-39
    await p.check('input[name="keysmith_scope"]');
    await p.selectOption('#ks-bulk-bottom', 'expiry');
    await p.click('button[name="keysmith_apply"][value="bottom"]');
    await p.locator('#keysmith-confirm').waitFor();
    assert.match(await p.textContent('.keysmith-confirm-text'), /Set the expiry of 11 keys to:/);
    await p.fill('#ks_expires_at', '+30 days');
    await Promise.all([p.waitForNavigation(), p.click('#keysmith-execute')]);
    assert.deepEqual(await notices(p), ['Updated 11 of 11 keys.']);
    assert.equal(await gotoList({ s: RUN, ks_expiry: 'before', ks_expires_before: new Date(Date.now() + 40 * 86400e3).toISOString().slice(0, 10) }, p), 11 + 1); // + the rotated key in its grace period

    // Create: the result page comes back in the POST response, marked no-store.
    await p.goto(`${SECTION}&view=create`);
    await p.fill('#ks_count', '2');
    await p.fill('#ks_users', ADMIN.user);
    await p.fill('#ks_description', `${RUN} nojs {n}`);
    const [response] = await Promise.all([p.waitForResponse((r) => r.request().method() === 'POST'), p.click('#keysmith-create-submit')]);
    assert.match(response.headers()['cache-control'], /no-store/);
    await p.locator('#keysmith-onetime').waitFor();
    assert.equal(await p.locator('table.keysmith-secrets tbody tr').count(), 2);
    assert.match(await p.inputValue('#keysmith-csv-text'), /ck_[0-9a-f]{40},cs_[0-9a-f]{40}/);
    await shot(p, '08-nojs-created');

    // Rotate from a row action: the confirmation, then the new secret in the POST response;
    // resubmitting that POST (what a reload does) rotates nothing more.
    const created = (await p.textContent('table.keysmith-secrets tbody tr:first-child code.keysmith-ck')).trim();
    assert.equal(await gotoList({ s: created.slice(-7) }, p), 1);
    await p.goto(await p.getAttribute('#the-list .row-actions .rotate a', 'href'));
    await p.selectOption('#ks_grace', '0');
    const [rotated] = await Promise.all([p.waitForResponse((r) => r.request().method() === 'POST'), p.click('#keysmith-execute')]);
    assert.match(rotated.headers()['cache-control'], /no-store/);
    await p.locator('#keysmith-onetime').waitFor();
    assert.deepEqual(await notices(p), ['Rotated 1 of 1 key.']);
    const replay = await p.request.post(rotated.url(), { form: await formFields(p, rotated) });
    const replayText = await replay.text();
    assert.doesNotMatch(replayText, /cs_[0-9a-f]{40}/);
    assert.match(replayText, /already submitted/);
    assert.equal(await gotoList({ s: created.slice(-7) }, p), 0, 'grace 0 revokes the old key at once');
    // Resubmitting the same form (a reload) creates nothing more and shows no secret.
    const again = await p.request.post(`${SECTION}&view=create`, { form: await formFields(p, response) });
    const againText = await again.text();
    assert.doesNotMatch(againText, /cs_[0-9a-f]{40}/);
    assert.match(againText, /already submitted/);
    assert.equal(await gotoList({ s: `${RUN} nojs` }, p), 2, 'two keys: one created, one by rotation');
  } finally {
    await nojs.close();
  }
});

/**
 * The fields a no-JS POST sent (to replay it as a browser reload would). WooCommerce's settings
 * form is multipart/form-data, so the body is parsed as such.
 */
async function formFields(p, response) {
  const request = response.request();
  const type = (await request.allHeaders())['content-type'] ?? '';
  const body = request.postDataBuffer().toString('utf8');
  const boundary = /boundary=(.+)$/.exec(type)?.[1];
  if (!boundary) return Object.fromEntries(new URLSearchParams(body));
  const fields = {};
  for (const part of body.split(`--${boundary}`)) {
    const m = /name="([^"]+)"\r\n\r\n([\s\S]*)\r\n$/.exec(part);
    if (m) fields[m[1]] = m[2];
  }
  assert.ok(fields.ks_token, 'the replayed form carries its token');
  return fields;
}

// The README's screenshot; written to docs/ only on request so `make test` leaves the tree clean:
// KEYSMITH_UPDATE_SCREENSHOT=1 tests/e2e/run.sh
test('README screenshot', async () => {
  await page.setViewportSize({ width: 1360, height: 860 });
  assert.equal(await gotoList({ s: RUN }), RUN_KEYS_AT_END, 'the screenshot shows this run\'s keys');
  const descriptions = await page.locator('#the-list td.column-description').allTextContents();
  assert.ok(descriptions.length > 0 && descriptions.every((d) => d.includes(RUN)), descriptions.join(' | '));
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-readme.png') });
  const png = fs.readFileSync(path.join(ARTIFACTS, 'admin-readme.png'));
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.equal(png.readUInt32BE(16), 1360, 'width of the viewport');
  if (process.env.KEYSMITH_UPDATE_SCREENSHOT === '1') {
    fs.copyFileSync(path.join(ARTIFACTS, 'admin-readme.png'), path.join(REPO, 'docs/screenshot-admin.png'));
  }
});

// Leaves the shared site as it was, and exercises "all keys matching the filter" on a revoke.
test('clean up: revoke every key this run made, as "all N keys matching the filter"', async () => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  const total = await gotoList({ s: RUN });
  assert.equal(total, RUN_KEYS_AT_END, 'this run\'s keys, exactly');
  await page.check('input[name="keysmith_scope"]');
  await page.selectOption('#ks-bulk-top', 'revoke');
  await Promise.all([page.waitForNavigation(), page.click('button[name="keysmith_apply"][value="top"]')]);
  assert.match(await page.textContent('.keysmith-confirm-text'), new RegExp(`Permanently revoke ${total} keys\\?`));
  await Promise.all([page.waitForNavigation(), page.click('#keysmith-execute')]);
  assert.deepEqual(await notices(), [`Revoked ${total} of ${total} keys.`]);
  assert.equal(await gotoList({ s: RUN }), 0);
});

test('no JavaScript errors from Keysmith\'s script on any page of the run', () => {
  assert.deepEqual(pageErrors, []);
});
