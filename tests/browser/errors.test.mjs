// Bad input through the facade (worker transport) comes back as kintone's plain error objects.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openRingi } from './helpers.mjs';
import { approvalWorkspace } from '../fixtures/workspaces.mjs';

let env, page;
before(async () => {
  env = await setup();
  page = await env.page();
  await openRingi(page, { user: 'sato', database: 'errors' });
  await page.evaluate((ws) => kintone.ringi.load(ws), approvalWorkspace(5));
});
after(() => env?.close());

const call = (path, method, params) => page.evaluate(async ([p, m, x]) => {
  try { return { ok: await kintone.api(p, m, x) }; } catch (e) {
    return { error: e, isError: e instanceof Error, keys: Object.keys(e), hasStatus: 'status' in e };
  }
}, [path, method, params]);

function assertKintoneError(r, code) {
  assert.ok(r.error, JSON.stringify(r));
  assert.equal(r.isError, false);
  assert.equal(r.hasStatus, false);
  if (code) assert.equal(r.error.code, code);
  assert.equal(typeof r.error.id, 'string');
  assert.equal(typeof r.error.message, 'string');
  assert.ok(r.keys.every((k) => ['code', 'id', 'message', 'errors'].includes(k)), r.keys.join());
}

test('lower-case method -> CB_VA01 with errors.method', async () => {
  const r = await call('/k/v1/record', 'get', { app: 1, id: 1 });
  assertKintoneError(r, 'CB_VA01');
  assert.ok(r.error.errors.method);
});

test('missing id -> CB_VA01 with errors.id; unknown record -> GAIA_RE01', async () => {
  assertKintoneError(await call('/k/v1/record.json', 'GET', { app: 1 }), 'CB_VA01');
  assertKintoneError(await call('/k/v1/record.json', 'GET', { app: 1, id: 99999 }), 'GAIA_RE01');
});

test('unknown path and wrong method -> kintone-shaped errors', async () => {
  assertKintoneError(await call('/k/v1/nothing-here', 'GET', {}));
  assertKintoneError(await call('/k/v1/record/status', 'GET', {}));
});

test('batch API: too many ids, empty list, non-string ids -> 400 errors, nothing stored', async () => {
  const ids = Array.from({ length: 201 }, (_, i) => `t${i}`);
  assertKintoneError(await call('/batch_approvals/_check?user_id=sato', 'POST', ids));
  assertKintoneError(await call('/batch_approvals/_submit?user_id=sato', 'POST', []));
  assertKintoneError(await call('/batch_approvals/_submit?user_id=sato', 'POST', [1, 2]));
  assertKintoneError(await call('/batch_approvals/_submit?user_id=sato', 'POST', { not: 'an array' }));
});

test('errors come in the user\'s language; getLoginUser has kintone\'s shape', async () => {
  await page.evaluate(() => kintone.ringi.setUser('li'));
  const r = await call('/k/v1/record.json', 'GET', { app: 1, id: 99999 });
  assertKintoneError(r, 'GAIA_RE01');
  assert.match(r.error.message, /[\u4e00-\u9fff]/);
  const u = await page.evaluate(() => kintone.getLoginUser());
  assert.equal(u.code, 'li');
  assert.equal(u.language, 'zh');
  for (const k of ['id', 'code', 'name', 'email', 'url', 'employeeNumber', 'phone', 'mobilePhone', 'extensionNumber', 'timezone', 'isGuest', 'language']) assert.ok(k in u, k);
  await page.evaluate(() => kintone.ringi.setUser('sato'));
});

test('callback form: returns undefined, errback gets the plain object', async () => {
  const r = await page.evaluate(() => new Promise((resolve) => {
    const ret = kintone.api('/k/v1/record', 'GET', { app: 1, id: 424242 }, () => resolve({ wrong: true }), (e) => resolve({ ret, e, isError: e instanceof Error }));
    if (ret !== undefined) resolve({ ret: 'not undefined' });
  }));
  assert.equal(r.ret, undefined);
  assert.equal(r.e.code, 'GAIA_RE01');
  assert.equal(r.isError, false);
});

test('an engine that cannot load: createKintone rejects with RINGI_EN01 (glue missing, wasm missing, wasm not wasm)', async () => {
  const open = (engineUrl, wasmUrl) => page.evaluate(async ([u, w]) => {
    const { createKintone } = await import('/dist/ringi.js');
    try { await createKintone({ user: 'sato', worker: true, storage: 'indexeddb', database: 'errors-engine', engineUrl: u, wasmUrl: w ?? undefined }).then((k) => k.ringi.close()); return { ok: true }; } catch (e) { return { code: e.code, message: e.message }; }
  }, [engineUrl, wasmUrl ?? null]);
  const noGlue = await open('/dist/no-such-engine.js');
  assert.equal(noGlue.code, 'RINGI_EN01');
  assert.match(noGlue.message, /^The engine could not be loaded\. \(http:\/\/[^ ]+\/dist\/no-such-engine\.js: /, 'names the URL');
  // The glue loads, the wasm URL answers 404.
  const noWasm = await open('/dist/ringi-engine.js', '/dist/no-such-engine.wasm');
  assert.equal(noWasm.code, 'RINGI_EN01');
  assert.match(noWasm.message, /\/dist\/no-such-engine\.wasm: HTTP 404\)$/);
  // Both found: it opens (so the failures above are the missing files, not the options).
  assert.deepEqual(await open('/dist/ringi-engine.js', '/dist/ringi-engine.wasm'), { ok: true });
  // The glue loads, but the "wasm" (same URL: no .js suffix to swap) is JavaScript: compile fails.
  const r = await open('/dist/ringi-engine.js?no-wasm');
  assert.equal(r.code, 'RINGI_EN01');
  assert.equal(typeof r.message, 'string');
});

test('a worker script that cannot load: createKintone rejects with RINGI_WK01 naming its URL', async () => {
  const r = await page.evaluate(async () => {
    const { createKintone } = await import('/dist/ringi.js');
    try { await createKintone({ user: 'sato', worker: true, workerUrl: '/dist/no-such-worker.js' }); return { ok: true }; } catch (e) { return { code: e.code, message: e.message }; }
  });
  assert.equal(r.code, 'RINGI_WK01');
  assert.match(r.message, /^The engine is not available\. \(worker \/dist\/no-such-worker\.js\)$/);
});
