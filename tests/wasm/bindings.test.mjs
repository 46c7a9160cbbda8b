// The embind surface (src/bindings/ringi_bindings.cpp) on the real wasm module, used raw, as
// its one convention says: input written into the request buffer, the answer read where the reply
// slot says. Every function exists, answers the documented shapes, and nothing throws into JS,
// even on garbage input. Loads dist/ringi-engine.js (npm run build / npm test stage it), else
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

const FUNCTIONS = ['ringiRequestBuffer', 'ringiReplySlot', 'ringiCall', 'ringiLoad', 'ringiRestore',
  'ringiRows', 'ringiBatchStep', 'ringiExport', 'ringiHasPendingBatches', 'ringiRevertLast'];

/** The convention by hand: write UTF-8 into the buffer, call with its length, read the slot. */
function raw(engine) {
  const slot = engine.ringiReplySlot() >>> 2;
  const write = (/** @type {string} */ text) => {
    const bytes = new TextEncoder().encode(text);
    engine.ringiRequestBuffer(bytes.length).set(bytes);  // asked for each time: memory may grow
    return bytes.length;
  };
  const answer = () => {
    const at = engine.HEAPU32[slot], n = engine.HEAPU32[slot + 1];
    return new TextDecoder().decode(engine.HEAPU8.subarray(at, at + n));
  };
  return {
    call: (/** @type {string} */ text) => { engine.ringiCall(write(text)); return answer(); },
    load: (/** @type {string} */ text) => { engine.ringiLoad(write(text)); return answer(); },
    restore: (/** @type {string|null} */ text, /** @type {number} */ step) => { engine.ringiRestore(text === null ? 0 : write(text), step); return answer(); },
    rows: (/** @type {number} */ minBytes, /** @type {boolean} */ first) => { engine.ringiRows(minBytes, first); return answer(); },
    step: (/** @type {number} */ n, /** @type {boolean} */ failNext) => { engine.ringiBatchStep(n, failNext); return answer(); },
    exported: () => { engine.ringiExport(); return answer(); },
    answer,
  };
}

/** Every row of an engine, read a piece at a time (`minBytes` each), merged by store. */
function allRows(r, minBytes) {
  const rows = {};
  let pieces = 0;
  for (let first = true; ; first = false) {
    const piece = r.rows(minBytes, first);
    if (!piece) return { rows, pieces };
    pieces++;
    for (const [store, list] of Object.entries(JSON.parse(piece))) (rows[store] ??= []).push(...list);
  }
}

test('embind surface of ringi-engine.wasm', { skip: !engineJs && 'wasm engine not built' }, async (t) => {
  const engine = await loadEngine();
  for (const name of FUNCTIONS) assert.equal(typeof engine[name], 'function', name);
  const r = raw(engine);

  await t.test('ringiRequestBuffer: a view of wasm memory, at least as long as asked; 0 frees a large one', () => {
    const small = engine.ringiRequestBuffer(10);
    assert.ok(small instanceof Uint8Array && small.length >= 10);
    assert.equal(small.buffer, engine.HEAPU8.buffer, 'a view of wasm memory, not a copy');
    const large = engine.ringiRequestBuffer(3 << 20);
    assert.ok(large.length >= 3 << 20);
    assert.ok(engine.ringiRequestBuffer(0).length < 1 << 20, 'freed back to a small buffer');
    for (const odd of [-1, Number.NaN, Infinity]) assert.ok(engine.ringiRequestBuffer(odd) instanceof Uint8Array, String(odd));
  });

  await t.test('ringiLoad: a workspace loads; its rows are paged, not in the reply', () => {
    const loaded = reply(r.load(JSON.stringify(workspace)));
    assert.equal(loaded.status, 200, JSON.stringify(loaded.body));
    assert.deepEqual(loaded.changes, { reset: true, paged: true });
    const { rows } = allRows(r, 1 << 20);
    assert.equal(rows.records.length, 1);
    assert.deepEqual(rows.users.map((u) => u.code), ['sato', 'li']);
  });

  await t.test('ringiLoad and ringiRestore take the request buffer over: no second copy stays', () => {
    const padded = JSON.stringify(workspace) + ' '.repeat(3 << 20);  // 3 MB of trailing space
    assert.equal(reply(r.load(padded)).status, 200);
    assert.ok(engine.ringiRequestBuffer(1).length < 1 << 20, 'the 3 MB buffer went with the load');
    const { rows } = allRows(r, 1 << 20);  // the load's rows, read before anything else
    assert.equal(reply(r.restore(' '.repeat(2 << 20) + JSON.stringify(rows), 0)).status, 200);
    assert.ok(engine.ringiRequestBuffer(1).length < 1 << 20, 'and the 2 MB piece with the restore');
    assert.equal(reply(r.restore(null, 2)).body.records, 1);
  });

  await t.test('ringiRows: small pieces of whole rows, the same rows, then an empty answer', () => {
    const one = allRows(r, 1 << 20), tiny = allRows(r, 1);
    assert.ok(tiny.pieces > one.pieces, `${tiny.pieces} pieces vs ${one.pieces}`);
    assert.deepEqual(tiny.rows, one.rows);
    assert.equal(r.rows(1, false), '', 'still at the end');
  });

  await t.test('ringiCall: a read answers 200 without changes', () => {
    const read = reply(r.call(JSON.stringify({ user: 'sato', method: 'GET', path: '/k/v1/records.json?app=1' })));
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.equal(read.changes, null);
    assert.ok(Array.isArray(read.body.records));
  });

  await t.test('ringiCall: replies are ASCII JSON (\\u escapes) with the same values', () => {
    const ascii = (/** @type {string} */ text) => assert.ok(!/[^\x00-\x7f]/.test(text), text.slice(0, 200));
    const read = r.call(JSON.stringify({ user: 'sato', method: 'GET', path: '/k/v1/records.json?app=1' }));
    ascii(read);
    assert.equal(reply(read).body.records[0].title.value, '出張');
    const wrote = r.call(JSON.stringify({ user: 'sato', method: 'POST', path: '/k/v1/record.json', body: { app: 1, record: { title: { value: '東京→大阪 😀' } } } }));
    ascii(wrote);
    const added = reply(wrote);
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.equal(added.changes.put.records[0].values.title, '東京→大阪 😀');  // the row the host stores
    const error = r.call(JSON.stringify({ user: 'sato', method: 'GET', path: '/k/v1/record.json?app=1&id=99' }));
    ascii(error);
    assert.match(reply(error).body.message, /[^\x00-\x7f]/);  // a Japanese message, escaped on the way
  });

  await t.test('ringiCall: only the written length is read, not what an earlier request left', () => {
    const long = JSON.stringify({ user: 'nobody-' + '漢'.repeat(300), method: 'GET', path: '/k/v1/record.json?app=1&id=1' });
    assert.equal(reply(r.call(long)).body.code, 'CB_AU01');
    const short = JSON.stringify({ user: 'sato', method: 'GET', path: '/k/v1/record.json?app=1&id=1' });
    assert.equal(reply(r.call(short)).status, 200);
    engine.ringiCall(0);  // nothing written: bad JSON, not the old bytes
    assert.equal(reply(r.answer()).body.code, 'CB_IJ01');
  });

  await t.test('ringiCall: garbage in gives a kintone-shaped error, never a JS exception', () => {
    for (const bad of ['', '{', 'null', '[]', '{"method":1}', '\u0000', '{"user":"sato","method":"GET","path":"/nope"}']) {
      const e = reply(r.call(bad));
      assert.ok(e.status >= 400, `${JSON.stringify(bad)} -> ${e.status}`);
      assert.equal(typeof e.body.code, 'string');
      assert.equal(typeof e.body.message, 'string');
      assert.equal(e.changes, null);
    }
    for (const odd of [-1, Number.NaN, 1e12]) {
      engine.ringiCall(odd);  // a length no buffer has: at most the buffer is read
      assert.ok(reply(r.answer()).status >= 400, String(odd));
    }
  });

  await t.test('ringiRestore: pieces, an overlay, the end; a bad piece is an error and changes nothing', () => {
    const before = allRows(r, 1 << 20).rows;
    const bad = reply(r.restore('{"records": [', 0));
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'CB_IJ01');
    assert.deepEqual(allRows(r, 1 << 20).rows, before, 'nothing changed');
    for (const [store, list] of Object.entries(before)) assert.equal(reply(r.restore(JSON.stringify({ [store]: list }), 0)).status, 200, store);
    const renamed = before.records.map((row) => (row.id === 1 ? { ...row, values: { ...row.values, title: '改' } } : row));
    assert.equal(reply(r.restore(JSON.stringify({ records: renamed }), 1)).status, 200);
    const end = reply(r.restore(null, 2));
    assert.equal(end.status, 200, JSON.stringify(end.body));
    assert.equal(end.body.records, 2);
    const read = reply(r.call(JSON.stringify({ user: 'sato', method: 'GET', path: '/k/v1/record.json?app=1&id=1' })));
    assert.equal(read.body.record.title.value, '改', 'the overlay\'s row won');
  });

  await t.test('ringiExport: the workspace document', () => {
    const w = JSON.parse(r.exported());
    assert.ok(Array.isArray(w.users) && Array.isArray(w.apps));
    assert.equal(w.apps.length, 1);
  });

  await t.test('ringiBatchStep: none pending answers body null, whatever the count', () => {
    assert.equal(engine.ringiHasPendingBatches(), false);
    assert.equal(reply(r.step(50, false)).body, null);
    for (const odd of [-1, Number.NaN, Infinity]) assert.equal(reply(r.step(odd, false)).body, null);
    assert.equal(reply(r.step(1, true)).body, null, 'nothing to fail');
  });

  await t.test('ringiRevertLast returns nothing and does not throw', () => {
    assert.equal(engine.ringiRevertLast(), undefined);
  });

  await t.test('the reply slot never moves, and answers survive memory growth', () => {
    const slot = engine.ringiReplySlot();
    const before = engine.HEAPU8.buffer.byteLength;
    const big = JSON.stringify({ user: 'sato', method: 'POST', path: '/k/v1/record.json', body: { app: 1, record: { title: { value: 'ｘ'.repeat(1 << 20) } } } });
    const added = reply(r.call(big));
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.ok(engine.HEAPU8.buffer.byteLength > before, 'memory grew');
    assert.equal(engine.ringiReplySlot(), slot);
    const read = reply(r.call(JSON.stringify({ user: 'sato', method: 'GET', path: `/k/v1/record.json?app=1&id=${added.body.id}` })));
    assert.equal(read.body.record.title.value.length, 1 << 20);
  });
});
