// Smoke test of the embind surface (src/bindings/ringi_bindings.cpp) on the real wasm module:
// every function exists, answers the documented shapes, and nothing throws into JS, even on
// garbage input. Loads dist/ringi-engine.js (npm run build / npm test stage it), else
// build-wasm/ringi-engine.js; skipped when neither exists.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const candidates = ['dist', 'build-wasm'].map((d) => path.join(root, d, 'ringi-engine.js'));
const engineJs = candidates.find((f) => existsSync(f) && existsSync(f.replace(/\.js$/, '.wasm')));

async function loadEngine() {
  // DESIGN §8: Node 20 needs require/__dirname before the import, and wasmBinary.
  globalThis.require ??= createRequire(pathToFileURL(engineJs));
  globalThis.__dirname ??= path.dirname(engineJs);
  const { default: createRingiEngine } = await import(pathToFileURL(engineJs).href);
  return createRingiEngine({ wasmBinary: readFileSync(engineJs.replace(/\.js$/, '.wasm')) });
}

/** @param {string} s */
function reply(s) {
  assert.equal(typeof s, 'string');
  const r = JSON.parse(s);
  assert.deepEqual(Object.keys(r), ['status', 'body', 'changes']);
  assert.equal(typeof r.status, 'number');
  assert.ok(r.changes === null || typeof r.changes === 'object', 'changes is JSON or null');
  return r;
}

const workspace = {
  users: [{ code: 'sato', name: '佐藤', locale: 'ja' }, { code: 'li', name: '李', locale: 'zh' }],
  organizations: [],
  groups: [],
  apps: [{
    app: 1, name: '経費精算', locale: 'ja',
    fields: { title: { type: 'SINGLE_LINE_TEXT', code: 'title', label: '件名' } },
    records: [{ title: { value: '出張' } }],
  }],
};

test('embind surface of ringi-engine.wasm', { skip: !engineJs && 'wasm engine not built' }, async (t) => {
  const engine = await loadEngine();
  for (const name of ['ringiCall', 'ringiLoad', 'ringiRestore', 'ringiExport', 'ringiRunChunk',
    'ringiHasPendingBatches', 'ringiRevertLast']) {
    assert.equal(typeof engine[name], 'function', name);
  }

  await t.test('ringiLoad: a workspace loads with a full-snapshot ChangeSet', () => {
    const r = reply(engine.ringiLoad(JSON.stringify(workspace)));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.notEqual(r.changes, null);
  });

  await t.test('ringiCall: a read answers 200 without changes', () => {
    const r = reply(engine.ringiCall(JSON.stringify(
      { user: 'sato', method: 'GET', path: '/k/v1/records.json?app=1' })));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.changes, null);
    assert.ok(Array.isArray(r.body.records));
  });

  await t.test('ringiCall: replies are ASCII JSON (\\u escapes) with the same values', () => {
    const ascii = (/** @type {string} */ text) => assert.ok(!/[^\x00-\x7f]/.test(text), text.slice(0, 200));
    const read = engine.ringiCall(JSON.stringify({ user: 'sato', method: 'GET', path: '/k/v1/records.json?app=1' }));
    ascii(read);
    assert.equal(reply(read).body.records[0].title.value, '出張');
    const wrote = engine.ringiCall(JSON.stringify({ user: 'sato', method: 'POST', path: '/k/v1/record.json', body: { app: 1, record: { title: { value: '東京→大阪 😀' } } } }));
    ascii(wrote);
    const r = reply(wrote);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.changes.put.records[0].values.title, '東京→大阪 😀');  // the row the host stores
    const error = engine.ringiCall(JSON.stringify({ user: 'sato', method: 'GET', path: '/k/v1/record.json?app=1&id=99' }));
    ascii(error);
    assert.match(reply(error).body.message, /[^\x00-\x7f]/);  // a Japanese message, escaped on the way
  });

  await t.test('ringiCall: garbage in gives a kintone-shaped error, never a JS exception', () => {
    for (const bad of ['', '{', 'null', '[]', '{"method":1}', '\u0000', '{"user":"sato","method":"GET","path":"/nope"}']) {
      const r = reply(engine.ringiCall(bad));
      assert.ok(r.status >= 400, `${JSON.stringify(bad)} -> ${r.status}`);
      assert.equal(typeof r.body.code, 'string');
      assert.equal(typeof r.body.message, 'string');
      assert.equal(r.changes, null);
    }
  });

  await t.test('ringiLoad / ringiRestore: bad documents are errors, not exceptions', () => {
    assert.ok(reply(engine.ringiLoad('{')).status >= 400);
    reply(engine.ringiRestore('{'));
  });

  await t.test('ringiExport: the workspace document', () => {
    const w = JSON.parse(engine.ringiExport());
    assert.ok(Array.isArray(w.users) && Array.isArray(w.apps));
    assert.equal(w.apps.length, 1);
  });

  await t.test('batches: none pending, runChunk answers body null', () => {
    assert.equal(engine.ringiHasPendingBatches(), false);
    const r = reply(engine.ringiRunChunk(50));
    assert.equal(r.body, null);
    reply(engine.ringiRunChunk(-1));
    reply(engine.ringiRunChunk(Number.NaN));
  });

  await t.test('ringiRevertLast returns nothing and does not throw', () => {
    assert.equal(engine.ringiRevertLast(), undefined);
  });
});
