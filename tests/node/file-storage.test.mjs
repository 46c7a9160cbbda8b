// web/src/engine/storage/file.js (the durable store of `ringi serve --data`): commits survive a reopen,
// a torn last record is cut (at every cut point), compaction (snapshot + fresh log, also when
// interrupted between the two), failed commits change nothing, the LOCK rule. Damaged files:
// file-damage.test.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync, copyFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { FileStorage, readLog, crc32 } from '../../web/src/engine/storage/file.js';

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
    assert.equal(readLog(readFileSync(a.logFile)).records.length, 0);
    assert.equal(readLog(readFileSync(a.logFile)).baseSeq, 20, 'the new log names the snapshot it continues');
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

test('LOCK: a directory held by a live process is refused; a dead, zombie or reused holder is taken over', async () => {
  const dir = tmp();
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  // `sleep 0` exits at once and its parent, exec'd into `sleep 60`, never reaps it: a zombie.
  const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const lockFile = path.join(dir, 'LOCK');
    const start = (pid) => readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ')[19];
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(lockFile, `${child.pid} ${start(child.pid)}\n`);
    await assert.rejects(reopen(dir), /in use by process/);
    writeFileSync(lockFile, String(child.pid));  // a LOCK written before start times: pid only
    await assert.rejects(reopen(dir), /in use by process/);

    writeFileSync(lockFile, `${child.pid} 1\n`);  // the same pid, another start: reused
    let a = await reopen(dir);
    assert.match(readFileSync(lockFile, 'utf8'), new RegExp(`^${process.pid} \\d+\\n$`));
    await a.close();
    assert.ok(!existsSync(lockFile));

    const zombie = Number(await new Promise((r) => parent.stdout.once('data', (d) => r(String(d).trim()))));
    await new Promise((r) => setTimeout(r, 200));
    assert.match(readFileSync(`/proc/${zombie}/stat`, 'latin1'), /\) Z /, 'the helper is a zombie');
    writeFileSync(lockFile, `${zombie} ${start(zombie)}\n`);
    a = await reopen(dir);
    await a.close();

    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    writeFileSync(lockFile, String(child.pid));
    a = await reopen(dir);
    await a.close();

    // A LOCK planted as a symbolic link is never followed (nor is any other file of the folder).
    const target = path.join(tmp(), 'victim');
    writeFileSync(target, 'keep');
    symlinkSync(target, lockFile);
    await assert.rejects(reopen(dir), /symbolic link/);
    assert.equal(readFileSync(target, 'utf8'), 'keep');
  } finally {
    child.kill('SIGKILL');
    parent.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('files are created without following links: a planted changes.log.tmp link is replaced, not written through', async () => {
  const dir = tmp();
  const victimDir = tmp();
  try {
    const a = await reopen(dir, { compactBytes: 1 << 30 });
    await a.commit(put(row(1, 'a')));
    const victim = path.join(victimDir, 'victim');
    writeFileSync(victim, 'keep');
    for (const f of ['changes.log.tmp', 'snapshot.json.tmp']) symlinkSync(victim, path.join(dir, f));
    await a.compact();
    assert.equal(readFileSync(victim, 'utf8'), 'keep');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(a.snapshotFile).mode & 0o777, 0o600);
    await a.close();
    // A changes.log that is a link is refused at open.
    rmSync(path.join(dir, 'changes.log'));
    symlinkSync(victim, path.join(dir, 'changes.log'));
    await assert.rejects(reopen(dir), /symbolic link/);
    assert.equal(readFileSync(victim, 'utf8'), 'keep');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(victimDir, { recursive: true, force: true });
  }
});
