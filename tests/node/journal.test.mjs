// The journal (storage/indexeddb.js): a stale snapshot plus the rows the commits since then wrote,
// read back by key, restores the current state. The real wasm engine (dist/) over fake-indexeddb;
// Chromium's IndexedDB is covered in tests/browser/batch.test.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IDBFactory } from 'fake-indexeddb';
import { approvalWorkspace, schema3Rows, createSchema3Database } from '../fixtures/workspaces.mjs';

const distUrl = new URL(process.env.RINGI_DIST ? `file://${process.env.RINGI_DIST}/` : '../../dist/', import.meta.url);
const ready = existsSync(fileURLToPath(new URL('ringi-engine.wasm', distUrl)));
const skip = !ready && 'dist/ missing (tests/node/engine.test.mjs reports it)';
let n = 0;

async function modules() {
  const { Host, loadEngine, IndexedDBStorage, MAX_JOURNAL_ROWS } = await import(new URL('worker.js', distUrl).href);
  return { Host, loadEngine, IndexedDBStorage, MAX_JOURNAL_ROWS };
}

/** A host on the real engine. snapshotDelay 60 s: a snapshot is written at close() only. */
async function open(idb, database) {
  const { Host, loadEngine, IndexedDBStorage } = await modules();
  const storage = new IndexedDBStorage(idb);
  await storage.open(database);
  const engine = await loadEngine();
  const host = new Host({ engine, storage, database, broadcast: false, snapshotDelay: 60000 });
  const opened = await host.open('sato');
  return { host, engine, storage, opened };
}

const call = (host, method, path, body) => host.request('call', { user: 'sato', method, path, body });
/** Every row the engine holds, as values (row order and key order do not matter). */
function state(engine) {
  const all = {};
  for (const p of engine.ringiRowsPieces()) {
    for (const [store, rows] of Object.entries(JSON.parse(new TextDecoder().decode(p)))) (all[store] ??= []).push(...rows);
  }
  const sorted = (v) => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v);
  for (const rows of Object.values(all)) rows.sort((a, b) => JSON.stringify(sorted(a)).localeCompare(JSON.stringify(sorted(b))));
  return sorted(all);
}
/** One raw request on one store, behind Ringi's back; resolves with its result once committed. */
function raw(db, store, mode, request) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction([store], mode);
    const r = request(tx.objectStore(store));
    tx.oncomplete = () => resolve(r.result);
    tx.onerror = () => reject(tx.error);
  });
}
async function journalLength(idb, database) {
  const { IndexedDBStorage } = await modules();
  const s = new IndexedDBStorage(idb);
  await s.open(database);
  const count = await raw(s.db, 'journal', 'readonly', (os) => os.count());
  await s.close();
  return count;
}
async function settle(host, engine) {
  for (let i = 0; i < 500 && engine.ringiHasPendingBatches(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(engine.ringiHasPendingBatches(), false, 'the batch finished');
  await host.request('call', { user: 'sato', method: 'GET', path: '/k/v1/apps.json', body: {} });  // after its last commit
}

test('status updates, a new record and a whole batch after the snapshot: the next open has them all', { skip }, async () => {
  const idb = new IDBFactory();
  const db = `j${++n}`;
  const a = await open(idb, db);
  await a.host.request('load', { workspace: approvalWorkspace(30) });
  assert.equal(await a.host.writeSnapshot(), true);
  assert.equal(await journalLength(idb, db), 0, 'the snapshot emptied the journal');
  assert.equal((await call(a.host, 'PUT', '/k/v1/record/status.json', { app: 1, id: 1, action: 'Approve' })).status, 200);
  assert.equal((await call(a.host, 'POST', '/k/v1/record.json', { app: 1, record: { title: { value: 'new' } } })).status, 200);
  const tasks = (await call(a.host, 'GET', '/batch_approvals/_tasks?user_id=sato', {})).body.tasks.map((t) => t.task_id);
  assert.equal((await call(a.host, 'POST', '/batch_approvals/_submit?user_id=sato', tasks.slice(0, 10))).status, 200);
  await settle(a.host, a.engine);
  const expected = state(a.engine);
  a.host.closed = true;  // the tab dies: no snapshot at close
  assert.ok(await journalLength(idb, db) >= 4, 'one entry per commit');

  const b = await open(idb, db);
  assert.equal(b.opened.restoredFrom, 'snapshot+journal');
  assert.equal(b.opened.restored.records, 31);
  assert.deepEqual(state(b.engine), expected, 'the same state as the tab that died');
  const open1 = (await call(b.host, 'GET', '/batch_approvals/_tasks?user_id=sato', {})).body.tasks.length;
  assert.equal(open1, 30 - 1 - 10, 'the Waiting records left (the new one starts in Draft)');
  await b.host.close();  // writes a current snapshot and empties the journal
  assert.equal(await journalLength(idb, db), 0);
  const c = await open(idb, db);
  assert.equal(c.opened.restoredFrom, 'snapshot');
  assert.deepEqual(state(c.engine), expected);
  await c.host.close();
});

test('a delete or a load after the snapshot, or a stale snapshot with no journal: the open reads every row', { skip }, async () => {
  const idb = new IDBFactory();
  const db = `j${++n}`;
  const a = await open(idb, db);
  await a.host.request('load', { workspace: approvalWorkspace(5) });
  assert.equal(await a.host.writeSnapshot(), true);
  assert.equal((await call(a.host, 'DELETE', '/k/v1/records.json', { app: 1, ids: [2] })).status, 200);
  a.host.closed = true;
  const b = await open(idb, db);
  assert.equal(b.opened.restoredFrom, 'rows', 'a delete');
  assert.equal(b.opened.restored.records, 4);
  assert.equal((await call(b.host, 'GET', '/k/v1/record.json', { app: 1, id: 2 })).status, 404);
  assert.equal(await b.host.writeSnapshot(), true);
  await b.host.request('load', { workspace: approvalWorkspace(2) });
  b.host.closed = true;
  const c = await open(idb, db);
  assert.equal(c.opened.restoredFrom, 'rows', 'a load replaces everything');
  assert.equal(c.opened.restored.records, 2);
  assert.equal(await c.host.writeSnapshot(), true);
  assert.equal((await call(c.host, 'PUT', '/k/v1/record/status.json', { app: 1, id: 1, action: 'Approve' })).status, 200);
  c.host.closed = true;
  // The journal emptied behind the snapshot's back: nothing explains the newer rows.
  const { IndexedDBStorage } = await modules();
  const probe = new IndexedDBStorage(idb);
  await probe.open(db);
  assert.ok((await probe.readSnapshot()).overlay, 'usable before');
  await raw(probe.db, 'journal', 'readwrite', (os) => os.clear());
  assert.equal(await probe.readSnapshot(), null);
  await probe.close();
  const d = await open(idb, db);
  assert.equal(d.opened.restoredFrom, 'rows');
  assert.equal((await call(d.host, 'GET', '/k/v1/record.json', { app: 1, id: 1 })).body.record.Status.value, 'Approved');
  await d.host.close();
});

test('a journal naming more than MAX_JOURNAL_ROWS rows, or a row that is gone, is not used', { skip }, async () => {
  const { IndexedDBStorage, MAX_JOURNAL_ROWS } = await modules();
  const idb = new IDBFactory();
  const db = `j${++n}`;
  const s = new IndexedDBStorage(idb);
  await s.open(db);
  await s.commit({ put: { meta: [{ key: 'engine', nextAppId: 2 }] } });
  assert.equal(await s.writeSnapshot(await s.generation(), [new TextEncoder().encode('{}')]), true);
  await s.commit({ put: { meta: [{ key: 'engine', nextAppId: 3 }] } });
  assert.deepEqual((await s.readSnapshot()).overlay, { meta: [{ key: 'engine', nextAppId: 3 }] });
  await s.commit({ put: { meta: Array.from({ length: MAX_JOURNAL_ROWS }, (_, i) => ({ key: `k${i}` })) } });
  assert.equal(await s.readSnapshot(), null, 'MAX_JOURNAL_ROWS + 1 rows in all');
  assert.equal(await s.writeSnapshot(await s.generation(), [new TextEncoder().encode('{}')]), true);
  await s.commit({ put: { users: [{ code: 'x' }] } });
  // The row goes without a journal entry (as no commit does): the journal cannot be trusted.
  await raw(s.db, 'users', 'readwrite', (os) => os.delete('x'));
  assert.equal(await s.readSnapshot(), null);
  await s.close();
});

test('schema 4 and on: a status change writes one row, the record with its tasks; a schema-3 database of task rows opens as the same state', { skip }, async () => {
  const idb = new IDBFactory();
  const a = await open(idb, `j${++n}`);
  await a.host.request('load', { workspace: approvalWorkspace(6) });
  const commits = [];
  const commit = a.storage.commit.bind(a.storage);
  a.storage.commit = (changes, expected) => { commits.push(changes); return commit(changes, expected); };
  assert.equal((await call(a.host, 'PUT', '/k/v1/record/status.json', { app: 1, id: 1, action: 'Approve' })).status, 200);
  assert.equal((await call(a.host, 'DELETE', '/k/v1/records.json', { app: 1, ids: [2] })).status, 200);
  const [status, deletion] = commits;
  assert.deepEqual(Object.keys(status.put), ['records']);
  assert.equal(status.put.records.length, 1);
  assert.deepEqual(status.put.records[0].tasks.map((t) => t.state), ['closed']);
  assert.equal(deletion.put.tasks.length, 1, 'a deleted record\'s task has a row of its own');
  assert.equal(deletion.put.tasks[0].record, 2);
  const expected = state(a.engine);

  // The same state as a schema-3 database holds it: every task in a row of its own.
  const rows = {};
  for (const p of a.engine.ringiRowsPieces()) for (const [store, list] of Object.entries(JSON.parse(new TextDecoder().decode(p)))) (rows[store] ??= []).push(...list);
  a.host.closed = true;
  const legacy = schema3Rows(rows);
  assert.equal(legacy.tasks.length, 6);
  const db = `j${++n}`;
  await createSchema3Database(idb, db, { ...legacy, sync: [{ key: 'generation', value: 'v3' }] });

  const b = await open(idb, db);
  assert.equal(b.storage.db.version, 5, 'upgraded through schema 4 to 5');
  assert.equal(b.opened.restoredFrom, 'rows');
  assert.deepEqual(state(b.engine), expected);
  // The upgrade rewrote nothing: the old rows are folded as they are read.
  assert.equal((await raw(b.storage.db, 'tasks', 'readonly', (os) => os.count())), 6);
  assert.equal((await raw(b.storage.db, 'records', 'readonly', (os) => os.get([1, 3]))).tasks, undefined);
  // Record 3 is written with its task inside, and its old task row goes in the same commit.
  const oldRow = legacy.tasks.find((t) => t.record === 3).id;
  // A commit that fails deletes nothing; the one that goes through (after the reload) does.
  b.storage.failNextCommit();
  await assert.rejects(call(b.host, 'PUT', '/k/v1/record/status.json', { app: 1, id: 3, action: 'Approve' }), (e) => e.code === 'RINGI_ST01');
  assert.notEqual(await raw(b.storage.db, 'tasks', 'readonly', (os) => os.get(oldRow)), undefined);
  assert.equal((await call(b.host, 'PUT', '/k/v1/record/status.json', { app: 1, id: 3, action: 'Approve' })).status, 200);
  assert.deepEqual((await raw(b.storage.db, 'records', 'readonly', (os) => os.get([1, 3]))).tasks.map((t) => t.state), ['closed']);
  assert.equal(await raw(b.storage.db, 'tasks', 'readonly', (os) => os.get(oldRow)), undefined);
  assert.equal((await raw(b.storage.db, 'tasks', 'readonly', (os) => os.count())), 5);
  const after = state(b.engine);
  b.host.closed = true;
  const c = await open(idb, db);
  assert.equal(c.opened.restoredFrom, 'rows');
  assert.deepEqual(state(c.engine), after);
  assert.equal((await call(c.host, 'GET', '/batch_approvals/_tasks?user_id=sato', {})).body.tasks.length, 3);
  await c.host.close();  // a snapshot of that state
  const d = await open(idb, db);
  assert.equal(d.opened.restoredFrom, 'snapshot');
  assert.deepEqual(state(d.engine), after);
  // A commit after the snapshot: the journal's rows are folded the same way.
  assert.equal((await call(d.host, 'PUT', '/k/v1/record/status.json', { app: 1, id: 4, action: 'Approve' })).status, 200);
  const last = state(d.engine);
  d.host.closed = true;
  const e = await open(idb, db);
  assert.equal(e.opened.restoredFrom, 'snapshot+journal');
  assert.deepEqual(state(e.engine), last);
  await e.host.close();
});
