// A failed engine call ends that engine instance (web/src/engine/host.js "A failed engine"), in-process
// with the real wasm engine: a trap in the middle of a write (the module's test seam,
// `_ringi_test_fault`) answers RINGI_EN02 and keeps nothing; the host makes a new instance and
// restores it from storage before anything else; every later write is kept, on disk too; a batch
// task whose run ends the engine fails with reason engine_failure and the batch goes on.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { approvalWorkspace } from '../fixtures/workspaces.mjs';

const distUrl = new URL(process.env.RINGI_DIST ? `file://${process.env.RINGI_DIST}/` : '../../dist/', import.meta.url);
const skip = !existsSync(fileURLToPath(new URL('ringi-engine.wasm', distUrl))) && 'dist/ missing (engine.test.mjs reports it)';
const lib = async () => import(new URL('worker.js', distUrl).href);
const { FileStorage } = await import('../../web/src/engine/storage/file.js');

const FAULT_NEXT_WRITE = 1, FAULT_BATCH_RECORD = 2;

/**
 * A host on `storage` whose engines are made by the real loader; `faults.batchRecord` is armed on
 * every new instance (a task that fails every engine that runs it).
 */
async function makeHost(storage, { chunkSize } = {}) {
  const { Host, loadEngine } = await lib();
  const faults = { batchRecord: 0, made: 0 };
  const make = async () => {
    const e = await loadEngine();
    faults.made++;
    if (faults.batchRecord) e._ringi_test_fault(FAULT_BATCH_RECORD, faults.batchRecord);
    return e;
  };
  await storage.open('t');
  const events = [];
  const host = new Host({ engine: await make(), loadEngine: make, storage, database: `fail-${Math.random()}`, chunkSize, broadcast: false, snapshotDelay: -1, emit: (type, p) => events.push([type, p]) });
  await host.open();
  return { host, faults, events };
}

const call = (host, method, path, body, user = 'sato') => host.request('call', { user, method, path, body });
const status = async (host, id) => (await call(host, 'GET', '/k/v1/record.json', { app: 1, id })).body.record;

test('a trap in the middle of a write: RINGI_EN02, nothing kept, a new instance from storage, later writes kept (memory)', { skip }, async () => {
  const { MemoryStorage } = await lib();
  const { host, faults } = await makeHost(new MemoryStorage());
  await host.request('load', { workspace: approvalWorkspace(5) });
  const first = host.engine;

  first._ringi_test_fault(FAULT_NEXT_WRITE, 0);
  await assert.rejects(call(host, 'PUT', '/k/v1/record/status.json', { app: 1, id: 1, action: 'Approve' }), (e) => {
    assert.equal(e.code, 'RINGI_EN02');
    assert.equal(e.status, 500);
    assert.match(e.message, /nothing of the request was saved/);
    return true;
  });
  // The next request is answered by a new instance, restored from storage: record 1 is as it was.
  const r1 = await status(host, 1);
  assert.notEqual(host.engine, first);
  assert.equal(faults.made, 2);
  assert.equal(host.stats.restarts, 1);
  assert.equal(r1.Status.value, 'Waiting');
  assert.equal(r1.$revision.value, '3');
  // Writes go on, and are kept.
  assert.deepEqual((await call(host, 'PUT', '/k/v1/record/status.json', { app: 1, id: 1, action: 'Approve' })).body, { revision: '5' });
  assert.deepEqual((await call(host, 'POST', '/k/v1/record.json', { app: 1, record: { title: { value: 'after' } } })).body, { id: '6', revision: '1' });
  const rows = await host.storage.loadAll();
  assert.equal(rows.records.find((r) => r.id === 1).status, 'Approved');
  assert.ok(rows.records.find((r) => r.id === 6));
  await host.close();
});

test('the same on disk: the writes after the trap survive a reopen of the data folder; the trapped one is not there', { skip }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ringi-fail-'));
  try {
    const { host } = await makeHost(new FileStorage(dir));
    await host.request('load', { workspace: approvalWorkspace(5) });
    host.engine._ringi_test_fault(FAULT_NEXT_WRITE, 0);
    await assert.rejects(call(host, 'POST', '/k/v1/record.json', { app: 1, record: { title: { value: 'trapped' } } }), { code: 'RINGI_EN02' });
    for (let i = 0; i < 3; i++) assert.equal((await call(host, 'POST', '/k/v1/record.json', { app: 1, record: { title: { value: `kept ${i}` } } })).status, 200);
    await host.storage.close();  // no clean close of the host: as if the process ended here

    const { host: again } = await makeHost(new FileStorage(dir));
    const titles = (await call(again, 'GET', '/k/v1/records.json', { app: 1, query: 'order by $id asc' })).body.records.map((r) => r.title.value);
    assert.deepEqual(titles.slice(5), ['kept 0', 'kept 1', 'kept 2']);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a batch task whose run ends every engine fails with engine_failure; the rest of the batch runs; requests are answered meanwhile', { skip }, async () => {
  const { MemoryStorage } = await lib();
  const { host, faults, events } = await makeHost(new MemoryStorage(), { chunkSize: 200 });
  await host.request('load', { workspace: approvalWorkspace(6) });
  faults.batchRecord = 4;
  host.engine._ringi_test_fault(FAULT_BATCH_RECORD, 4);
  const { body: { tasks } } = await call(host, 'GET', '/batch_approvals/_tasks?user_id=sato', {});
  const ids = tasks.sort((a, b) => a.record_id - b.record_id).map((t) => t.task_id);
  const { body: { batch_number: number } } = await call(host, 'POST', '/batch_approvals/_submit?user_id=sato', ids);
  // A request while the batch is being sorted out is answered (by whichever instance is current).
  assert.equal((await call(host, 'GET', '/k/v1/record.json', { app: 1, id: 1 })).status, 200);
  let progress;
  for (let i = 0; i < 400; i++) {
    progress = (await call(host, 'GET', `/batch_approvals/_submit?user_id=sato&batch_number=${number}`, {})).body;
    if (progress.state !== 'queued' && progress.state !== 'running') break;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(progress.state, 'partially_completed');
  assert.equal(progress.total, 6);
  assert.equal(progress.processed, 6);
  assert.equal(progress.succeeded, 5);
  assert.deepEqual(progress.failures.map((f) => [f.task_id, f.reason_code]), [[ids[3], 'engine_failure']]);
  assert.match(progress.failures[0].reason, /engine failed while running this task/);
  for (const id of [1, 2, 3, 5, 6]) assert.equal((await status(host, id)).Status.value, 'Approved', `record ${id}`);
  assert.equal((await status(host, 4)).Status.value, 'Waiting');
  // The whole chunk, then the single task, each ended an instance: two restarts, no more.
  assert.equal(host.stats.engineFailures, 2);
  assert.ok(events.some(([type]) => type === 'engine-failed'));
  await host.close();
});

test('a body nested too deep to send is CB_IJ01, not an engine failure', { skip }, async () => {
  const { MemoryStorage } = await lib();
  const { host } = await makeHost(new MemoryStorage());
  let deep = {};
  for (let i = 0; i < 200000; i++) deep = { a: deep };
  await assert.rejects(call(host, 'PUT', '/k/v1/record.json', { app: 1, id: 1, record: deep }), { code: 'CB_IJ01' });
  assert.equal(host.stats.engineFailures, 0);
  await host.close();
});
