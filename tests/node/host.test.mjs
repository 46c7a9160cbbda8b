// The engine host (shared by the worker and the in-process transport), driven by a fake engine:
// commit-before-answer, revert on a failed commit, batches in chunks with progress events,
// resume after a crash with each task applied once, two hosts (two tabs) on one database.
import test from 'node:test';
import assert from 'node:assert/strict';
import { IDBFactory } from 'fake-indexeddb';
import { Host } from '../../web/src/engine/host.js';
import { MemoryStorage } from '../../web/src/engine/storage/memory.js';
import { IndexedDBStorage } from '../../web/src/engine/storage/indexeddb.js';
import { createFakeEngine } from './helpers/fake-engine.mjs';

const idb = new IDBFactory();
let n = 0;

async function makeHost(database, { storage = 'memory', chunkSize = 10, defaultChunk = false } = {}) {
  const st = storage === 'memory' ? new MemoryStorage() : new IndexedDBStorage(idb);
  await st.open(database);
  const engine = createFakeEngine();
  const events = [];
  const host = new Host({ engine, storage: st, database, chunkSize: defaultChunk ? undefined : chunkSize, broadcast: false, emit: (type, payload) => events.push({ type, payload }) });
  await host.open();
  return { host, engine, storage: st, events };
}

const call = (host, user, method, path, body) => host.request('call', { user, method, path, body });

async function addRecords(host, count) {
  const ids = [];
  for (let i = 0; i < count; i++) {
    const r = await call(host, 'sato', 'POST', '/k/v1/record.json', { app: 1 });
    assert.equal(r.status, 200);
    ids.push(`t1-${r.body.id}`);
  }
  return ids;
}

function waitFor(pred, ms = 5000) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = async () => {
      try { if (await pred()) return resolve(); } catch (e) { return reject(e); }
      if (Date.now() - t0 > ms) return reject(new Error('timeout'));
      setTimeout(tick, 5);
    };
    tick();
  });
}

for (const storage of ['memory', 'indexeddb']) {
  test(`${storage}: answers only after commit; a restarted host sees the data`, async () => {
    const db = `h${++n}`;
    const a = await makeHost(db, { storage });
    await addRecords(a.host, 3);
    const rows = await a.storage.loadAll();
    assert.equal(rows.records.length, 3);
    await a.host.close();
    const b = await makeHost(db, { storage });
    const r = await call(b.host, 'sato', 'GET', '/k/v1/record.json', { app: 1, id: 3 });
    assert.equal(r.status, 200);
    await b.host.close();
  });

  test(`${storage}: failed commit -> RINGI_ST01 and the engine goes back to the committed state`, async () => {
    const db = `h${++n}`;
    const a = await makeHost(db, { storage });
    await addRecords(a.host, 1);
    a.storage.failNextCommit();
    await assert.rejects(call(a.host, 'sato', 'POST', '/k/v1/record.json', { app: 1 }), (e) => {
      assert.equal(e.code, 'RINGI_ST01');
      assert.equal(e.message, 'Failed to save the change.');
      return true;
    });
    const missing = await call(a.host, 'sato', 'GET', '/k/v1/record.json', { app: 1, id: 2 });
    assert.equal(missing.status, 404);
    const again = await call(a.host, 'sato', 'POST', '/k/v1/record.json', { app: 1 });
    assert.equal(again.body.id, '2');
    await a.host.close();
  });

  test(`${storage}: a batch runs in chunks, emits progress, and other requests interleave`, async () => {
    const db = `h${++n}`;
    const a = await makeHost(db, { storage, chunkSize: 10 });
    const ids = await addRecords(a.host, 45);
    const sub = await call(a.host, 'sato', 'POST', '/batch_approvals/_submit?user_id=sato', ids);
    const bn = sub.body.batch_number;
    // A request issued right after the submit is answered before the batch completes.
    const mid = await call(a.host, 'sato', 'GET', `/batch_approvals/_submit?user_id=sato&batch_number=${bn}`, {});
    assert.ok(mid.body.processed < 45, `processed ${mid.body.processed}`);
    await waitFor(() => a.events.some((e) => e.type === 'progress' && e.payload.state === 'completed'));
    const progress = a.events.filter((e) => e.type === 'progress').map((e) => e.payload.processed);
    assert.deepEqual(progress, [10, 20, 30, 40, 45]);
    const rows = await a.storage.loadAll();
    assert.ok(rows.records.every((r) => r.history.length === 1));
    assert.equal(rows.batches[0].state, 'completed');
    await a.host.close();
  });

  test(`${storage}: by default a 200-task batch is one chunk: one transaction after the submit`, async () => {
    const db = `h${++n}`;
    const a = await makeHost(db, { storage, defaultChunk: true });
    const ids = await addRecords(a.host, 200);
    const commits = a.host.stats.commits;
    await call(a.host, 'sato', 'POST', '/batch_approvals/_submit?user_id=sato', ids);
    await waitFor(() => a.events.some((e) => e.type === 'progress' && e.payload.state === 'completed'));
    assert.deepEqual(a.events.filter((e) => e.type === 'progress').map((e) => e.payload.processed), [200]);
    assert.equal(a.host.stats.chunks, 1);
    assert.equal(a.host.stats.commits - commits, 2, 'the submit, then the chunk');
    await a.host.close();
  });

  test(`${storage}: crash mid-batch -> the next host resumes; every task applied exactly once`, async () => {
    const db = `h${++n}`;
    const a = await makeHost(db, { storage, chunkSize: 7 });
    const ids = await addRecords(a.host, 60);
    await call(a.host, 'sato', 'POST', '/batch_approvals/_submit?user_id=sato', ids);
    await waitFor(() => a.events.filter((e) => e.type === 'progress').length >= 2);
    a.host.closed = true; // the tab dies: nothing more runs, nothing is cleaned up
    const mid = await a.storage.loadAll();
    const done = mid.records.filter((r) => r.history.length).length;
    assert.ok(done > 0 && done < 60, `done ${done}`);
    const b = await makeHost(db, { storage, chunkSize: 7 });
    await waitFor(() => b.events.some((e) => e.type === 'progress' && e.payload.state === 'completed'));
    const rows = await b.storage.loadAll();
    assert.equal(rows.records.length, 60);
    for (const r of rows.records) assert.equal(r.history.length, 1, `record ${r.id}`);
    assert.equal(b.events.find((e) => e.type === 'progress').payload.processed > 14, true);
    await b.host.close();
  });

  test(`${storage}: two hosts on one database lose no update and apply no task twice`, async () => {
    const db = `h${++n}`;
    const a = await makeHost(db, { storage, chunkSize: 5 });
    const b = await makeHost(db, { storage, chunkSize: 5 });
    // Interleaved writes from both tabs: ids never collide, nothing is lost.
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(i % 2 ? a.host : b.host, 'sato', 'POST', '/k/v1/record.json', { app: 1 })));
    const idsSeen = results.map((r) => r.body.id);
    assert.equal(new Set(idsSeen).size, 20);
    const rows = await a.storage.loadAll();
    assert.equal(rows.records.length, 20);
    // A batch submitted in A; both hosts pump (B learns about it when its next job reloads).
    const tasks = idsSeen.map((id) => `t1-${id}`);
    await call(a.host, 'sato', 'POST', '/batch_approvals/_submit?user_id=sato', tasks);
    await call(b.host, 'sato', 'GET', '/k/v1/record.json', { app: 1, id: 1 }); // B reloads, sees the batch, pumps too
    await waitFor(async () => (await a.storage.loadAll()).batches.every((x) => x.state === 'completed'));
    const after = await a.storage.loadAll();
    for (const r of after.records) assert.equal(r.history.length, 1, `record ${r.id}`);
    assert.ok(a.host.stats.reloads + b.host.stats.reloads > 0);
    await a.host.close();
    await b.host.close();
  });
}

for (const storage of ['memory', 'indexeddb']) {
  test(`${storage}: a job that finds another host's commit runs again on the state re-read`, async () => {
    const db = `h${++n}`;
    const a = await makeHost(db, { storage });
    const b = await makeHost(db, { storage });
    let generationReads = 0;
    for (const x of [a, b]) {
      const read = x.storage.generation.bind(x.storage);
      x.storage.generation = () => { generationReads++; return read(); };
    }
    // A write with nothing new elsewhere: one transaction, the commit checks the generation itself.
    assert.equal((await call(a.host, 'sato', 'POST', '/k/v1/record.json', { app: 1 })).body.id, '1');
    assert.equal(generationReads, 0);
    // B's engine has not seen record 1: its commit is refused (nothing written), B re-reads and
    // writes record 2 on top.
    const r = await call(b.host, 'sato', 'POST', '/k/v1/record.json', { app: 1 });
    assert.equal(r.status, 200);
    assert.equal(r.body.id, '2');
    assert.equal(b.host.stats.reloads, 1);
    assert.deepEqual((await a.storage.loadAll()).records.map((x) => x.id).sort(), [1, 2]);
    // A read that changes nothing checks the generation after running: A's first answer (no
    // record 2) is dropped and the read runs again on what B wrote.
    const g = await call(a.host, 'sato', 'GET', '/k/v1/record.json', { app: 1, id: 2 });
    assert.equal(g.status, 200, JSON.stringify(g.body));
    assert.equal(a.host.stats.reloads, 1);
    assert.ok(a.events.some((e) => e.type === 'changed' && e.payload.source === 'remote'));
    // Nothing new elsewhere: the read's one check, and no reload.
    generationReads = 0;
    assert.equal((await call(a.host, 'sato', 'GET', '/k/v1/record.json', { app: 1, id: 1 })).status, 200);
    assert.equal(generationReads, 1);
    assert.equal(a.host.stats.reloads, 1);
    await a.host.close();
    await b.host.close();
  });
}

test('requests after close are refused with RINGI_WK01', async () => {
  const a = await makeHost(`h${++n}`);
  await a.host.close();
  await assert.rejects(call(a.host, 'sato', 'GET', '/k/v1/record.json', { app: 1, id: 1 }), (e) => e.code === 'RINGI_WK01');
});
