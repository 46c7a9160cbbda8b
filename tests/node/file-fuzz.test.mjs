// The log and snapshot decoders (web/src/engine/storage/file*.js) on randomly damaged folders: a
// seeded generator flips bytes, truncates, appends garbage, zeroes blocks, repeats or swaps
// records, and damages the snapshot. Whatever it does, opening the folder either
//   - refuses with DamagedFileError naming the file and a byte inside it, and leaves every file
//     exactly as it was; or
//   - opens with a prefix of what was committed (ids 1..k), and says what it cut when k is short.
// Never a crash of another kind, never a record that was not committed, never a silent loss.
// RINGI_FUZZ_ITERATIONS (default 150) sets how many damaged folders; the seed is printed.
import test from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStorage, readLog } from '../../web/src/engine/storage/file.js';
import { rng } from '../../web/demo/demo-workspace.js';  // seeded: a failing case runs again

const ITERATIONS = Number(process.env.RINGI_FUZZ_ITERATIONS || 150);
const SEED = Number(process.env.RINGI_FUZZ_SEED || Date.now() % 1e9);
const RECORDS = 24;

const row = (id) => ({ app: 1, id, v: `value ${id}`.padEnd(120 + (id % 7) * 30, '.') });

async function open(dir) {
  const messages = [];
  const s = new FileStorage(dir, { compactBytes: 1 << 30, log: (m) => messages.push(m) });
  await s.open('t');
  return Object.assign(s, { messages });
}

const files = (dir) => Object.fromEntries(readdirSync(dir).filter((f) => f !== 'LOCK').map((f) => [f, readFileSync(path.join(dir, f))]));

/** Two template folders: log only, and a snapshot (after record 10) plus a log. */
async function templates(root) {
  const out = [];
  for (const compactAfter of [0, 10]) {
    const dir = path.join(root, `template-${compactAfter}`);
    const s = await open(dir);
    for (let i = 1; i <= RECORDS; i++) {
      await s.commit({ put: { records: [row(i)] } });
      if (i === compactAfter) await s.compact();
    }
    await s.close();
    out.push(dir);
  }
  return out;
}

/** One random damage to a copy of `dir`; returns what it did, for the failure message. */
function damage(dir, rand) {
  const logFile = path.join(dir, 'changes.log');
  const snapFile = path.join(dir, 'snapshot.json');
  const log = readFileSync(logFile);
  const { offsets } = readLog(log);
  const pick = (n) => Math.floor(rand() * n);
  const kinds = ['flip', 'flips', 'truncate', 'append', 'zero', 'repeat', 'swap', 'snapshot'];
  const kind = kinds[pick(existsSync(snapFile) ? kinds.length : kinds.length - 1)];
  let b = Buffer.from(log);
  switch (kind) {
    case 'flip': { const at = pick(b.length); b[at] ^= 1 << pick(8); return write(logFile, b, `flip byte ${at}`); }
    case 'flips': { const ats = Array.from({ length: 2 + pick(6) }, () => pick(b.length)); for (const at of ats) b[at] ^= 1 + pick(255); return write(logFile, b, `flip bytes ${ats}`); }
    case 'truncate': {
      const at = pick(b.length);
      // Cut exactly between two records, a log is a shorter log: nothing in the folder can tell.
      // (Storage would have to write the last seq somewhere else on every commit.)
      const clean = at >= 16 && (offsets.includes(at) || at === 16);
      return write(logFile, b.subarray(0, at), `truncate at ${at}${clean ? ' (between records)' : ''}`);
    }
    case 'append': { const g = Buffer.from(Array.from({ length: 1 + pick(300) }, () => pick(256))); return write(logFile, Buffer.concat([b, g]), `append ${g.length} bytes`); }
    case 'zero': { const at = pick(b.length); const n = 1 + pick(600); b.fill(0, at, Math.min(b.length, at + n)); return write(logFile, b, `zero ${n} at ${at}`); }
    case 'repeat': {
      const i = 1 + pick(offsets.length - 1);
      const rec = b.subarray(offsets[i - 1], offsets[i]);
      const at = offsets[pick(offsets.length)];
      return write(logFile, Buffer.concat([b.subarray(0, at), rec, b.subarray(at)]), `repeat record ${i} at ${at}`);
    }
    case 'swap': {
      if (offsets.length < 3) return 'nothing';
      const i = 1 + pick(offsets.length - 2);
      const a = b.subarray(offsets[i - 1], offsets[i]);
      const c = b.subarray(offsets[i], offsets[i + 1] ?? b.length);
      b = Buffer.concat([b.subarray(0, offsets[i - 1]), c, a, b.subarray(offsets[i + 1] ?? b.length)]);
      return write(logFile, b, `swap records ${i} and ${i + 1}`);
    }
    default: {
      const s = readFileSync(snapFile);
      const at = pick(s.length);
      s[at] ^= 1 + pick(255);
      return write(snapFile, s, `snapshot: flip byte ${at}`);
    }
  }
}
function write(file, b, what) { writeFileSync(file, b); return what; }

test(`randomly damaged folders: refused with file and byte, or a committed prefix (seed ${SEED}, ${ITERATIONS} folders)`, async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ringi-log-fuzz-'));
  try {
    const [plain, compacted] = await templates(root);
    const rand = rng(SEED);
    const seen = { refused: 0, cut: 0, whole: 0 };
    for (let n = 0; n < ITERATIONS; n++) {
      const dir = path.join(root, `case-${n}`);
      cpSync(rand() < 0.5 ? plain : compacted, dir, { recursive: true });
      const what = damage(dir, rand);
      const before = files(dir);
      const label = `case ${n} (seed ${SEED}): ${what}`;
      let s;
      try {
        s = await open(dir);
      } catch (e) {
        assert.equal(/** @type {any} */ (e).name, 'DamagedFileError', `${label}: ${e}`);
        const err = /** @type {any} */ (e);
        assert.ok(err.file.startsWith(dir), label);
        assert.match(err.message, /(changes\.log|snapshot\.json): .+/, label);
        if (err.offset !== undefined) assert.ok(err.offset >= 0 && err.offset <= readFileSync(err.file).length, `${label}: offset ${err.offset}`);
        assert.deepEqual(files(dir), before, `${label}: a refusal changed a file`);
        seen.refused++;
        continue;
      }
      const ids = (await s.loadAll()).records.map((r) => r.id).sort((a, b) => a - b);
      await s.close();
      const k = ids.length;
      assert.deepEqual(ids, Array.from({ length: k }, (_, i) => i + 1), `${label}: not a committed prefix: ${ids}`);
      for (const r of (await (async () => { const t = await open(dir); const all = (await t.loadAll()).records; await t.close(); return all; })())) {
        assert.deepEqual(r, row(r.id), `${label}: record ${r.id} differs from what was committed`);
      }
      if (k < RECORDS) {
        if (!what.endsWith('(between records)')) assert.ok(s.messages.some((m) => /cut|dropped|torn/.test(m)), `${label}: ${RECORDS - k} records lost without a word: ${s.messages}`);
        seen.cut++;
      } else {
        // Everything is there: the damage was only past the last record (a torn tail, cut with a
        // word), or nothing at all.
        assert.ok(what === 'nothing' || s.messages.some((m) => /cut|torn/.test(m)), `${label}: damage passed unnoticed: ${s.messages}`);
        seen.whole++;
      }
    }
    assert.ok(seen.refused > 0, JSON.stringify(seen));
    console.log(`log fuzz (seed ${SEED}): ${JSON.stringify(seen)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
