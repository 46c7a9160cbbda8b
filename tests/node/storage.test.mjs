// Storage back-ends (one suite, run over memory and IndexedDB via fake-indexeddb): schema, atomic
// commits, reset, deletes, generation tokens, failure leaves the old state.
import test from 'node:test';
import assert from 'node:assert/strict';
import { IDBFactory } from 'fake-indexeddb';
import { MemoryStorage } from '../../web/src/engine/storage/memory.js';
import { IndexedDBStorage } from '../../web/src/engine/storage/indexeddb.js';
import { STORE_NAMES, SCHEMA_VERSION, foldTaskRows, keyOf } from '../../web/src/engine/storage/schema.js';

const idb = new IDBFactory();
const backends = {
  memory: () => new MemoryStorage(),
  indexeddb: () => new IndexedDBStorage(idb),
};

for (const [kind, make] of Object.entries(backends)) {
  test(`${kind}: empty database loads as empty stores`, async () => {
    const s = make();
    await s.open(`empty-${kind}`);
    const st = await s.loadAll();
    assert.deepEqual(Object.keys(st).sort(), [...STORE_NAMES].sort());
    for (const n of STORE_NAMES) assert.deepEqual(st[n], []);
    assert.equal(await s.generation(), null);
    await s.close();
  });

  test(`${kind}: commit puts, overwrites, deletes by compound key; reset clears`, async () => {
    const s = make();
    const name = `db-${kind}`;
    await s.open(name);
    const g1 = await s.commit({ reset: true, put: { users: [{ code: 'sato', name: '佐藤' }], apps: [{ app: 1, name: '経費精算' }], records: [{ app: 1, id: 1, v: 'a' }, { app: 1, id: 2, v: 'b' }, { app: 2, id: 1, v: 'c' }], meta: [{ key: 'next', value: 3 }] } });
    assert.equal(typeof g1, 'string');
    assert.equal(await s.generation(), g1);
    const g2 = await s.commit({ reset: false, put: { records: [{ app: 1, id: 1, v: 'A' }], tasks: [{ id: 't1', app: 1 }], batches: [{ batch_number: 'b1', total: 1 }] }, delete: { records: [[1, 2]] } });
    assert.notEqual(g2, g1);
    await s.close();
    const s2 = make();
    await s2.open(name);
    const st = await s2.loadAll();
    assert.deepEqual(st.records.sort((a, b) => a.app - b.app || a.id - b.id), [{ app: 1, id: 1, v: 'A' }, { app: 2, id: 1, v: 'c' }]);
    assert.deepEqual(st.users, [{ code: 'sato', name: '佐藤' }]);
    assert.deepEqual(st.tasks, [{ id: 't1', app: 1 }]);
    assert.deepEqual(st.batches, [{ batch_number: 'b1', total: 1 }]);
    assert.equal(await s2.generation(), g2);
    await s2.commit({ reset: true, put: { users: [{ code: 'li' }] } });
    const st2 = await s2.loadAll();
    assert.deepEqual(st2.users, [{ code: 'li' }]);
    assert.deepEqual(st2.records, []);
    assert.deepEqual(st2.meta, []);
    await s2.clear();
    assert.deepEqual((await s2.loadAll()).users, []);
    await s2.close();
  });

  test(`${kind}: commit(changes, expected) writes only at the expected generation`, async () => {
    const s = make();
    await s.open(`expected-${kind}`);
    // A fresh database is at generation null.
    const g1 = await s.commit({ put: { records: [{ app: 1, id: 1, v: 1 }] } }, null);
    await assert.rejects(s.commit({ put: { records: [{ app: 1, id: 2, v: 2 }] }, delete: { records: [[1, 1]] } }, 'someone-else'),
      (e) => e.stale === true);
    assert.equal(await s.generation(), g1);
    assert.deepEqual((await s.loadAll()).records, [{ app: 1, id: 1, v: 1 }]);
    const g2 = await s.commit({ put: { records: [{ app: 1, id: 2, v: 2 }] } }, g1);
    assert.notEqual(g2, g1);
    assert.equal((await s.loadAll()).records.length, 2);
    await s.close();
  });

  test(`${kind}: a failed commit changes nothing`, async () => {
    const s = make();
    await s.open(`fail-${kind}`);
    const g = await s.commit({ put: { records: [{ app: 1, id: 1, v: 1 }] } });
    s.failNextCommit();
    await assert.rejects(s.commit({ put: { records: [{ app: 1, id: 1, v: 2 }, { app: 1, id: 2, v: 2 }] }, delete: { records: [[1, 1]] } }));
    assert.deepEqual((await s.loadAll()).records, [{ app: 1, id: 1, v: 1 }]);
    assert.equal(await s.generation(), g);
    await assert.rejects(s.commit({ put: { nosuchstore: [{}] } }));
    await s.close();
  });
}

test('indexeddb: schema version and one object store per entity kind with keyPaths', async () => {
  const s = new IndexedDBStorage(idb);
  await s.open('schema');
  assert.equal(s.db.version, SCHEMA_VERSION);
  const names = [...s.db.objectStoreNames].sort();
  assert.deepEqual(names, [...STORE_NAMES, 'sync', 'snapshot', 'journal'].sort());
  const tx = s.db.transaction(['records', 'users'], 'readonly');
  assert.deepEqual(tx.objectStore('records').keyPath, ['app', 'id']);
  assert.equal(tx.objectStore('users').keyPath, 'code');
  await s.close();
});


test('foldTaskRows: task rows go into record rows without tasks; older ones of rows with tasks go; orphans stay', () => {
  const records = new Map([
    [keyOf('records', { app: 1, id: 1 }), { app: 1, id: 1, status: 'A' }],
    [keyOf('records', { app: 1, id: 2 }), { app: 1, id: 2, tasks: [{ id: 'new', state: 'closed' }] }],
  ]);
  const tasks = [
    { id: 't2', app: 1, record: 1, entry: 2, state: 'open' },
    { id: 't1', app: 1, record: 1, entry: 1, state: 'closed' },
    { id: 'old', app: 1, record: 2, entry: 0, state: 'open' },
    { id: 'gone', app: 1, record: 3, entry: 0, state: 'deleted' },
  ];
  const fold = foldTaskRows(tasks, records);
  assert.deepEqual(fold.records, [{ app: 1, id: 1, status: 'A', tasks: [{ id: 't1', entry: 1, state: 'closed' }, { id: 't2', entry: 2, state: 'open' }] }]);
  assert.deepEqual(fold.moved.map((t) => t.id), ['t2', 't1', 'old']);
  assert.deepEqual(records.get('[1,1]'), { app: 1, id: 1, status: 'A' }, 'the stored row is not changed in place');
  assert.deepEqual(foldTaskRows([], new Map()), { records: [], moved: [] });
});
