// scripts/static-server.mjs, the one static server of the demo, the browser tests and the
// benchmarks: MIME types, no escapes out of a mount, first mount wins, directories, methods.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'node:http';
import { serveStatic } from '../../scripts/static-server.mjs';

/** A raw request (fetch would normalise `..` away before sending it). */
function get(url, pathname, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request(url + pathname, { method }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves its mounts, and nothing outside them', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ringi-static-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'a', 'sub'), { recursive: true });
  mkdirSync(path.join(dir, 'b'));
  writeFileSync(path.join(dir, 'a', 'x.wasm'), 'w');
  writeFileSync(path.join(dir, 'a', 'm.mjs'), 'export {}');
  writeFileSync(path.join(dir, 'a', 'sub', 'index.html'), '<p>sub</p>');
  writeFileSync(path.join(dir, 'b', 'm.mjs'), 'second');
  writeFileSync(path.join(dir, 'secret.txt'), 'secret');
  const seen = [];
  const s = await serveStatic({
    mounts: [['/x/', path.join(dir, 'a')], ['/x/', path.join(dir, 'b')], ['/', path.join(dir, 'b')]],
    onRequest: (p) => seen.push(p),
    headers: (p) => (p === '/x/m.mjs' ? { 'x-extra': '1' } : {}),
  });
  t.after(() => s.close());

  const wasm = await get(s.url, '/x/x.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  assert.equal(wasm.headers['cache-control'], 'no-store');
  assert.equal(wasm.headers['x-content-type-options'], 'nosniff');
  const mjs = await get(s.url, '/x/m.mjs');
  assert.equal(mjs.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(mjs.body, 'export {}', 'the first mount that has the file wins');
  assert.equal(mjs.headers['x-extra'], '1');
  assert.equal((await get(s.url, '/x/sub/')).body, '<p>sub</p>');
  const dirNoSlash = await get(s.url, '/x/sub?q=1');
  assert.equal(dirNoSlash.status, 301);
  assert.equal(dirNoSlash.headers.location, '/x/sub/?q=1');
  for (const escape of ['/x/../secret.txt', '/x/%2e%2e/secret.txt', '/x/..%2fsecret.txt', '/%2e%2e/secret.txt', '/x/%00', '/x/%zz']) {
    const r = await get(s.url, escape);
    assert.equal(r.status, 404, escape);
    assert.doesNotMatch(r.body, /secret/, escape);
  }
  const post = await get(s.url, '/x/m.mjs', 'POST');
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
  const head = await get(s.url, '/x/m.mjs', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], '9');
  assert.equal(head.body, '');
  assert.ok(seen.includes('/x/x.wasm') && seen.includes('/x/m.mjs'));
});
