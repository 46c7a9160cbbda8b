// @ts-check
/**
 * Durable file storage back-end for Node (`ringi serve --data DIR`). Same interface as memory.js
 * and indexeddb.js: open(name), loadAll(), generation(), commit(changes) -> token, clear(), close().
 * Node only (node:fs); browsers never import it.
 *
 * Files in DIR:
 *   LOCK            pid of the process that has the directory open (one writer per directory;
 *                   a LOCK left by a dead process, e.g. after kill -9, is taken over)
 *   snapshot.json   {"format": "ringi-snapshot", "version": 1, "seq": N, "generation": "...",
 *                    "state": {"users": [...], "apps": [...], "records": [...], ...}}
 *                   the whole state after log record N. Written as snapshot.json.tmp, fsync'd,
 *                   renamed over snapshot.json, then the directory fsync'd: it is either the old
 *                   or the new snapshot, never a mix.
 *   changes.log     append-only log of ChangeSets committed after the snapshot:
 *                     file header: 8 bytes "RINGILOG", u32 LE format version (1), u32 LE 0
 *                     record:      u32 LE payload length, u32 LE CRC-32 (IEEE) of the payload,
 *                                  payload = UTF-8 JSON {"seq": N, "generation": "...",
 *                                                        "changes": <ChangeSet>}
 *
 * Commit = append one record + fdatasync, then resolve: the host answers the HTTP request only
 * after that, so every answered change is on disk (and survives kill -9 / power loss, as far as
 * the file system honours fsync). A failed append is truncated away before the error is reported.
 *
 * Open = read the snapshot (if any), replay the log records whose seq is greater than the
 * snapshot's, in order. The first record that is incomplete (short header or payload), has a
 * wrong checksum or unreadable JSON ends the log: that is a torn last write (the process died
 * while appending, so the request was never answered); it and anything after it are discarded
 * and the file is truncated to the last good record. `lastOpen` reports what was found.
 *
 * Compaction: when the log grows past `compactBytes` (default 32 MiB) a new snapshot is written
 * (as above) and the log is replaced by an empty one (written as changes.log.tmp + rename). A
 * crash in between leaves a snapshot whose seq covers the old log's records; they are skipped.
 */
import { open as fsOpen, readFile, rename, mkdir, unlink, stat } from 'node:fs/promises';
import { openSync, closeSync, fsyncSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { STORE_NAMES, emptyState, keyOf, newGeneration, touchedStores, staleGeneration, foldTaskRows } from './schema.js';

const MAGIC = Buffer.from('RINGILOG', 'latin1');
const HEADER_BYTES = 16;
const FORMAT_VERSION = 1;

/** CRC-32 (IEEE 802.3), table-driven. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
/** @param {Uint8Array} buf */
export function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function logHeader() {
  const b = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(b, 0);
  b.writeUInt32LE(FORMAT_VERSION, 8);
  return b;
}

/** One framed log record. @param {any} obj */
export function frameRecord(obj) {
  const payload = Buffer.from(JSON.stringify(obj), 'utf8');
  const head = Buffer.alloc(8);
  head.writeUInt32LE(payload.length, 0);
  head.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([head, payload]);
}

/**
 * Parse a log file's bytes: the good records and where the good part ends.
 * @param {Buffer} buf
 */
export function parseLog(buf) {
  if (buf.length < HEADER_BYTES || !buf.subarray(0, 8).equals(MAGIC)) {
    return { records: [], goodBytes: 0, badHeader: buf.length > 0 };
  }
  if (buf.readUInt32LE(8) !== FORMAT_VERSION) throw new Error(`changes.log: unknown format version ${buf.readUInt32LE(8)}`);
  const records = [];
  let off = HEADER_BYTES;
  while (off < buf.length) {
    if (buf.length - off < 8) break;
    const len = buf.readUInt32LE(off);
    const sum = buf.readUInt32LE(off + 4);
    if (len > buf.length - off - 8) break;
    const payload = buf.subarray(off + 8, off + 8 + len);
    if (crc32(payload) !== sum) break;
    let rec;
    try { rec = JSON.parse(payload.toString('utf8')); } catch { break; }
    if (!rec || typeof rec.seq !== 'number' || !rec.changes) break;
    records.push(rec);
    off += 8 + len;
  }
  return { records, goodBytes: off, badHeader: false };
}

/** fsync a directory (so a rename/creation in it is durable). @param {string} dir */
function fsyncDir(dir) {
  let fd;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch { /* not supported on every platform */ } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Is process `pid` alive? @param {number} pid */
function alive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return /** @type {any} */ (e).code === 'EPERM'; }
}

export class FileStorage {
  /**
   * @param {string} dir
   * @param {{compactBytes?: number, log?: (msg: string) => void}} [opts]
   */
  constructor(dir, opts = {}) {
    this.dir = path.resolve(dir);
    this.kind = 'file';
    this.compactBytes = opts.compactBytes ?? 32 * 1024 * 1024;
    this.log = opts.log || (() => {});
    /** @type {Record<string, Map<string, any>>} */
    this.stores = {};
    /** @type {string|null} */
    this.gen = null;
    this.seq = 0;
    /** @type {import('node:fs/promises').FileHandle|null} */
    this.fh = null;
    this.size = 0;
    this.broken = false;
    this._failNext = 0;
    this.lastOpen = { snapshotSeq: 0, replayed: 0, skipped: 0, discardedBytes: 0 };
    this.name = null;
  }

  get snapshotFile() { return path.join(this.dir, 'snapshot.json'); }
  get logFile() { return path.join(this.dir, 'changes.log'); }
  get lockFile() { return path.join(this.dir, 'LOCK'); }

  /** @param {string} [name] */
  async open(name) {
    this.name = name || 'ringi';
    await mkdir(this.dir, { recursive: true });
    this._lock();
    for (const n of STORE_NAMES) this.stores[n] = new Map();
    let snapshotSeq = 0;
    try {
      const snap = JSON.parse(await readFile(this.snapshotFile, 'utf8'));
      if (!snap || snap.format !== 'ringi-snapshot' || snap.version !== 1) throw new Error('snapshot.json: unknown format');
      for (const n of STORE_NAMES) for (const row of snap.state?.[n] || []) this.stores[n].set(keyOf(n, row), row);
      snapshotSeq = snap.seq;
      this.seq = snap.seq;
      this.gen = snap.generation ?? null;
    } catch (e) {
      if (/** @type {any} */ (e).code !== 'ENOENT') { this._unlock(); throw e; }
    }
    await unlink(path.join(this.dir, 'snapshot.json.tmp')).catch(() => {});
    let buf = Buffer.alloc(0);
    try { buf = await readFile(this.logFile); } catch (e) { if (/** @type {any} */ (e).code !== 'ENOENT') { this._unlock(); throw e; } }
    const parsed = parseLog(buf);
    let replayed = 0;
    let skipped = 0;
    for (const rec of parsed.records) {
      if (rec.seq <= snapshotSeq) { skipped++; continue; }
      this._apply(rec.changes);
      this.seq = rec.seq;
      this.gen = rec.generation;
      replayed++;
    }
    // Rows of `tasks` from before schema 4 (schema.js): into their records' rows, in memory; the
    // next snapshot keeps them there.
    const fold = foldTaskRows([...this.stores.tasks.values()], this.stores.records);
    for (const row of fold.records) this.stores.records.set(keyOf('records', row), row);
    for (const task of fold.moved) this.stores.tasks.delete(keyOf('tasks', task));
    const discardedBytes = buf.length - parsed.goodBytes;
    if (parsed.goodBytes === 0) {
      // No log (or an unreadable header, i.e. a torn creation): start a fresh one atomically.
      if (buf.length) this.log(`changes.log: unreadable header, ${buf.length} bytes discarded`);
      await this._replaceLog();
    } else {
      this.fh = await fsOpen(this.logFile, 'r+');
      if (discardedBytes > 0) {
        this.log(`changes.log: torn or corrupt tail of ${discardedBytes} bytes discarded (after record seq ${this.seq})`);
        await this.fh.truncate(parsed.goodBytes);
        await this.fh.sync();
      }
      this.size = parsed.goodBytes;
    }
    this.lastOpen = { snapshotSeq, replayed, skipped, discardedBytes };
  }

  _lock() {
    const me = String(process.pid);
    try {
      writeFileSync(this.lockFile, me, { flag: 'wx' });
      return;
    } catch (e) {
      if (/** @type {any} */ (e).code !== 'EEXIST') throw e;
    }
    const other = Number(readFileSync(this.lockFile, 'utf8').trim());
    if (other !== process.pid && alive(other)) {
      throw new Error(`${this.dir} is in use by process ${other} (remove ${this.lockFile} if that is wrong)`);
    }
    writeFileSync(this.lockFile, me);
  }

  _unlock() {
    try {
      if (readFileSync(this.lockFile, 'utf8').trim() === String(process.pid)) unlinkSync(this.lockFile);
    } catch { /* gone already */ }
  }

  /** Replace changes.log with an empty one (tmp + fsync + rename + fsync dir). */
  async _replaceLog() {
    const tmp = this.logFile + '.tmp';
    const fh = await fsOpen(tmp, 'w');
    try {
      await fh.write(logHeader(), 0, HEADER_BYTES, 0);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await this.fh?.close().catch(() => {});
    this.fh = null;
    await rename(tmp, this.logFile);
    fsyncDir(this.dir);
    this.fh = await fsOpen(this.logFile, 'r+');
    this.size = HEADER_BYTES;
  }

  /** @param {any} changes */
  _apply(changes) {
    const touched = touchedStores(changes);
    if (changes.reset) for (const s of touched) this.stores[s] = new Map();
    for (const [s, rows] of Object.entries(changes.put || {})) {
      for (const row of rows || []) this.stores[s].set(keyOf(s, row), row);
    }
    for (const [s, keys] of Object.entries(changes.delete || {})) {
      for (const k of keys || []) this.stores[s].delete(JSON.stringify(k));
    }
  }

  _state() {
    const state = emptyState();
    for (const n of STORE_NAMES) state[n] = [...this.stores[n].values()];
    return state;
  }

  async loadAll() {
    return JSON.parse(JSON.stringify(this._state()));
  }

  async generation() {
    return this.gen;
  }

  /** Make the next `n` commits fail before anything is written (tests). */
  failNextCommit(n = 1) {
    this._failNext = n;
  }

  /**
   * @param {any} changes ChangeSet
   * @param {string|null} [expected] commit only if the log is still at this generation
   * @returns {Promise<string>}
   */
  async commit(changes, expected) {
    if (!this.fh) throw new Error('storage not open');
    if (expected !== undefined && this.gen !== expected) throw staleGeneration(this.gen);
    if (this.broken) throw new Error('storage is broken (a failed write could not be undone); restart');
    touchedStores(changes); // validates store names
    if (this._failNext > 0) { this._failNext--; throw new Error('simulated storage failure'); }
    const generation = newGeneration();
    const seq = this.seq + 1;
    const rec = frameRecord({ seq, generation, changes });
    try {
      await this.fh.write(rec, 0, rec.length, this.size);
      await this.fh.datasync();
    } catch (e) {
      try { await this.fh.truncate(this.size); await this.fh.sync(); } catch { this.broken = true; }
      throw e;
    }
    this.size += rec.length;
    this.seq = seq;
    this.gen = generation;
    this._apply(JSON.parse(JSON.stringify(changes)));
    if (this.size > this.compactBytes) {
      try { await this.compact(); } catch (e) { this.log(`compaction failed (the log is kept): ${e}`); }
    }
    return generation;
  }

  /** Write a snapshot of the current state and start an empty log. */
  async compact() {
    const tmp = this.snapshotFile + '.tmp';
    const doc = { format: 'ringi-snapshot', version: 1, seq: this.seq, generation: this.gen, state: this._state() };
    const fh = await fsOpen(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify(doc));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.snapshotFile);
    fsyncDir(this.dir);
    await this._replaceLog();
  }

  async clear() {
    return this.commit({ reset: true, put: {}, delete: {} });
  }

  async close() {
    await this.fh?.close().catch(() => {});
    this.fh = null;
    this._unlock();
  }

  /** Sizes of the files (diagnostics, tests). */
  async files() {
    const s = async (f) => (await stat(f).catch(() => null))?.size ?? null;
    return { snapshot: await s(this.snapshotFile), log: await s(this.logFile) };
  }
}
