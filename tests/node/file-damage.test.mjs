// Damaged data folders (web/src/engine/storage/file.js, file-repair.js): every case below ends in a
// refusal that names the file and the byte, or in an explicit cut that says what it cut; none in
// silent loss. After a refusal the files are exactly as they were; `repair` keeps a copy, cuts to
// the intact prefix, and the folder then opens with that prefix.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync, readdirSync, unlinkSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStorage, readLog } from '../../web/src/engine/storage/file.js';
import { repairDataDir } from '../../web/src/engine/storage/file-repair.js';
import { encodeSnapshot } from '../../web/src/engine/storage/file-snapshot.js';
import { logHeader, frameRecord } from '../../web/src/engine/storage/file-log.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'ringi-damage-'));
const row = (id) => ({ app: 1, id, v: `value ${id}`.padEnd(300, '.') });  // 31 rows: a 10 KB log

async function open(dir) {
  const messages = [];
  const s = new FileStorage(dir, { compactBytes: 1 << 30, log: (m) => messages.push(m) });
  await s.open('t');
  return Object.assign(s, { messages });
}
const ids = async (s) => (await s.loadAll()).records.map((r) => r.id);
const files = (dir) => Object.fromEntries(readdirSync(dir).filter((f) => f !== 'LOCK').map((f) => [f, readFileSync(path.join(dir, f))]));

/**
 * A folder with 31 committed records (ids 1..31), optionally compacted after `compactAfter`.
 * @returns {Promise<{dir: string, offsets: number[], logFile: string, snapshotFile: string}>}
 */
async function folder({ compactAfter = 0, records = 31 } = {}) {
  const dir = tmp();
  const s = await open(dir);
  for (let i = 1; i <= records; i++) {
    await s.commit({ put: { records: [row(i)] } });
    if (i === compactAfter) await s.compact();
  }
  await s.close();
  const logFile = path.join(dir, 'changes.log');
  return { dir, logFile, snapshotFile: path.join(dir, 'snapshot.json'), offsets: readLog(readFileSync(logFile)).offsets };
}

const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/**
 * Each case damages a folder of 31 records, then: `refused` (a regexp the refusal matches) or
 * `cut` (opens, with a message); `repairs` (the ids the folder holds after `repair`, or false when
 * only a backup helps).
 */
const cases = [
  {
    name: 'truncated in the middle of the last record',
    damage: ({ logFile }) => { const b = readFileSync(logFile); writeFileSync(logFile, b.subarray(0, b.length - 10)); },
    cut: /torn last record cut \(\d+ bytes at byte \d+/, opens: range(1, 30),
  },
  {
    name: 'a flipped byte in record 16 of 31',
    damage: ({ logFile, offsets }) => flip(logFile, offsets[15] + 20),
    refused: (o) => new RegExp(`changes\\.log: a record whose checksum does not match \\(record 16\\) at byte ${o[15]}; 15 intact records follow it`),
    repairs: range(1, 15),
  },
  {
    name: 'a flipped byte in the length field of record 16',
    damage: ({ logFile, offsets }) => flip(logFile, offsets[15] + 1),
    refused: (o) => new RegExp(`changes\\.log: a record .* \\(record 16\\) at byte ${o[15]}; 15 intact records follow it`),
    repairs: range(1, 15),
  },
  {
    name: 'a flipped bit in the header magic',
    damage: ({ logFile }) => flip(logFile, 3, 0x01),
    refused: () => /changes\.log: not a Ringi log header \("RINGILOG"\) at byte 0; 31 intact records follow it/,
    repairs: range(1, 31),
  },
  {
    name: 'a zeroed 4 KiB block in the middle',
    damage: ({ logFile, offsets }) => { const b = readFileSync(logFile); b.fill(0, offsets[5], offsets[5] + 4096); writeFileSync(logFile, b); },
    refused: (o) => new RegExp(`changes\\.log: .* \\(record 6\\) at byte ${o[5]}; \\d+ intact records follow it`),
    repairs: range(1, 5),
  },
  {
    name: 'garbage appended (a length past the end: an interrupted append)',
    damage: ({ logFile }) => appendFileSync(logFile, 'garbage '.repeat(64)),
    cut: /torn last record cut \(512 bytes/, opens: range(1, 31),
  },
  {
    name: '4 KiB of zeros appended (bytes past the last record)',
    damage: ({ logFile }) => appendFileSync(logFile, Buffer.alloc(4096)),
    refused: () => /changes\.log: a record whose checksum does not match \(record 32\)|changes\.log: a record .* \(record 32\)/,
    repairs: range(1, 31),
  },
  {
    name: 'an empty log',
    damage: ({ logFile }) => writeFileSync(logFile, ''),
    refused: () => /changes\.log: the file is empty .* at byte 0/,
    repairs: [],
  },
  {
    name: 'a missing log',
    damage: ({ logFile }) => unlinkSync(logFile),
    refused: () => /changes\.log: the file is missing, but ringi-data\.json shows that the folder holds data/,
    repairs: [],
  },
  {
    name: 'the log cut back to its header',
    damage: ({ logFile }) => writeFileSync(logFile, readFileSync(logFile).subarray(0, 16)),
    refused: () => /changes\.log: the log holds no record and there is no snapshot/,
    repairs: [],
  },
  {
    name: 'a record removed cleanly from the middle (a seq gap)',
    damage: ({ logFile, offsets }) => { const b = readFileSync(logFile); writeFileSync(logFile, Buffer.concat([b.subarray(0, offsets[9]), b.subarray(offsets[10])])); },
    refused: (o) => new RegExp(`changes\\.log: record 10 has seq 11 where 10 was expected at byte ${o[9]}; 20 intact records follow it`),
    repairs: range(1, 9),
  },
  {
    name: 'a changed value in the snapshot',
    compactAfter: 20,
    damage: ({ snapshotFile }) => { const t = readFileSync(snapshotFile, 'utf8'); writeFileSync(snapshotFile, t.replace('value 7', 'value 8')); },
    refused: () => /snapshot\.json: the header's seq and generation, or the state \(bytes \d+-\d+\), do not match the checksum at byte 0\. Nothing was changed\. .*backup/,
    repairs: false,
  },
  {
    // Found by tests/node/file-fuzz.test.mjs: seq 20 read as 21 dropped record 21 without a word.
    name: 'a flipped bit in the snapshot\'s seq',
    compactAfter: 20,
    damage: ({ snapshotFile }) => { const t = readFileSync(snapshotFile, 'latin1'); writeFileSync(snapshotFile, t.replace('"seq":20,', '"seq":21,'), 'latin1'); },
    refused: () => /snapshot\.json: the header's seq and generation, or the state .* do not match the checksum at byte 0/,
    repairs: false,
  },
  {
    name: 'a flipped bit in the snapshot\'s generation',
    compactAfter: 20,
    damage: ({ snapshotFile }) => { const b = readFileSync(snapshotFile); b[b.indexOf('"generation":"') + 16] ^= 1; writeFileSync(snapshotFile, b); },
    refused: () => /snapshot\.json: the header's seq and generation, or the state .* do not match the checksum/,
    repairs: false,
  },
  {
    name: 'a snapshot with a syntax error',
    compactAfter: 20,
    damage: ({ snapshotFile }) => { const b = readFileSync(snapshotFile); writeFileSync(snapshotFile, b.subarray(0, b.length - 30)); },
    refused: () => /snapshot\.json: the state is \d+ bytes long but the file ends \d+ bytes early/,
    repairs: false,
  },
  {
    name: 'a deleted snapshot',
    compactAfter: 20,
    damage: ({ snapshotFile }) => unlinkSync(snapshotFile),
    refused: () => /changes\.log: the log continues the snapshot of seq 20, but snapshot\.json is missing at byte 12/,
    repairs: false,
  },
  {
    name: 'a missing log after a compaction',
    compactAfter: 20,
    damage: ({ logFile }) => unlinkSync(logFile),
    refused: () => /changes\.log: the file is missing, but snapshot\.json shows that the folder holds data/,
    repairs: range(1, 20),
  },
];

/** @param {string} file @param {number} at @param {number} [mask] */
function flip(file, at, mask = 0x20) {
  const b = readFileSync(file);
  b[at] ^= mask;
  writeFileSync(file, b);
}

for (const c of cases) {
  test(`damaged folder: ${c.name}`, async () => {
    const f = await folder({ compactAfter: c.compactAfter });
    try {
      c.damage(f);
      if (c.cut) {
        const s = await open(f.dir);
        assert.match(s.messages.join('\n'), c.cut);
        assert.deepEqual(await ids(s), c.opens);
        assert.ok(existsSync(path.join(f.dir, 'changes.log.torn')), 'the cut bytes are kept');
        await s.close();
        return;
      }
      const before = files(f.dir);
      await assert.rejects(open(f.dir), (e) => {
        assert.equal(e.name, 'DamagedFileError');
        assert.match(e.message, c.refused(f.offsets));
        assert.ok(e.message.includes(f.dir), 'the refusal names the file by its path');
        return true;
      });
      assert.deepEqual(files(f.dir), before, 'a refusal changes no file');
      assert.ok(!existsSync(path.join(f.dir, 'LOCK')), 'and releases the LOCK');

      const report = await repairDataDir(f.dir);
      if (c.repairs === false) {
        assert.equal(report.ok, false);
        assert.match(report.lines.join('\n'), /backup/);
        assert.deepEqual(files(f.dir), before, 'repair changes nothing it cannot mend');
        await assert.rejects(open(f.dir), /DamagedFileError|snapshot/);
        return;
      }
      assert.equal(report.ok, true, report.lines.join('\n'));
      assert.equal(report.repaired, true);
      if (report.copy) assert.deepEqual(readFileSync(report.copy), before['changes.log'], 'the copy is the damaged file as it was');
      const s = await open(f.dir);
      assert.deepEqual(await ids(s), c.repairs, report.lines.join('\n'));
      await s.commit({ put: { records: [row(99)] } });  // and it takes writes again
      await s.close();
      const again = await open(f.dir);
      assert.deepEqual(await ids(again), [...c.repairs, 99]);
      await again.close();
    } finally {
      rmSync(f.dir, { recursive: true, force: true });
    }
  });
}

test('repair of a folder that does not exist says so and creates nothing', async () => {
  const dir = path.join(tmp(), 'nope');
  const r = await repairDataDir(dir);
  assert.equal(r.ok, false);
  assert.match(r.lines.join('\n'), /does not exist/);
  assert.equal(existsSync(dir), false);
});

test('repair reports exactly what it dropped', async () => {
  const f = await folder();
  try {
    flip(f.logFile, f.offsets[15] + 20);
    const size = readFileSync(f.logFile).length;
    const r = await repairDataDir(f.dir);
    const text = r.lines.join('\n');
    assert.match(text, new RegExp(`Dropped bytes ${f.offsets[15]}-${size - 1} \\(${size - f.offsets[15]} bytes\\): the bad record and the 15 intact records after it\\. Kept 15 records, up to seq 15\\.`));
    assert.match(text, /A copy of the file as it was is in .*changes\.log\.damaged-/);
    const second = await repairDataDir(f.dir);
    assert.equal(second.repaired, false);
    assert.match(second.lines.join('\n'), /15 intact records, nothing to repair/);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('a folder written by the previous format (log v1, snapshot v1, no marker) opens, and is upgraded', async () => {
  const dir = tmp();
  try {
    const v1 = Buffer.from(logHeader(0));
    v1.writeUInt32LE(1, 8);
    v1.writeUInt32LE(0, 12);
    const snapshot = { format: 'ringi-snapshot', version: 1, seq: 2, generation: 'g2', state: { records: [row(1), row(2)] } };
    writeFileSync(path.join(dir, 'snapshot.json'), JSON.stringify(snapshot));
    writeFileSync(path.join(dir, 'changes.log'), Buffer.concat([v1, frameRecord({ seq: 3, generation: 'g3', changes: { put: { records: [row(3)] } } })]));
    const s = await open(dir);
    assert.deepEqual(await ids(s), [1, 2, 3]);
    assert.equal(await s.generation(), 'g3');
    assert.ok(existsSync(path.join(dir, 'ringi-data.json')), 'the marker is added');
    await s.compact();
    await s.close();
    assert.match(readFileSync(path.join(dir, 'snapshot.json'), 'utf8'), /^\{"format":"ringi-snapshot","version":3,"seq":3,.*"crc32":\d+,"state":/);
    assert.equal(readLog(readFileSync(path.join(dir, 'changes.log'))).version, 2);
    const t = await open(dir);
    assert.deepEqual(await ids(t), [1, 2, 3]);
    await t.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a snapshot round-trips through its encoding, and a new folder writes nothing but its log', async () => {
  const dir = tmp();
  try {
    const s = await open(dir);
    assert.deepEqual(readdirSync(dir).sort(), ['LOCK', 'changes.log']);
    await s.close();
    const again = await open(dir);  // no commit yet: still a new folder, not a damaged one
    assert.equal(await again.generation(), null);
    await again.close();
    const bytes = encodeSnapshot({ seq: 7, generation: 'g', state: { users: [{ code: 'ß' }] } });
    writeFileSync(path.join(dir, 'snapshot.json'), bytes);
    writeFileSync(path.join(dir, 'changes.log'), logHeader(7));
    const t = await open(dir);
    assert.deepEqual((await t.loadAll()).users, [{ code: 'ß' }]);
    assert.equal(await t.generation(), 'g');
    await t.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a version 2 snapshot (checksum over the state alone) still opens', async () => {
  const dir = tmp();
  try {
    const state = Buffer.from(JSON.stringify({ records: [row(1), row(2)] }));
    const { crc32 } = await import('../../web/src/engine/storage/file-log.js');
    const head = `{"format":"ringi-snapshot","version":2,"seq":2,"generation":"g2","stateBytes":${state.length},"stateCrc32":${crc32(state)},"state":`;
    writeFileSync(path.join(dir, 'snapshot.json'), Buffer.concat([Buffer.from(head), state, Buffer.from('}\n')]));
    writeFileSync(path.join(dir, 'changes.log'), Buffer.concat([Buffer.from(logHeader(2)), frameRecord({ seq: 3, generation: 'g3', changes: { put: { records: [row(3)] } } })]));
    const s = await open(dir);
    assert.deepEqual(await ids(s), [1, 2, 3]);
    await s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
