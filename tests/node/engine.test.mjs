// The in-process transport with the real wasm engine in Node (dist/, built by `npm run build`;
// `npm test` builds it first, so a missing dist/ is a failure, not a skip).
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seed003Workspace, approvalWorkspace } from '../fixtures/workspaces.mjs';

const distUrl = new URL(process.env.RINGI_DIST ? `file://${process.env.RINGI_DIST}/` : '../../dist/', import.meta.url);
const engineFile = fileURLToPath(new URL('ringi-engine.wasm', distUrl));

test('dist/ is built', () => {
  assert.ok(existsSync(engineFile), `${engineFile} missing: run \`npm run build\``);
});

const ready = existsSync(engineFile);
test('dist/ ships each module once: the entry points, the engine and its types', { skip: !ready && 'dist/ missing' }, () => {
  const files = readdirSync(distUrl, { recursive: true }).filter((f) => !f.endsWith('.map')).sort();
  assert.deepEqual(files, ['ringi-engine.js', 'ringi-engine.wasm', 'ringi.d.ts', 'ringi.js', 'service-worker.js', 'sw-host.js', 'worker.js']);
  // The page's entry point leaves the engine side to worker.js (loaded lazily, or as the Worker).
  const page = readFileSync(new URL('ringi.js', distUrl), 'utf8');
  assert.match(page, /import\("\.\/worker\.js"\)/);
  assert.doesNotMatch(page, /objectStore\(/);
});
const load = async () => {
  const { createKintone } = await import(new URL('ringi.js', distUrl).href);
  return createKintone;
};

// The seed scenarios themselves run over every transport in spec.test.mjs; this is what only
// kintone.api in Node has: its path forms and the login user.
test('kintone.api in Node (in-process, memory storage): path forms, errors, the login user', { skip: !ready && 'dist/ missing (reported above)' }, async () => {
  const createKintone = await load();
  const k = await createKintone({ user: 'Administrator', worker: false, storage: 'memory', database: 'n-seed003' });
  assert.equal(k.ringi.transport, 'inprocess');
  await k.ringi.load(seed003Workspace());
  const one = await k.api(k.api.url('/k/v1/record/status', true), 'PUT', { app: 1, id: 1001, action: '申请', assignee: 'user1' });
  assert.deepEqual(one, { revision: '3' });
  // Query string in the path merged with params, .json optional, full URL.
  const rec = await k.api(k.api.url('/k/v1/record') + '?app=1', 'GET', { id: 1002 });
  assert.equal(rec.record.$id.value, '1002');
  await assert.rejects(k.api('/k/v1/record', 'GET', { app: 1, id: 5555 }), (e) => e.code === 'GAIA_RE01' && !(e instanceof Error));
  const u = k.getLoginUser();
  assert.equal(u.code, 'Administrator');
  assert.equal(u.language, 'zh');
  await k.ringi.close();
});

test('batch in-process: check, submit, progress events to completion; export round trip', { skip: !ready && 'dist/ missing' }, async () => {
  const createKintone = await load();
  const k = await createKintone({ user: 'sato', worker: false, storage: 'memory', database: 'n-batch', chunkSize: 25 });
  await k.ringi.load(approvalWorkspace(120));
  const progress = [];
  k.ringi.on('progress', (p) => progress.push(p));
  const { tasks } = await k.api('/batch_approvals/_tasks?user_id=sato', 'GET', {});
  assert.equal(tasks.length, 120);
  const ids = tasks.map((t) => t.task_id);
  const checks = await k.api('/batch_approvals/_check?user_id=sato', 'POST', ids);
  assert.ok(checks.every((c) => c.supported === true));
  const { batch_number } = await k.api('/batch_approvals/_submit?user_id=sato', 'POST', ids);
  await new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => (progress.some((p) => p.state === 'completed') ? resolve() : Date.now() - t0 > 20000 ? reject(new Error('timeout')) : setTimeout(tick, 10));
    tick();
  });
  assert.deepEqual(progress.filter((p) => p.batch_number === batch_number).map((p) => p.processed), [25, 50, 75, 100, 120]);
  const final = await k.api(`/batch_approvals/_submit?user_id=sato&batch_number=${batch_number}`, 'GET', {});
  assert.equal(final.total, 120);
  assert.equal(final.processed, 120);
  assert.deepEqual(final.failed_tasks, []);
  const ws = await k.ringi.export();
  await k.ringi.load(ws);
  assert.deepEqual(await k.ringi.export(), ws);
  await k.ringi.close();
});

test('a failed commit reverts the real engine (RINGI_ST01, then the old state)', { skip: !ready && 'dist/ missing' }, async () => {
  const { Host, loadEngine, MemoryStorage } = await import(new URL('worker.js', distUrl).href);
  const engine = await loadEngine();
  const storage = new MemoryStorage();
  await storage.open('n-revert');
  const host = new Host({ engine, storage, database: 'n-revert', broadcast: false });
  await host.open();
  await host.request('load', { workspace: approvalWorkspace(3) });
  storage.failNextCommit();
  await assert.rejects(host.request('call', { user: 'sato', method: 'PUT', path: '/k/v1/record/status.json', body: { app: 1, id: 1, action: 'Approve' }, locale: 'ja' }),
    (e) => e.code === 'RINGI_ST01' && e.message === '変更を保存できませんでした。');
  const r = await host.request('call', { user: 'sato', method: 'GET', path: '/k/v1/record.json', body: { app: 1, id: 1 } });
  assert.equal(r.body.record.Status.value, 'Waiting');
  assert.equal(r.body.record.$revision.value, '3');
  const again = await host.request('call', { user: 'sato', method: 'PUT', path: '/k/v1/record/status.json', body: { app: 1, id: 1, action: 'Approve' } });
  assert.deepEqual(again.body, { revision: '5' });
  await host.close();
});

test('the real engine: rows pieces restore an identical engine; a torn piece changes nothing; memory in use', { skip: !ready && 'dist/ missing' }, async () => {
  const { loadEngine } = await import(new URL('worker.js', distUrl).href);
  const a = await loadEngine();
  assert.equal(JSON.parse(a.ringiLoad(JSON.stringify(approvalWorkspace(20)))).status, 200);
  assert.equal(JSON.parse(a.ringiCall(JSON.stringify({ user: 'sato', method: 'PUT', path: '/k/v1/record/status.json', body: { app: 1, id: 2, action: 'Approve' } }))).status, 200);
  const pieces = a.ringiRowsPieces();
  assert.ok(pieces.length > 0 && pieces.every((p) => p instanceof Uint8Array && p.length > 0));
  assert.equal(pieces.flatMap((p) => JSON.parse(new TextDecoder().decode(p)).records ?? []).length, 20);

  const b = await loadEngine();
  const r = JSON.parse(b.ringiRestorePieces(pieces));
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { users: 2, organizations: 0, groups: 0, apps: 1, records: 20, tasks: 20, batches: 0 });
  assert.equal(b.ringiExport(), a.ringiExport());

  const last = pieces.length - 1;
  const torn = JSON.parse(b.ringiRestorePieces([...pieces.slice(0, last), pieces[last].subarray(0, pieces[last].length >> 1)]));
  assert.equal(torn.status, 400);
  assert.equal(torn.body.code, 'CB_IJ01');
  assert.equal(b.ringiExport(), a.ringiExport());
  assert.ok(b.ringiMemoryInUse() > 0 && b.ringiMemoryInUse() <= b.HEAP8.buffer.byteLength);
});

test('engine-loader: requests cross through the wasm buffer, and survive memory growth and large bodies', { skip: !ready && 'dist/ missing' }, async () => {
  const { loadEngine } = await import(new URL('worker.js', distUrl).href);
  const engine = await loadEngine({ engineUrl: new URL('ringi-engine.js', distUrl).href });
  const ws = seed003Workspace();
  assert.equal(JSON.parse(engine.ringiLoad(JSON.stringify(ws))).status, 200);
  const read = (id) => JSON.stringify({ user: 'Administrator', method: 'GET', path: `/k/v1/record.json?app=1&id=${id}` });
  // Non-ASCII text in the record comes back as \u escapes, the same on every read.
  const buffered = engine.ringiCall(read(1002));
  assert.ok(!/[^\x00-\x7f]/.test(buffered));
  assert.equal(JSON.parse(buffered).body.record.$id.value, '1002');
  // A longer request after a short one, then a short one: the first bytes of the buffer are reused
  // and nothing of the longer request is left over.
  const unknownUser = JSON.stringify({ user: 'nobody-' + '漢'.repeat(300), method: 'GET', path: '/k/v1/record.json?app=1&id=1002' });
  assert.ok(JSON.parse(engine.ringiCall(unknownUser)).status >= 400);
  assert.equal(engine.ringiCall(read(1002)), buffered);
  // Grow wasm memory (a large load), which detaches the loader's view of the buffer.
  const before = engine.HEAP8.buffer.byteLength;
  const big = approvalWorkspace(20000);
  assert.equal(JSON.parse(engine.ringiLoad(JSON.stringify(big))).status, 200);
  assert.ok(engine.HEAP8.buffer.byteLength > before, 'memory grew');
  const after = JSON.parse(engine.ringiCall(JSON.stringify({ user: 'sato', method: 'GET', path: '/k/v1/record.json?app=1&id=19999' })));
  assert.equal(after.status, 200, JSON.stringify(after.body));
  assert.equal(after.body.record.$id.value, '19999');
  // A request over 1 MiB grows the buffer for its call, which frees it after; it still answers.
  const huge = JSON.stringify({ user: 'sato', method: 'PUT', path: '/k/v1/record.json', body: { app: 1, id: 1, record: { title: { value: 'x'.repeat(400000) } } } });
  const r = JSON.parse(engine.ringiCall(huge));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // Garbage still gives a kintone-shaped error through the buffered path.
  for (const bad of ['', '{', '\u0000', '"\ud800"']) {
    const e = JSON.parse(engine.ringiCall(bad));
    assert.ok(e.status >= 400 && typeof e.body.code === 'string', bad);
  }
});

test('engine-loader: a reply read from its slot after the call itself grew wasm memory', { skip: !ready && 'dist/ missing' }, async () => {
  const { loadEngine } = await import(new URL('worker.js', distUrl).href);
  const engine = await loadEngine({ engineUrl: new URL('ringi-engine.js', distUrl).href });
  assert.equal(JSON.parse(engine.ringiLoad(JSON.stringify(approvalWorkspace(10)))).status, 200);
  // Each add keeps a 300 KB text, so memory grows during one of these calls; the loader must read
  // the reply's place and bytes through the views the glue renews, not the ones from before.
  let grewInACall = 0;
  for (let i = 0; i < 40; i++) {
    const before = engine.HEAP8.buffer.byteLength;
    const text = String(i).padStart(6, '0') + 'ｘ'.repeat(100000);
    const reply = JSON.parse(engine.ringiCall(JSON.stringify({ user: 'sato', method: 'POST', path: '/k/v1/record.json', body: { app: 1, record: { title: { value: text } } } })));
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const read = JSON.parse(engine.ringiCall(JSON.stringify({ user: 'sato', method: 'GET', path: `/k/v1/record.json?app=1&id=${reply.body.id}` })));
    assert.equal(read.body.record.title.value, text);
    if (engine.HEAP8.buffer.byteLength > before) grewInACall++;
  }
  assert.ok(grewInACall > 0, 'wasm memory grew during a call');
});

test('the real engine: a load hands its rows out in pieces, never as one text in wasm memory', { skip: !ready && 'dist/ missing' }, async () => {
  const { loadEngine } = await import(new URL('worker.js', distUrl).href);
  const fresh = () => loadEngine({ engineUrl: new URL('ringi-engine.js', distUrl).href });
  const text = JSON.stringify(approvalWorkspace(20000));
  const paged = await fresh(), asText = await fresh();
  const loaded = JSON.parse(paged.ringiLoad(new TextEncoder().encode(text)));
  assert.equal(loaded.status, 200, JSON.stringify(loaded.body));
  assert.deepEqual(loaded.changes, { reset: true, paged: true });
  assert.deepEqual(JSON.parse(asText.ringiLoad(text)).body, loaded.body, 'the same answer from text as from bytes');
  const pieces = paged.ringiRowsPieces();
  assert.ok(pieces.length > 1, 'more than one piece');
  // Each piece is a rows document of whole rows; together they are the reset's rows.
  const put = {};
  let total = 0;
  for (const p of pieces) {
    total += p.length;
    for (const [store, rows] of Object.entries(JSON.parse(new TextDecoder().decode(p)))) (put[store] ??= []).push(...rows);
  }
  const taskCount = (rows) => rows.reduce((n, r) => n + r.tasks.length, 0);  // in their records' rows
  assert.equal(taskCount(put.records), 20000);
  assert.equal(put.records.length, 20000);
  assert.equal(put.tasks, undefined);
  assert.deepEqual(put.users.map((u) => u.code), ['sato', 'li']);
  // The pieces restore the same engine, and a torn piece changes nothing.
  const restored = await fresh();
  assert.equal(JSON.parse(restored.ringiRestorePieces(pieces)).status, 200);
  assert.equal(restored.ringiExport(), paged.ringiExport());
  const torn = JSON.parse(restored.ringiRestorePieces([pieces[0], pieces[1].subarray(0, 100)]));
  assert.equal(torn.status, 400);
  assert.equal(restored.ringiExport(), paged.ringiExport());
  assert.ok(pieces.slice(0, -1).every((p) => p.length >= 1 << 20 && p.length < (1 << 20) + 4096), 'about 1 MiB each');
  assert.ok(total > 4 << 20, `${total} bytes of rows`);
  // A bad document: a kintone-shaped error and nothing to page.
  const bad = JSON.parse(paged.ringiLoad(new TextEncoder().encode('{"apps": [')));
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'CB_IJ01');
  assert.equal(bad.changes, null);
  assert.deepEqual(paged.ringiRowsPieces(), pieces, 'the engine kept its state');
});

test('wasmUrl: the engine\'s .wasm from another URL; a missing one is RINGI_EN01 and nothing opens', { skip: !ready && 'dist/ missing' }, async () => {
  const createKintone = await load();
  const k = await createKintone({ user: 'sato', worker: false, storage: 'memory', database: 'n-wasm-url', wasmUrl: new URL('ringi-engine.wasm', distUrl) });
  await k.ringi.load(approvalWorkspace(3));
  assert.equal((await k.api('/k/v1/record', 'GET', { app: 1, id: 3 })).record.$id.value, '3');
  await k.ringi.close();
  await assert.rejects(
    createKintone({ user: 'sato', worker: false, storage: 'memory', database: 'n-wasm-missing', wasmUrl: new URL('no-such-engine.wasm', distUrl) }),
    (e) => e.code === 'RINGI_EN01' && typeof e.message === 'string');
});

// The UI language (createKintone({language}) / ringi.setLanguage) decides the engine's messages
// for this page; without it, kintone's rule: the acting user's locale.
test('language: the page\'s language drives the engine\'s messages and getLoginUser().language', { skip: !ready && 'dist/ missing' }, async () => {
  const createKintone = await load();
  const k = await createKintone({ user: 'sato', worker: false, storage: 'memory', database: 'n-language', language: 'en' });
  await k.ringi.load(JSON.parse(readFileSync(new URL('../fixtures/workbench_workspace.json', import.meta.url), 'utf8')));
  const message = () => k.api('/k/v1/record', 'GET', { app: 1, id: 99 }).then(() => null, (e) => e.message);
  assert.equal(await message(), 'The specified record (ID: 99) is not found.');
  assert.equal(k.getLoginUser().language, 'en');
  const { tasks } = await k.api('/batch_approvals/_tasks', 'GET', {});
  const [check] = await k.api('/batch_approvals/_check', 'POST', [tasks[0].task_id]);
  assert.equal(check.reason, 'The next status requires choosing an assignee.');
  assert.equal(k.ringi.setLanguage('zh'), 'zh');
  assert.equal(await message(), '指定的记录（ID: 99）不存在。');
  assert.equal(k.getLoginUser().language, 'zh');
  k.ringi.setLanguage(null);  // back to sato's own locale
  assert.equal(await message(), '指定したレコード（id: 99）が見つかりません。');
  assert.equal(k.ringi.language, 'ja');
  await k.ringi.close();
});

test('engine-loader: a failed load names the URL and is not kept: the next load tries again', { skip: !ready && 'dist/ missing' }, async () => {
  const { loadEngine } = await import(new URL('worker.js', distUrl).href);
  const { mkdtempSync, copyFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { pathToFileURL } = await import('node:url');
  // One of the two files is missing, then arrives (a deploy finished): the same URL loads.
  for (const [missing, present] of [['ringi-engine.js', 'ringi-engine.wasm'], ['ringi-engine.wasm', 'ringi-engine.js']]) {
    const dir = mkdtempSync(path.join(tmpdir(), 'ringi-loader-'));
    try {
      copyFileSync(fileURLToPath(new URL(present, distUrl)), path.join(dir, present));
      const engineUrl = pathToFileURL(path.join(dir, 'ringi-engine.js')).href;
      const named = pathToFileURL(path.join(dir, missing)).href;
      await assert.rejects(loadEngine({ engineUrl }), (e) => e.message.startsWith(`${named}: `));
      copyFileSync(fileURLToPath(new URL(missing, distUrl)), path.join(dir, missing));
      const engine = await loadEngine({ engineUrl });
      assert.equal(JSON.parse(engine.ringiLoad(JSON.stringify(approvalWorkspace(1)))).status, 200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
