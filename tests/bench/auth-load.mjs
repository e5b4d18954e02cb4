// Bounded load loop for tests/bench/auth.sh: fixed request count and concurrency, loopback only.
//   oauth: GET over http, every request freshly signed (own nonce, HMAC-SHA256)
//   basic: GET over https with Authorization: Basic (the harness's self-signed certificate as CA)
// Collects latency, and from the probe's response headers the statements, writes, rows written and
// the server-side time spent in determine_current_user (Keysmith's and WooCommerce's authenticators).
// Prints one JSON line.
// Usage: node auth-load.mjs <oauth|basic> <url> <ck> <cs> <mode> <requests> <concurrency>
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';

// The npm packages live with the end-to-end tests (tests/e2e/package.json).
const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const OAuth = require('oauth-1.0a');

const [scheme, url, ck, cs, mode, total, concurrency] = process.argv.slice(2);
const oauth = OAuth({
  consumer: { key: ck, secret: cs },
  signature_method: 'HMAC-SHA256',
  hash_function: (text, key) => crypto.createHmac('sha256', key).update(text).digest('base64'),
});
const basic = scheme === 'basic';
const transport = basic ? https : http;
const agent = new transport.Agent({
  keepAlive: true,
  maxSockets: Number(concurrency),
  ...(basic ? { ca: fs.readFileSync(process.env.KEYSMITH_TLS_CERT) } : {}),
});
const headers = { 'X-Keysmith-Bench': mode };
if (basic) headers.Authorization = `Basic ${Buffer.from(`${ck}:${cs}`).toString('base64')}`;

function once() {
  const target = basic ? url : `${url}?${new URLSearchParams(oauth.authorize({ url, method: 'GET' }))}`;
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    transport.get(target, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({
        ms: Number(process.hrtime.bigint() - start) / 1e6,
        ok: res.statusCode === 200,
        queries: Number(res.headers['x-keysmith-queries'] ?? -1),
        writes: Number(res.headers['x-keysmith-writes'] ?? -1),
        rows: Number(res.headers['x-keysmith-rows-written'] ?? -1),
        auth_us: Number(res.headers['x-keysmith-auth-us'] ?? -1),
        crypto: res.headers['x-keysmith-crypto'] ?? '',
      }));
    }).on('error', () => resolve({ ms: 0, ok: false, queries: -1, writes: -1, rows: -1, auth_us: -1, crypto: '' }));
  });
}

const results = [];
let next = 0;
const began = process.hrtime.bigint();
await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
  while (next < Number(total)) {
    next++;
    results.push(await once());
  }
}));
const seconds = Number(process.hrtime.bigint() - began) / 1e9;
const sorted = (f) => results.map(f).sort((a, b) => a - b);
const pct = (arr, p) => arr[Math.min(arr.length - 1, Math.floor((p / 100) * arr.length))];
const lat = sorted((r) => r.ms);
const auth = sorted((r) => r.auth_us);
const avg = (f) => results.reduce((s, r) => s + f(r), 0) / results.length;
agent.destroy();
console.log(JSON.stringify({
  mode, scheme, requests: results.length, errors: results.filter((r) => !r.ok).length,
  rps: +(results.length / seconds).toFixed(1), p50_ms: +pct(lat, 50).toFixed(2), p99_ms: +pct(lat, 99).toFixed(2),
  auth_p50_us: pct(auth, 50), auth_p99_us: pct(auth, 99),
  queries_per_request: +avg((r) => r.queries).toFixed(2), writes_per_request: +avg((r) => r.writes).toFixed(2),
  rows_written_per_request: +avg((r) => r.rows).toFixed(2), max_writes: Math.max(...results.map((r) => r.writes)),
  concurrency: Number(concurrency), crypto: [...new Set(results.map((r) => r.crypto))].join(','),
}));
