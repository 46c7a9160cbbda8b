// `ringi serve --data` keeps what it acknowledged, whatever happens to the process, the engine or
// the files: an engine that traps in the middle of a write is replaced and nothing it did is kept,
// while every write after it survives kill -9; a damaged data folder is refused at start (exit 1,
// the file and the byte named, nothing re-imported from --workspace), `ringi repair` cuts it to
// its intact prefix and says so, and the server then starts with exactly that prefix.
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readLog } from '../../web/src/engine/storage/file-log.js';
import { startServer, runRingi, raw, basicAuth, killAll, WORKSPACE, SERVE_WITH_FAULTS, skipWithoutEngine as skip } from './helpers/serve-process.mjs';

const dirs = [];
after(() => {
  killAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const dataDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ringi-durable-'));
  dirs.push(d);
  return d;
};
const json = { 'content-type': 'application/json' };
const addRecord = (port, title) => raw(port, { method: 'POST', path: '/k/v1/record.json', headers: { ...basicAuth('sato'), ...json }, body: JSON.stringify({ app: 2, record: { title: { value: title } } }) });
const titles = async (port) => (await raw(port, { path: '/k/v1/records.json?app=2&query=order%20by%20%24id%20asc%20limit%20500', headers: basicAuth('sato') })).json.records.map((r) => r.title.value);

/** Arm a fault in a serve-with-faults process and wait until it says so. */
/** The server's output once it says `pattern` (its stderr may arrive after the reply). */
async function said(srv, pattern) {
  for (let i = 0; i < 400 && !pattern.test(srv.output()); i++) await new Promise((r) => setTimeout(r, 5));
  return srv.output();
}

async function arm(srv, kind, arg) {
  const before = srv.output().length;
  srv.send(`fault ${kind} ${arg}`);
  while (!srv.output().slice(before).includes(`armed ${kind} ${arg}`)) await new Promise((r) => setTimeout(r, 5));
}

test('a trap in the middle of a write: 500 RINGI_EN02 and nothing kept; the writes after it survive kill -9', { skip }, async () => {
  const dir = dataDir();
  let srv = await startServer(['--workspace', WORKSPACE, '--data', dir], {}, { script: SERVE_WITH_FAULTS });
  assert.equal((await addRecord(srv.port, 'before')).status, 200);
  const logFile = path.join(dir, 'changes.log');
  const size = () => readFileSync(logFile).length;

  await arm(srv, 1, 0);
  let sizeBefore = size();
  const trapped = await addRecord(srv.port, 'trapped');
  assert.equal(trapped.status, 500);
  assert.equal(trapped.json.code, 'RINGI_EN02');
  assert.equal(trapped.headers['x-cybozu-error'], 'RINGI_EN02');
  assert.equal(size(), sizeBefore, 'nothing of the trapped write reached the log');
  assert.match(await said(srv, /the engine failed/), /the engine failed \(unreachable\); a new one is restored from storage/);

  // The status change and adds after it are acknowledged by the new instance, and each grows the log.
  sizeBefore = size();
  const st = await raw(srv.port, { method: 'PUT', path: '/k/v1/record/status.json', headers: { ...basicAuth('sato'), ...json }, body: JSON.stringify({ app: 1, id: 1, action: 'Approve' }) });
  assert.deepEqual(st.json, { revision: '5' });
  assert.ok(size() > sizeBefore, 'the status change was written');
  for (const t of ['after 1', 'after 2']) {
    sizeBefore = size();
    assert.equal((await addRecord(srv.port, t)).status, 200);
    assert.ok(size() > sizeBefore, `${t} was written`);
  }
  srv.proc.kill('SIGKILL');
  await srv.exited;

  srv = await startServer(['--workspace', WORKSPACE, '--data', dir]);
  assert.deepEqual(await titles(srv.port), ['before', 'after 1', 'after 2']);
  const rec = await raw(srv.port, { path: '/k/v1/record.json?app=1&id=1', headers: basicAuth('sato') });
  assert.equal(rec.json.record.Status.value, 'Approved');
  srv.proc.kill('SIGTERM');
  await srv.exited;
});

test('the poisoned call: an action whose stored filterCond nests 5,000 deep answers its error, and the writes after it survive kill -9', { skip }, async () => {
  const dir = dataDir();
  // A workspace as an older Ringi accepted it: the deep condition is already stored (saving one
  // is refused now: apps_test.cpp), so the status change itself must not end the engine.
  const ws = JSON.parse(readFileSync(WORKSPACE, 'utf8'));
  ws.apps[0].status.actions[1].filterCond = `${'('.repeat(5000)}amount < 100000${')'.repeat(5000)}`;
  const wsFile = path.join(dataDir(), 'deep-workspace.json');
  writeFileSync(wsFile, JSON.stringify(ws));
  let srv = await startServer(['--workspace', wsFile, '--data', dir]);
  const st = await raw(srv.port, { method: 'PUT', path: '/k/v1/record/status.json', headers: { ...basicAuth('sato'), ...json }, body: JSON.stringify({ app: 1, id: 1, action: 'Approve' }) });
  assert.equal(st.status, 400);
  assert.equal(st.json.code, 'CB_VA01');
  assert.ok(st.json.errors.query, JSON.stringify(st.json));
  const logFile = path.join(dir, 'changes.log');
  for (const t of ['after 1', 'after 2']) {
    const size = readFileSync(logFile).length;
    assert.equal((await addRecord(srv.port, t)).status, 200);
    assert.ok(readFileSync(logFile).length > size, `${t} reached the log`);
  }
  assert.doesNotMatch(srv.output(), /engine failed/);
  srv.proc.kill('SIGKILL');
  await srv.exited;
  srv = await startServer(['--data', dir]);
  assert.deepEqual(await titles(srv.port), ['after 1', 'after 2']);
  srv.proc.kill('SIGTERM');
  await srv.exited;
});

test('a batch task that ends every engine: the batch finishes without it, other clients are served, and kill -9 keeps the result', { skip }, async () => {
  const dir = dataDir();
  let srv = await startServer(['--workspace', WORKSPACE, '--data', dir], {}, { script: SERVE_WITH_FAULTS });
  await arm(srv, 2, 2);  // every engine that runs record 2's task traps
  const tasks = (await raw(srv.port, { path: '/batch_approvals/_tasks', headers: basicAuth('sato') })).json.tasks.sort((a, b) => a.record_id - b.record_id);
  assert.deepEqual(tasks.map((t) => t.record_id), ['1', '2', '3']);
  const submit = await raw(srv.port, { method: 'POST', path: '/batch_approvals/_submit', headers: { ...basicAuth('sato'), ...json }, body: JSON.stringify(tasks.map((t) => t.task_id)) });
  const number = submit.json.batch_number;
  let progress;
  for (;;) {
    assert.equal((await raw(srv.port, { path: '/k/v1/record.json?app=1&id=5', headers: basicAuth('sato') })).status, 200);
    progress = (await raw(srv.port, { path: `/batch_approvals/_submit?batch_number=${number}`, headers: basicAuth('sato') })).json;
    if (progress.state === 'completed' || progress.state === 'partially_completed') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.deepEqual([progress.processed, progress.succeeded], [3, 2]);
  assert.deepEqual(progress.failures.map((f) => [f.task_id, f.reason_code]), [[tasks[1].task_id, 'engine_failure']]);
  srv.proc.kill('SIGKILL');
  await srv.exited;
  srv = await startServer(['--data', dir]);
  const again = (await raw(srv.port, { path: `/batch_approvals/_submit?batch_number=${number}`, headers: basicAuth('sato') })).json;
  assert.deepEqual([again.state, again.processed, again.succeeded], ['partially_completed', 3, 2]);
  const st = async (id) => (await raw(srv.port, { path: `/k/v1/record.json?app=1&id=${id}`, headers: basicAuth('sato') })).json.record.Status.value;
  assert.deepEqual([await st(1), await st(2), await st(3)], ['Approved', 'Waiting', 'Approved']);
  srv.proc.kill('SIGTERM');
  await srv.exited;
});

test('a damaged log: serve refuses to start and imports nothing; repair cuts it; serve starts with the intact prefix', { skip }, async () => {
  const dir = dataDir();
  let srv = await startServer(['--workspace', WORKSPACE, '--data', dir]);
  for (let i = 0; i < 10; i++) assert.equal((await addRecord(srv.port, `r${i}`)).status, 200);
  srv.proc.kill('SIGKILL');
  await srv.exited;

  // The import is record 1 of the log, the ten adds records 2..11: damage the add of r4 (record 6).
  const logFile = path.join(dir, 'changes.log');
  const bytes = readFileSync(logFile);
  const { offsets } = readLog(bytes);
  assert.equal(offsets.length, 11);
  bytes[offsets[5] + 30] ^= 0x01;
  writeFileSync(logFile, bytes);

  const refused = await startServer(['--workspace', WORKSPACE, '--data', dir]).then(() => null, (e) => e);
  assert.ok(refused, 'serve must not start on a damaged log');
  assert.equal(refused.exit.code, 1);
  assert.match(refused.output, new RegExp(`ringi: ${logFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: a record whose checksum does not match \\(record 6\\) at byte ${offsets[5]}; 5 intact records follow it\\. .*ringi repair --data`));
  assert.doesNotMatch(refused.output, /imported/);
  assert.deepEqual(readFileSync(logFile), bytes, 'the refusal left the log as it was');

  const repair = await runRingi(['repair', '--data', dir]);
  assert.equal(repair.code, 0, repair.output);
  assert.match(repair.output, /Dropped bytes \d+-\d+ \(\d+ bytes\): the bad record and the 5 intact records after it\. Kept 5 records, up to seq 5\./);
  assert.match(repair.output, /A copy of the file as it was is in .*changes\.log\.damaged-/);

  srv = await startServer(['--workspace', WORKSPACE, '--data', dir]);
  assert.match(srv.output(), /already holds data: --workspace ignored/);
  assert.deepEqual(await titles(srv.port), ['r0', 'r1', 'r2', 'r3']);
  srv.proc.kill('SIGTERM');
  await srv.exited;
});

test('a deleted snapshot is refused by serve, and repair says only a backup helps', { skip }, async () => {
  const dir = dataDir();
  // Compaction after every commit: the state lives in snapshot.json.
  let srv = await startServer(['--workspace', WORKSPACE, '--data', dir, '--compact-bytes', '1']);
  assert.equal((await addRecord(srv.port, 'kept')).status, 200);
  srv.proc.kill('SIGTERM');
  await srv.exited;
  rmSync(path.join(dir, 'snapshot.json'));
  const refused = await startServer(['--workspace', WORKSPACE, '--data', dir]).then(() => null, (e) => e);
  assert.equal(refused?.exit.code, 1);
  assert.match(refused.output, /changes\.log: the log continues the snapshot of seq 2, but snapshot\.json is missing at byte 12\. Nothing was changed\. Restore snapshot\.json from a backup\./);
  const repair = await runRingi(['repair', '--data', dir]);
  assert.equal(repair.code, 1);
  assert.match(repair.output, /snapshot\.json is missing: restore snapshot\.json from a backup\. Nothing was changed\./);
});
