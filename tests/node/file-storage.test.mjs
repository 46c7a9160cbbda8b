// web/src/storage/file.js (the durable store of `ringi serve --data`): commits survive a reopen,
// a torn or corrupt last record is discarded (at every cut point), compaction (snapshot + fresh
// log, also when interrupted between the two), failed commits change nothing, the LOCK rule.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync, copyFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { FileStorage, parseLog, crc32 } from '../../web/src/storage/file.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'ringi-file-'));
const row = (id, v) => ({ app: 1, id, v });
const put = (...rows) => ({ put: { records: rows }, delete: {} });

async function reopen(dir, opts) {
  const s = new FileStorage(dir, opts);
  await s.open('t');
  return s;
}

test('crc32 matches the IEEE check value', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});

test('commit(changes, expected) writes nothing unless the log is at the expected generation', async () => {
  const dir = tmp();
  try {
    const a = await reopen(dir);
    const g = await a.commit(put(row(1, 'a')), null);
    await assert.rejects(a.commit(put(row(2, 'b')), 'someone-else'), (e) => e.stale === true);
    assert.equal(await a.generation(), g);
    await a.close();
    const b = await reopen(dir);  // nothing reached the log either
    assert.deepEqual((await b.loadAll()).records, [row(1, 'a')]);
    assert.notEqual(await b.commit(put(row(2, 'b')), g), g);
    await b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('commits survive a reopen; deletes and reset replay in order; generation is kept', async () => {
  const dir = tmp();
  try {
    const a = await reopen(dir);
    assert.equal(await a.generation(), null);
    await a.commit(put(row(1, 'a'), row(2, 'b')));
    await a.commit({ put: { users: [{ code: 'sato' }] }, delete: { records: [[1, 1]] } });
    await a.commit({ reset: true, put: { records: [row(3, 'c')] }, delete: {} });
    const g = await a.commit(put(row(3, 'c2'), row(4, 'd')));
    const state = await a.loadAll();
    await a.close();
    const b = await reopen(dir);
    assert.equal(await b.generation(), g);
    assert.deepEqual(await b.loadAll(), state);
    assert.deepEqual(state.records, [row(3, 'c2'), row(4, 'd')]);
    assert.deepEqual(state.users, []);
    assert.deepEqual(b.lastOpen, { snapshotSeq: 0, replayed: 4, skipped: 0, discardedBytes: 0 });
    await b.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('task rows of live records (written before schema 4) are folded into their records\' rows on open', async () => {
  const dir = tmp();
  try {
    const a = await reopen(dir);
    await a.commit({ put: { records: [row(1, 'a'), row(2, 'b')], tasks: [{ id: 't1', app: 1, record: 1, entry: 0 }, { id: 't9', app: 1, record: 9, entry: 0 }] } });
    await a.close();
    const b = await reopen(dir);
    const st = await b.loadAll();
    assert.deepEqual(st.records, [{ ...row(1, 'a'), tasks: [{ id: 't1', entry: 0 }] }, row(2, 'b')]);
    assert.deepEqual(st.tasks, [{ id: 't9', app: 1, record: 9, entry: 0 }], 'a task whose record is gone keeps its row');
    // A later row of record 1 with its tasks wins over the old task row still in the log.
    await b.commit(put({ ...row(1, 'a2'), tasks: [{ id: 't1', entry: 0, state: 'closed' }] }));
    await b.close();
    const c = await reopen(dir);
    assert.deepEqual((await c.loadAll()).records[0], { ...row(1, 'a2'), tasks: [{ id: 't1', entry: 0, state: 'closed' }] });
    await c.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a torn last record is discarded at every cut point, and the file is cut back', async () => {
  const dir = tmp();
  try {
    const a = await reopen(dir);
    await a.commit(put(row(1, 'a')));
    const goodState = await a.loadAll();
    const goodSize = statSync(a.logFile).size;
    await a.commit(put(row(2, 'torn')));
    await a.close();
    const full = readFileSync(path.join(dir, 'changes.log'));
    for (let cut = goodSize + 1; cut < full.length; cut++) {
      writeFileSync(path.join(dir, 'changes.log'), full.subarray(0, cut));
      const b = await reopen(dir);
      assert.deepEqual(await b.loadAll(), goodState, `cut at ${cut}`);
      assert.equal(b.lastOpen.discardedBytes, cut - goodSize);
      assert.equal(statSync(b.logFile).size, goodSize);
      await b.close();
    }
    // A flipped byte inside the last record: checksum mismatch, discarded too.
    const bad = Buffer.from(full);
    bad[full.length - 3] ^= 0x20;
    writeFileSync(path.join(dir, 'changes.log'), bad);
    const c = await reopen(dir);
    assert.deepEqual(await c.loadAll(), goodState);
    await c.commit(put(row(5, 'after')));
    await c.close();
    const d = await reopen(dir);
    assert.deepEqual((await d.loadAll()).records, [row(1, 'a'), row(5, 'after')]);
    await d.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('compaction writes a snapshot and a fresh log; a crash between the two skips covered records', async () => {
  const dir = tmp();
  try {
    const a = await reopen(dir, { compactBytes: 1 << 30 });
    for (let i = 1; i <= 20; i++) await a.commit(put(row(i, `v${i}`)));
    const oldLog = path.join(dir, 'old.log');
    copyFileSync(a.logFile, oldLog);
    await a.compact();
    assert.ok(existsSync(a.snapshotFile));
    assert.equal(parseLog(readFileSync(a.logFile)).records.length, 0);
    await a.commit(put(row(21, 'v21')));
    const state = await a.loadAll();
    await a.close();
    const b = await reopen(dir);
    assert.deepEqual(await b.loadAll(), state);
    assert.deepEqual(b.lastOpen, { snapshotSeq: 20, replayed: 1, skipped: 0, discardedBytes: 0 });
    await b.close();
    // Crash after the snapshot rename but before the log was replaced: the old log is still there.
    copyFileSync(oldLog, path.join(dir, 'changes.log'));
    const c = await reopen(dir);
    assert.deepEqual((await c.loadAll()).records, state.records.filter((r) => r.id <= 20));
    assert.equal(c.lastOpen.skipped, 20);
    await c.close();
    // Automatic compaction by size.
    const d = await reopen(dir, { compactBytes: 2000 });
    for (let i = 30; i < 60; i++) await d.commit(put(row(i, 'x'.repeat(100))));
    assert.ok(statSync(d.logFile).size < 2000 + 400);
    const s2 = await d.loadAll();
    await d.close();
    const e = await reopen(dir);
    assert.deepEqual(await e.loadAll(), s2);
    await e.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a failed commit changes nothing; unknown stores are refused', async () => {
  const dir = tmp();
  try {
    const a = await reopen(dir);
    await a.commit(put(row(1, 'a')));
    const size = statSync(a.logFile).size;
    a.failNextCommit();
    await assert.rejects(a.commit(put(row(2, 'b'))));
    await assert.rejects(a.commit({ put: { nope: [{}] }, delete: {} }));
    assert.equal(statSync(a.logFile).size, size);
    assert.deepEqual((await a.loadAll()).records, [row(1, 'a')]);
    await a.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('LOCK: a directory held by a live process is refused; a dead holder is taken over', async () => {
  const dir = tmp();
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  try {
    writeFileSync(path.join(dir, 'LOCK'), String(child.pid));
    await assert.rejects(reopen(dir), /in use by process/);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const a = await reopen(dir);
    assert.equal(readFileSync(path.join(dir, 'LOCK'), 'utf8'), String(process.pid));
    await a.close();
    assert.ok(!existsSync(path.join(dir, 'LOCK')));
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
