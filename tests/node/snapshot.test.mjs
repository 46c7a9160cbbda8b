// The cold-start snapshot (host.js "Snapshot", storage/indexeddb.js): one stored value holding every
// row, used only when it matches the stored generation. Driven by the fake engine over
// fake-indexeddb; the real engine and Chromium's IndexedDB are covered in tests/browser.
import test from 'node:test';
import assert from 'node:assert/strict';
import { IDBFactory } from 'fake-indexeddb';
import { Host } from '../../web/src/engine/host.js';
import { IndexedDBStorage } from '../../web/src/engine/storage/indexeddb.js';
import { SCHEMA_VERSION, SNAPSHOT_STORE } from '../../web/src/engine/storage/schema.js';
import { createFakeEngine } from './helpers/fake-engine.mjs';

let n = 0;

async function makeHost(idb, database, o = {}) {
  const storage = new IndexedDBStorage(idb);
  await storage.open(database);
  const engine = createFakeEngine();
  const events = [];
  const host = new Host({ engine, storage, database, chunkSize: 10, broadcast: false, snapshotDelay: -1, ...o, emit: (type, payload) => events.push({ type, payload }) });
  const opened = await host.open();
  return { host, engine, storage, opened, events };
}

const call = (host, method, path, body) => host.request('call', { user: 'sato', method, path, body });
const addRecord = async (host) => (await call(host, 'POST', '/k/v1/record.json', { app: 1 })).body.id;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(pred, ms = 5000) {
  const t0 = Date.now();
  while (!(await pred())) {
    if (Date.now() - t0 > ms) throw new Error('timeout');
    await sleep(5);
  }
}

/** A snapshot's pieces (rows documents) as one rows object. @param {Uint8Array[]} pieces */
function rowsOf(pieces) {
  const all = {};
  for (const p of pieces) for (const [store, rows] of Object.entries(JSON.parse(new TextDecoder().decode(p)))) (all[store] ??= []).push(...rows);
  return all;
}

test('close() leaves a snapshot of the last commit; the next open restores from it alone', async () => {
  const idb = new IDBFactory();
  const db = `s${++n}`;
  const a = await makeHost(idb, db, { snapshotDelay: 60000 });
  assert.equal(a.opened.restoredFrom, 'rows');
  for (let i = 0; i < 3; i++) await addRecord(a.host);
  assert.equal(await a.storage.readSnapshot(), null, 'no snapshot before the host is idle or closed');
  await a.host.close();
  assert.equal(a.host.stats.snapshots, 1);

  const probe = new IndexedDBStorage(idb);
  await probe.open(db);
  const snap = await probe.readSnapshot();
  assert.equal(snap.generation, await probe.generation());
  assert.ok(Array.isArray(snap.bytes), 'kept as the engine\'s pieces');
  assert.equal(rowsOf(snap.bytes).records.length, 3);
  await probe.close();

  const b = await makeHost(idb, db);
  assert.equal(b.opened.restoredFrom, 'snapshot');
  assert.deepEqual(b.opened.restored, { users: 0, records: 3, tasks: 3, batches: 0 });
  assert.equal((await call(b.host, 'GET', '/k/v1/record.json', { app: 1, id: 3 })).status, 200);
  await b.host.close();
});

test('a commit after the snapshot: the next open restores the snapshot plus the journaled rows and sees the commit', async () => {
  const idb = new IDBFactory();
  const db = `s${++n}`;
  const a = await makeHost(idb, db);
  await addRecord(a.host);
  assert.equal(await a.host.writeSnapshot(), true);
  assert.equal(await a.host.writeSnapshot(), false, 'already current');
  await addRecord(a.host);
  a.host.closed = true;  // the tab dies: no snapshot at close
  const b = await makeHost(idb, db, { snapshotDelay: 60000 });
  assert.equal(b.opened.restoredFrom, 'snapshot+journal');
  assert.equal(b.opened.restored.records, 2);
  assert.equal((await call(b.host, 'GET', '/k/v1/record.json', { app: 1, id: 2 })).status, 200);
  await b.host.close();
  // Its close wrote a current snapshot, which emptied the journal.
  const c = await makeHost(idb, db);
  assert.equal(c.opened.restoredFrom, 'snapshot');
  await c.host.close();
});

test('a snapshot kept as one Uint8Array (before pieces) still restores', async () => {
  const idb = new IDBFactory();
  const db = `s${++n}`;
  const a = await makeHost(idb, db);
  await addRecord(a.host);
  const merged = {};  // every row as one rows document, as snapshots were kept before pieces
  for (const p of a.engine.ringiRowsPieces()) for (const [store, list] of Object.entries(JSON.parse(new TextDecoder().decode(p)))) (merged[store] ??= []).push(...list);
  const whole = new TextEncoder().encode(JSON.stringify(merged));
  a.host.closed = true;  // no snapshot of its own
  const probe = new IndexedDBStorage(idb);
  await probe.open(db);
  assert.equal(await probe.writeSnapshot(await probe.generation(), whole), true);
  assert.deepEqual((await probe.readSnapshot()).bytes, [whole], 'read back as one piece');
  for (const bad of ['text', [whole, 'text'], null]) {
    assert.equal(await probe.writeSnapshot(await probe.generation(), bad), true);
    assert.equal(await probe.readSnapshot(), null, `${bad} is no snapshot`);
  }
  assert.equal(await probe.writeSnapshot(await probe.generation(), whole), true);
  await probe.close();
  const b = await makeHost(idb, db);
  assert.equal(b.opened.restoredFrom, 'snapshot');
  assert.equal(b.opened.restored.records, 1);
  await b.host.close();
});

test('a snapshot the engine rejects is ignored: the open falls back to the rows', async (t) => {
  const idb = new IDBFactory();
  const db = `s${++n}`;
  const a = await makeHost(idb, db);
  await addRecord(a.host);
  await a.host.close();
  // Corrupt the stored text but keep its (current) generation.
  const probe = new IndexedDBStorage(idb);
  await probe.open(db);
  const g = await probe.generation();
  const enc = (t) => new TextEncoder().encode(t);
  assert.equal(await probe.writeSnapshot(g, enc('{"records": [torn')), true);
  assert.equal(await probe.writeSnapshot('not-the-current-generation', enc('{}')), false);
  await probe.close();
  const warn = t.mock.method(console, 'warn', () => {});
  const b = await makeHost(idb, db);
  assert.equal(b.opened.restoredFrom, 'rows');
  assert.equal(b.opened.restored.records, 1);
  assert.match(String(warn.mock.calls[0].arguments[0]), /snapshot rejected/);
  assert.equal((await call(b.host, 'GET', '/k/v1/record.json', { app: 1, id: 1 })).status, 200);
  await b.host.close();
});

test('a snapshot that cannot be read (storage error) is skipped: the open reads the rows', async (t) => {
  const idb = new IDBFactory();
  const db = `s${++n}`;
  const a = await makeHost(idb, db);
  await addRecord(a.host);
  assert.equal(await a.host.writeSnapshot(), true);
  await a.host.close();
  const warn = t.mock.method(console, 'warn', () => {});
  t.mock.method(IndexedDBStorage.prototype, 'readSnapshot', async () => { throw new Error('disk error'); });
  const b = await makeHost(idb, db);
  assert.equal(b.opened.restoredFrom, 'rows');
  assert.equal(b.opened.restored.records, 1);
  assert.match(String(warn.mock.calls[0].arguments[0]), /snapshot unreadable/);
  await b.host.close();
});

test('a snapshot read early (server.js: while the engine compiles) is used once, only if it matches', async (t) => {
  const idb = new IDBFactory();
  const db = `s${++n}`;
  const a = await makeHost(idb, db);
  await addRecord(a.host);
  assert.equal(await a.host.writeSnapshot(), true);  // the snapshot of generation g1
  await a.host.close();
  const probe = new IndexedDBStorage(idb);
  await probe.open(db);
  const early = await probe.readSnapshot();
  await probe.close();
  // It matches: the open restores from it and reads no second snapshot.
  const reads = t.mock.method(IndexedDBStorage.prototype, 'readSnapshot');
  const b = await makeHost(idb, db, { snapshotRead: Promise.resolve(early) });
  assert.equal(b.opened.restoredFrom, 'snapshot');
  assert.equal(reads.mock.callCount(), 0);
  await addRecord(b.host);  // generation g2: the early snapshot (g1) is stale now
  b.host.closed = true;  // the tab dies: no new snapshot
  reads.mock.restore();
  // A stale early read is not restored: the open reads the rows and sees the second record.
  const c = await makeHost(idb, db, { snapshotRead: Promise.resolve(early) });
  assert.equal(c.opened.restoredFrom, 'rows');
  assert.equal(c.opened.restored.records, 2);
  await c.host.close();
  // An early read that failed: the rows, with a warning.
  const warn = t.mock.method(console, 'warn', () => {});
  const failed = Promise.reject(new Error('disk error'));
  failed.catch(() => {});  // as server.js does when it starts the read
  const d = await makeHost(idb, db, { snapshotRead: failed });
  assert.equal(d.opened.restoredFrom, 'rows');
  assert.equal(d.opened.restored.records, 2);
  assert.match(String(warn.mock.calls[0].arguments[0]), /snapshot unreadable/);
  await d.host.close();
});

test('an early snapshot read is for the first restore only: a later reload reads the snapshot anew', async () => {
  const idb = new IDBFactory();
  const db = `s${++n}`;
  // A fresh database: the first restore has nothing to restore and does not use the early read.
  const b = await makeHost(idb, db, { snapshotRead: Promise.resolve({ generation: 'stale', bytes: [] }) });
  assert.equal(b.opened.restoredFrom, 'rows');
  // Another tab commits and leaves a snapshot of its commit.
  const a = await makeHost(idb, db);
  await addRecord(a.host);
  assert.equal(await a.host.writeSnapshot(), true);
  await a.host.close();
  // b's next request reloads from that snapshot, not from the read it was given at its open.
  assert.equal((await call(b.host, 'GET', '/k/v1/record.json', { app: 1, id: 1 })).status, 200);
  assert.equal(b.host.stats.reloads, 1);
  assert.equal(b.host.stats.restoredFrom, 'snapshot');
  await b.host.close();
});

test('idle after commits -> one snapshot; none while a batch waits; snapshotDelay < 0 -> none', async () => {
  const idb = new IDBFactory();
  const db = `s${++n}`;
  const a = await makeHost(idb, db, { snapshotDelay: 30 });
  // the first open read the rows of an empty database (generation null): nothing to snapshot
  const ids = [];
  for (let i = 0; i < 25; i++) ids.push(`t1-${await addRecord(a.host)}`);
  await waitFor(() => a.host.stats.snapshots === 1);
  await call(a.host, 'POST', '/batch_approvals/_submit?user_id=sato', ids);
  await waitFor(() => a.events.some((e) => e.type === 'progress' && e.payload.state === 'completed'));
  await waitFor(() => a.host.stats.snapshots === 2);
  const snap = await a.storage.readSnapshot();
  assert.equal(rowsOf(snap.bytes).batches[0].state, 'completed');
  await a.host.close();
  assert.equal(a.host.stats.snapshots, 2, 'close() found the snapshot current');

  const off = await makeHost(idb, `s${++n}`, { snapshotDelay: -1 });
  await addRecord(off.host);
  await sleep(50);
  await off.host.close();
  assert.equal(off.host.stats.snapshots, 0);
  assert.equal(await off.storage.readSnapshot().catch(() => 'closed'), 'closed');
});

test('schema upgrade 1 -> 4 keeps every row and adds the snapshot and journal stores', async () => {
  const idb = new IDBFactory();
  const db = `s${++n}`;
  // A version-1 database, as Ringi 0.x wrote it.
  await new Promise((resolve, reject) => {
    const req = idb.open(db, 1);
    req.onupgradeneeded = () => {
      const d = req.result;
      for (const [name, keyPath] of Object.entries({ users: 'code', organizations: 'code', groups: 'code', apps: 'app', records: ['app', 'id'], tasks: 'id', batches: 'batch_number', meta: 'key' })) d.createObjectStore(name, { keyPath });
      d.createObjectStore('sync', { keyPath: 'key' });
      const tx = req.transaction;
      tx.objectStore('records').put({ app: 1, id: 7, revision: 1, history: [] });
      tx.objectStore('tasks').put({ id: 't1-7', app: 1, record_id: 7, user: 'sato', open: true });
      tx.objectStore('meta').put({ key: 'engine', nextId: 8, order: [] });
      tx.objectStore('sync').put({ key: 'generation', value: 'v1-gen' });
    };
    req.onsuccess = () => { req.result.close(); resolve(undefined); };
    req.onerror = () => reject(req.error);
  });
  const a = await makeHost(idb, db, { snapshotDelay: 60000 });
  assert.equal(a.storage.db.version, SCHEMA_VERSION);
  assert.ok(a.storage.db.objectStoreNames.contains(SNAPSHOT_STORE));
  assert.ok(a.storage.db.objectStoreNames.contains('journal'));
  assert.equal(a.opened.restoredFrom, 'rows');
  assert.equal(a.opened.restored.records, 1);
  assert.equal(await addRecord(a.host), '8');
  await a.host.close();
  const b = await makeHost(idb, db);
  assert.equal(b.opened.restoredFrom, 'snapshot');
  assert.equal(b.opened.restored.records, 2);
  await b.host.close();
});

test('schema upgrade 2 -> 3 drops the old snapshot: commits made before the journal are never missed', async () => {
  const idb = new IDBFactory();
  const db = `s${++n}`;
  const rec = (id) => ({ app: 1, id, revision: 1, history: [], value: null });
  // A version-2 database whose snapshot (of record 7) is one commit (record 8) behind its rows.
  await new Promise((resolve, reject) => {
    const req = idb.open(db, 2);
    req.onupgradeneeded = () => {
      const d = req.result;
      for (const [name, keyPath] of Object.entries({ users: 'code', organizations: 'code', groups: 'code', apps: 'app', records: ['app', 'id'], tasks: 'id', batches: 'batch_number', meta: 'key' })) d.createObjectStore(name, { keyPath });
      d.createObjectStore('sync', { keyPath: 'key' });
      d.createObjectStore(SNAPSHOT_STORE, { keyPath: 'key' });
      const tx = req.transaction;
      tx.objectStore('records').put(rec(7));
      tx.objectStore('records').put(rec(8));
      tx.objectStore('meta').put({ key: 'engine', nextId: 9, order: [] });
      tx.objectStore('sync').put({ key: 'generation', value: 'v2-after' });
      const bytes = [new TextEncoder().encode(JSON.stringify({ records: [rec(7)], meta: [{ key: 'engine', nextId: 8, order: [] }] }))];
      tx.objectStore(SNAPSHOT_STORE).put({ key: 'rows', generation: 'v2-before', bytes, at: 0 });
    };
    req.onsuccess = () => { req.result.close(); resolve(undefined); };
    req.onerror = () => reject(req.error);
  });
  const a = await makeHost(idb, db);
  assert.equal(a.storage.db.version, SCHEMA_VERSION);
  assert.equal(a.opened.restoredFrom, 'rows');
  assert.equal(a.opened.restored.records, 2);
  assert.equal(await addRecord(a.host), '9');  // journaled: the first entry the journal has
  a.host.closed = true;
  // Kept, the old snapshot plus that one entry would be records 7 and 9, without 8.
  const b = await makeHost(idb, db);
  assert.equal(b.opened.restoredFrom, 'rows');
  assert.equal(b.opened.restored.records, 3);
  await b.host.close();
});
