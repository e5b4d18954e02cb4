// The plugin zip (make dist) installed the way a store installs a plugin: Plugins > Add New >
// Upload Plugin in headless Chromium, then Activate, on a harness site that has no Keysmith
// (tests/harness/site.sh with KEYSMITH_WITHOUT_PLUGIN=1). Run by tests/e2e/run.sh, which builds the
// zip, brings that site up and exports KEYSMITH_SITE_URL (that site) and KEYSMITH_DIST_ZIP.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SITE, ADMIN, launch, login, shot } from '../admin/browser.mjs';

const ZIP = process.env.KEYSMITH_DIST_ZIP;
const BANNER = 'WooCommerce has detected that some of your active plugins are incompatible';

test('the plugin zip installs and activates through Plugins > Add New > Upload Plugin', async () => {
  assert.ok(ZIP, 'KEYSMITH_DIST_ZIP names the zip');
  const browser = await launch();
  try {
    const { page } = browser;
    await login(page, ADMIN);

    await page.goto(`${SITE}/wp-admin/plugins.php`);
    assert.equal(await page.locator('tr[data-slug="keysmith"]').count(), 0, 'the site has no Keysmith yet');

    await page.goto(`${SITE}/wp-admin/plugin-install.php`);
    await page.click('a.upload-view-toggle');
    await page.locator('#pluginzip').setInputFiles(ZIP);
    await Promise.all([page.waitForURL(/update\.php\?action=upload-plugin/), page.click('#install-plugin-submit')]);
    const report = await page.textContent('#wpbody-content');
    assert.match(report, new RegExp(`Installing plugin from uploaded file: ${path.basename(ZIP).replace('.', '\\.')}`));
    assert.match(report, /Plugin installed successfully\./);
    await shot(page, 'dist-01-uploaded');

    await Promise.all([page.waitForURL(/plugins\.php/), page.click('a.button-primary:has-text("Activate Plugin")')]);
    assert.match(await page.textContent('#message'), /Plugin activated\./);
    const row = page.locator('tr[data-slug="keysmith"]');
    assert.match(await row.getAttribute('class'), /\bactive\b/);
    assert.equal(await row.getAttribute('data-plugin'), 'keysmith/keysmith.php', 'installed as keysmith/keysmith.php');
    assert.ok(!(await page.content()).includes(BANNER), 'no incompatible-features banner');
    await shot(page, 'dist-02-activated');

    // The activated plugin works: its screen, its tables (an empty list, not an error).
    await page.goto(`${SITE}/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keysmith`);
    assert.match(await page.textContent('h2.keysmith-title'), /Bulk key management/);
    assert.match(await page.textContent('#keysmith-count'), /0 keys in all\./);
  } finally {
    await browser.close();
  }
});
