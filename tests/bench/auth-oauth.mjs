// Bounded OAuth 1.0a load loop for tests/bench/auth.sh: every request freshly signed (own nonce),
// fixed request count and concurrency, loopback only. Prints one JSON line.
// Usage: node auth-oauth.mjs <url> <ck> <cs> <mode> <requests> <concurrency>
import crypto from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';

// The npm packages live with the end-to-end tests (tests/e2e/package.json).
const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const OAuth = require('oauth-1.0a');

const [url, ck, cs, mode, total, concurrency] = process.argv.slice(2);
const oauth = OAuth({
  consumer: { key: ck, secret: cs },
  signature_method: 'HMAC-SHA256',
  hash_function: (text, key) => crypto.createHmac('sha256', key).update(text).digest('base64'),
});
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });

function once() {
  const signed = `${url}?${new URLSearchParams(oauth.authorize({ url, method: 'GET' }))}`;
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    http.get(signed, { agent, headers: { 'X-Keysmith-Bench': mode } }, (res) => {
      res.resume();
      res.on('end', () => resolve({
        ms: Number(process.hrtime.bigint() - start) / 1e6,
        ok: res.statusCode === 200,
        queries: Number(res.headers['x-keysmith-queries'] ?? -1),
        writes: Number(res.headers['x-keysmith-writes'] ?? -1),
        rows: Number(res.headers['x-keysmith-rows-written'] ?? -1),
        crypto: res.headers['x-keysmith-crypto'] ?? '',
      }));
    }).on('error', () => resolve({ ms: 0, ok: false, queries: -1, writes: -1, rows: -1, crypto: '' }));
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
const lat = results.map((r) => r.ms).sort((a, b) => a - b);
const pct = (p) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))];
const avg = (f) => results.reduce((s, r) => s + f(r), 0) / results.length;
agent.destroy();
console.log(JSON.stringify({
  mode, requests: results.length, errors: results.filter((r) => !r.ok).length,
  rps: +(results.length / seconds).toFixed(1), p50_ms: +pct(50).toFixed(2), p99_ms: +pct(99).toFixed(2),
  queries_per_request: +avg((r) => r.queries).toFixed(2), writes_per_request: +avg((r) => r.writes).toFixed(2),
  rows_written_per_request: +avg((r) => r.rows).toFixed(2), max_writes: Math.max(...results.map((r) => r.writes)),
  concurrency: Number(concurrency),
  crypto: [...new Set(results.map((r) => r.crypto))].join(','),
}));
