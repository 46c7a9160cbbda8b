// A record's history in storage (schema 5, src/api/storage_format.h "history"), with the real
// engine: a status change appends a constant number of bytes to changes.log however long the
// record's history is; a schema-4 IndexedDB database and a data folder written before history rows
// open with nothing lost, and a long-lived record is split when it next changes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IDBFactory } from 'fake-indexeddb';
import { sendBackWorkspace, schema4Rows, createSchema3Database } from '../fixtures/workspaces.mjs';
import { FileStorage } from '../../web/src/engine/storage/file.js';

const distUrl = new URL(process.env.RINGI_DIST ? `file://${process.env.RINGI_DIST}/` : '../../dist/', import.meta.url);
const skip = !existsSync(fileURLToPath(new URL('ringi-engine.wasm', distUrl))) && 'dist/ missing (engine.test.mjs reports it)';
const lib = () => import(new URL('worker.js', distUrl).href);

async function hostOn(storage, name = 't') {
  const { Host, loadEngine } = await lib();
  await storage.open(name);
  const engine = await loadEngine();
  const host = new Host({ engine, storage, database: `h-${Math.random()}`, broadcast: false, snapshotDelay: 60000 });
  await host.open();
  return { host, engine, storage };
}
const call = (host, method, p, body) => host.request('call', { user: 'sato', method, path: p, body });
/** `n` status changes of record `id`: Send back / Submit in turn. */
async function goRound(host, n, id = 1) {
  for (let i = 0; i < n; i++) {
    const { body: { record } } = await call(host, 'GET', '/k/v1/record.json', { app: 1, id });
    const action = record.Status.value === 'Waiting' ? 'Send back' : 'Submit';
    const r = await call(host, 'PUT', '/k/v1/record/status.json', { app: 1, id, action });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
}
/** The workspace export, its directory in code order (IndexedDB hands rows back in key order). */
async function exported(host) {
  const ws = await host.request('export');
  for (const k of ['users', 'organizations', 'groups']) ws[k].sort((a, b) => a.code.localeCompare(b.code));
  return ws;
}
function rowsOf(engine) {
  const rows = {};
  for (const p of engine.ringiRowsPieces()) for (const [store, list] of Object.entries(JSON.parse(new TextDecoder().decode(p)))) (rows[store] ??= []).push(...list);
  return rows;
}

test('changes.log grows by the same bytes per status change after 10 or 1,000 earlier actions', { skip }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ringi-hist-'));
  try {
    const { host, storage } = await hostOn(new FileStorage(dir, { compactBytes: 1 << 30 }));
    await host.request('load', { workspace: sendBackWorkspace(2) });
    const grow = async (n) => {
      const before = statSync(storage.logFile).size;
      await goRound(host, n);
      return (statSync(storage.logFile).size - before) / n;
    };
    await goRound(host, 10);
    const early = await grow(64);
    await goRound(host, 1000);
    const late = await grow(64);
    assert.ok(late / early < 1.05 && late / early > 0.95, `${early.toFixed(0)} bytes a change after 10 actions, ${late.toFixed(0)} after 1,000`);
    assert.ok(late < 3000, `${late.toFixed(0)} bytes a change`);
    await host.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a schema-4 IndexedDB database with long histories opens as schema 5, nothing lost; the next change splits the record', { skip }, async () => {
  const { IndexedDBStorage } = await lib();
  const idb = new IDBFactory();
  const a = await hostOn(new IndexedDBStorage(idb), 'new');
  await a.host.request('load', { workspace: sendBackWorkspace(3) });
  await goRound(a.host, 21);
  await goRound(a.host, 3, 2);
  const before = await exported(a.host);
  const legacy = schema4Rows(rowsOf(a.engine));
  assert.equal(legacy.records.find((r) => r.id === 1).history.length, 22);
  await createSchema3Database(idb, 'old', { ...legacy, sync: [{ key: 'generation', value: 'v4' }] }, 4);

  const b = await hostOn(new IndexedDBStorage(idb), 'old');
  assert.equal(b.storage.db.version, 5);
  assert.deepEqual(await exported(b.host), before, 'the same state');
  const count = (store) => new Promise((resolve) => { const r = b.storage.db.transaction(store).objectStore(store).count(); r.onsuccess = () => resolve(r.result); });
  assert.equal(await count('history'), 0, 'the upgrade rewrote nothing');
  await goRound(b.host, 1);
  assert.equal(await count('history'), 2, 'record 1\'s first change wrote its 16 final entries as 2 rows');
  const row = await new Promise((resolve) => { const r = b.storage.db.transaction('records').objectStore('records').get([1, 1]); r.onsuccess = () => resolve(r.result); });
  assert.equal(row.historyFrom, 16);
  assert.equal(row.history.length, 7);
  const after = await exported(b.host);
  b.host.closed = true;  // no snapshot at close: the next open reads the rows
  const c = await hostOn(new IndexedDBStorage(idb), 'old');
  assert.equal(c.host.stats.restoredFrom, 'rows');
  assert.deepEqual(await exported(c.host), after);
  await c.host.close();  // writes a snapshot
  const d = await hostOn(new IndexedDBStorage(idb), 'old');
  assert.equal(d.host.stats.restoredFrom, 'snapshot');
  assert.deepEqual(await exported(d.host), after);
  await d.host.close();
});

test('a data folder written before history rows opens with nothing lost, and survives the split and a compaction', { skip }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ringi-hist-'));
  try {
    const { MemoryStorage } = await lib();
    const a = await hostOn(new MemoryStorage());
    await a.host.request('load', { workspace: sendBackWorkspace(2) });
    await goRound(a.host, 30);
    const before = await exported(a.host);
    // The folder as the previous Ringi wrote it: the rows in one commit, record rows whole.
    const old = new FileStorage(dir);
    await old.open('t');
    await old.commit({ reset: true, put: schema4Rows(rowsOf(a.engine)), delete: {} });
    await old.close();

    const b = await hostOn(new FileStorage(dir, { compactBytes: 1 << 30 }));
    assert.deepEqual(await exported(b.host), before);
    await goRound(b.host, 5);
    const after = await exported(b.host);
    await b.storage.compact();
    await b.host.close();
    const c = await hostOn(new FileStorage(dir));
    assert.deepEqual(await exported(c.host), after);
    assert.equal((await c.storage.loadAll()).history.length, 4, 'entries 0-31 in 4 rows');
    await c.host.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
