// End to end over real HTTP with the official npm client @woocommerce/woocommerce-rest-api
// (OAuth 1.0a over http), plus the nonce race: 20 simultaneous requests carrying one nonce, on one
// server and split across two PHP-FPM pools sharing the database -> exactly one succeeds.
// Run by tests/e2e/run.sh with KEYSMITH_E2E_KEYS (JSON from make-keys.php) and the harness env.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import OAuth from 'oauth-1.0a';
import pkg from '@woocommerce/woocommerce-rest-api';

const WooCommerceRestApi = pkg.default ?? pkg;
const keys = JSON.parse(process.env.KEYSMITH_E2E_KEYS);
const SITE = process.env.KEYSMITH_SITE_URL;
const SITE2 = process.env.KEYSMITH_SITE_URL_2;

const client = (key, url = SITE) =>
  new WooCommerceRestApi({ url, consumerKey: key.ck, consumerSecret: key.cs, version: 'wc/v3' });

async function outcome(promise) {
  try {
    const r = await promise;
    return { status: r.status, data: r.data };
  } catch (e) {
    if (!e.response) throw e;
    return { status: e.response.status, data: e.response.data };
  }
}

test('official client: GET, POST, PUT, DELETE with a read_write key', async () => {
  const api = client(keys.rw);
  for (const [method, call] of [
    ['GET', () => api.get('keysmith-test', { per_page: 5, search: 'a b+c ü' })],
    ['POST', () => api.post('keysmith-test', { name: 'x' })],
    ['PUT', () => api.put('keysmith-test', { name: 'y' })],
    ['DELETE', () => api.delete('keysmith-test', { force: true })],
  ]) {
    const r = await outcome(call());
    assert.equal(r.status, 200, `${method}: ${JSON.stringify(r.data)}`);
    assert.deepEqual(r.data, { user_id: keys.user_id, method });
  }
});

test('official client: read key cannot write; wrong secret; expired key', async () => {
  let r = await outcome(client(keys.read).post('keysmith-test', {}));
  assert.equal(r.status, 401);
  assert.equal(r.data.message, 'The API key provided does not have write permissions.');

  r = await outcome(client({ ck: keys.rw.ck, cs: 'cs_wrong' }).get('keysmith-test'));
  assert.equal(r.status, 401);
  assert.equal(r.data.message, 'Invalid signature - provided signature does not match.');

  r = await outcome(client(keys.expired).get('keysmith-test'));
  assert.equal(r.status, 401);
  assert.equal(r.data.code, 'keysmith_rest_key_expired');
});

function signedUrl(key, base, nonce, timestamp) {
  const oauth = OAuth({
    consumer: { key: key.ck, secret: key.cs },
    signature_method: 'HMAC-SHA256',
    hash_function: (text, k) => crypto.createHmac('sha256', k).update(text).digest('base64'),
  });
  oauth.getNonce = () => nonce;
  oauth.getTimeStamp = () => timestamp;
  const url = `${base}/wp-json/wc/v3/keysmith-test`;
  const data = oauth.authorize({ url, method: 'GET' });
  return `${url}?${new URLSearchParams(data)}`;
}

async function race(urls) {
  const results = await Promise.all(urls.map((u) => fetch(u).then(async (r) => ({ status: r.status, body: await r.json() }))));
  const ok = results.filter((r) => r.status === 200);
  const replays = results.filter((r) => r.body.message === 'Invalid nonce - nonce has already been used.');
  return { ok: ok.length, replays: replays.length, total: results.length };
}

test('20 simultaneous requests with one nonce: exactly one succeeds', async () => {
  for (let round = 0; round < 3; round++) {
    const nonce = crypto.randomBytes(12).toString('hex');
    const ts = Math.floor(Date.now() / 1000);
    const url = signedUrl(keys.rw, SITE, nonce, ts);
    const r = await race(Array(20).fill(url));
    assert.deepEqual(r, { ok: 1, replays: 19, total: 20 }, `round ${round}`);
  }
});

test('the same nonce split across two servers sharing the database: exactly one succeeds', async () => {
  for (let round = 0; round < 3; round++) {
    const nonce = crypto.randomBytes(12).toString('hex');
    const ts = Math.floor(Date.now() / 1000);
    // Each server signs with its own home URL, so sign once per server with the same nonce.
    const a = signedUrl(keys.rw, SITE, nonce, ts);
    const b = signedUrl(keys.rw, SITE2, nonce, ts);
    const urls = Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a));
    const r = await race(urls);
    assert.deepEqual(r, { ok: 1, replays: 19, total: 20 }, `round ${round}`);
  }
});
