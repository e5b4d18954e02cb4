// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for the admin screen
// tests. Every browser gets a fresh profile directory; nothing is shared with the developer's own.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import { fileURLToPath } from 'node:url';

export const SITE = process.env.KEYSMITH_SITE_URL ?? 'http://127.0.0.1:8181';
export const SITE_TLS = process.env.KEYSMITH_SITE_URL_TLS ?? 'https://127.0.0.1:8443';
export const ADMIN = { user: process.env.KEYSMITH_ADMIN_USER ?? 'admin', pass: process.env.KEYSMITH_ADMIN_PASSWORD ?? 'password' };
export const SHOP_MANAGER = { user: process.env.KEYSMITH_SHOP_MANAGER_USER ?? 'shopmanager', pass: process.env.KEYSMITH_SHOP_MANAGER_PASSWORD ?? 'password' };
export const CUSTOMER = { user: process.env.KEYSMITH_CUSTOMER_USER ?? 'customer', pass: process.env.KEYSMITH_CUSTOMER_PASSWORD ?? 'password' };

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '../../..');
export const ARTIFACTS = path.join(REPO, 'tests/e2e/artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

export const SECTION = `${SITE}/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keysmith`;
export const KEYS_SECTION = `${SITE}/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keys`;

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A fresh browser profile; options.javaScriptEnabled false for the no-JavaScript flows. */
export async function launch(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'keysmith-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    acceptDownloads: true,
    ignoreHTTPSErrors: true,
    viewport: { width: 1440, height: 1000 },
    ...options,
  });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, page: context.pages()[0] ?? (await context.newPage()), close };
}

export async function login(page, who) {
  await page.goto(`${SITE}/wp-login.php`);
  await page.fill('#user_login', who.user);
  await page.fill('#user_pass', who.pass);
  await Promise.all([page.waitForURL(/wp-admin/), page.click('#wp-submit')]);
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `admin-${name}.png`), fullPage: true });
}

/** GET over HTTPS with Basic auth (WooCommerce accepts Basic only over HTTPS), self-signed cert accepted. */
export function basicGet(url, ck, cs) {
  return new Promise((resolve, reject) => {
    const req = https.get(url, {
      rejectUnauthorized: false,
      headers: { Authorization: 'Basic ' + Buffer.from(`${ck}:${cs}`).toString('base64') },
    }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(body); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, body, json });
      });
    });
    req.on('error', reject);
  });
}

/** Minimal RFC 4180 CSV parser (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') { quoted = false; } else { field += c; }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field); field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}
