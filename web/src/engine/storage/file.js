// @ts-check
/**
 * Durable file storage back-end for Node (`ringi serve --data DIR`). Same interface as memory.js
 * and indexeddb.js: open(name), loadAll(), generation(), commit(changes) -> token, clear(), close().
 * Node only (node:fs); browsers never import it.
 *
 * Files in DIR (created 0600 in a 0700 folder, never through a symbolic link: every file is
 * opened with O_NOFOLLOW, and new ones with O_EXCL after any old one is unlinked):
 *   ringi-data.json  {"format": "ringi-data", "version": 1, "createdAt": "..."}: written after
 *                    the folder's first commit, so a folder whose records are gone (log and
 *                    snapshot deleted, or the log emptied) is refused, not taken for a new one
 *   LOCK             the process that has the folder open (file-lock.js)
 *   snapshot.json    the whole state after log record N, with a checksum (file-snapshot.js).
 *                    Written as snapshot.json.tmp, fsync'd, renamed over snapshot.json, then the
 *                    folder fsync'd: it is either the old or the new snapshot, never a mix.
 *   changes.log      the ChangeSets committed after the snapshot, framed and checksummed
 *                    (file-log.js); its header names the snapshot seq it continues
 *
 * Commit = append one record + fdatasync, then resolve: the host answers the HTTP request only
 * after that, so every answered change is on disk (and survives kill -9 / power loss, as far as
 * the file system honours fsync). A failed append is truncated away before the error is reported.
 *
 * Open = read the snapshot (if any), replay the log records whose seq is greater than the
 * snapshot's, in order. Damage is refused, never cut silently (DamagedFileError names the file,
 * the byte offset and how many intact records follow): a bad header, an empty log, a log missing
 * where the folder holds data, a bad record with intact ones after it, a seq gap, a snapshot that
 * fails its checksum or is missing while the log continues it. The one exception is a torn tail,
 * the last record cut short by a crash while it was appended (never acknowledged): it is copied
 * to changes.log.torn, cut, and reported. `ringi repair` (file-repair.js) handles the rest.
 * `lastOpen` reports what was found.
 *
 * Compaction: when the log grows past `compactBytes` (default 32 MiB) a new snapshot is written
 * (as above) and the log is replaced by an empty one that continues it (changes.log.tmp +
 * rename). A crash in between leaves a snapshot whose seq covers the old log's records; they are
 * skipped.
 */
import { open as fsOpen, rename, mkdir, unlink, stat } from 'node:fs/promises';
import { openSync, closeSync, fsyncSync, constants as C } from 'node:fs';
import path from 'node:path';
import { STORE_NAMES, emptyState, keyOf, newGeneration, touchedStores, staleGeneration, foldTaskRows } from './schema.js';
import { HEADER_BYTES, logHeader, frameRecord, readLog } from './file-log.js';
import { encodeSnapshot, decodeSnapshot } from './file-snapshot.js';
import { acquireLock, releaseLock } from './file-lock.js';
import { DamagedFileError } from './damaged.js';

export { crc32, frameRecord, readLog } from './file-log.js';

const NOFOLLOW = C.O_NOFOLLOW ?? 0;
export const MARKER_FILE = 'ringi-data.json';

/** A file's bytes, or null when it does not exist (a symbolic link is an error). @param {string} file */
export async function readIfExists(file) {
  let fh;
  try {
    fh = await fsOpen(file, C.O_RDONLY | NOFOLLOW);
  } catch (e) {
    if (/** @type {any} */ (e).code === 'ENOENT') return null;
    if (/** @type {any} */ (e).code === 'ELOOP') throw new Error(`${file} is a symbolic link, which Ringi never follows: remove it`);
    throw e;
  }
  try { return await fh.readFile(); } finally { await fh.close(); }
}

/** Write `bytes` as a new file (an old one, or a link, is unlinked first) and fsync it. */
export async function writeNewFile(/** @type {string} */ file, /** @type {Uint8Array} */ bytes) {
  await unlink(file).catch((e) => { if (e.code !== 'ENOENT') throw e; });
  const fh = await fsOpen(file, C.O_WRONLY | C.O_CREAT | C.O_EXCL | NOFOLLOW, 0o600);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync a directory (so a rename/creation in it is durable). @param {string} dir */
export function fsyncDir(dir) {
  let fd;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch { /* not supported on every platform */ } finally {
    if (fd !== undefined) closeSync(fd);
  }
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
    this.marked = false;  // ringi-data.json exists
    this._failNext = 0;
    this.lastOpen = { snapshotSeq: 0, replayed: 0, skipped: 0, discardedBytes: 0 };
    this.name = null;
  }

  get snapshotFile() { return path.join(this.dir, 'snapshot.json'); }
  get logFile() { return path.join(this.dir, 'changes.log'); }
  get lockFile() { return path.join(this.dir, 'LOCK'); }
  get markerFile() { return path.join(this.dir, MARKER_FILE); }

  /** @param {string} [name] */
  async open(name) {
    this.name = name || 'ringi';
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    acquireLock(this.lockFile, this.dir);
    try {
      await this._load();
    } catch (e) {
      await this.fh?.close().catch(() => {});
      this.fh = null;
      releaseLock(this.lockFile);
      throw e;
    }
  }

  /** Read the folder's state; refuse damage (DamagedFileError). */
  async _load() {
    for (const n of STORE_NAMES) this.stores[n] = new Map();
    const marker = await readIfExists(this.markerFile);
    this.marked = !!marker;
    const snapBytes = await readIfExists(this.snapshotFile);
    const snap = snapBytes ? decodeSnapshot(snapBytes, this.snapshotFile) : null;
    for (const tmp of ['snapshot.json.tmp', 'changes.log.tmp']) await unlink(path.join(this.dir, tmp)).catch(() => {});
    const buf = await readIfExists(this.logFile);
    const snapshotSeq = snap?.seq ?? 0;
    if (!buf) {
      if (snap || marker) {
        throw new DamagedFileError(this.logFile, `the file is missing, but ${snap ? 'snapshot.json' : MARKER_FILE} shows that the folder holds data`, { offset: 0 });
      }
      await this._replaceLog(0);
      this.lastOpen = { snapshotSeq: 0, replayed: 0, skipped: 0, discardedBytes: 0 };
      return;
    }
    const log = readLog(buf);
    if (log.damage && !log.damage.torn) {
      throw new DamagedFileError(this.logFile, log.damage.what, { offset: log.damage.offset, following: log.damage.following });
    }
    if (log.baseSeq > snapshotSeq) {
      throw new DamagedFileError(this.logFile, `the log continues the snapshot of seq ${log.baseSeq}, but ${snap ? `snapshot.json is of seq ${snapshotSeq}` : 'snapshot.json is missing'}`, {
        offset: 12, hint: 'Nothing was changed. Restore snapshot.json from a backup.',
      });
    }
    const first = log.records.findIndex((r) => r.seq > snapshotSeq);
    if (first >= 0 && log.records[first].seq !== snapshotSeq + 1) {
      throw new DamagedFileError(this.logFile, `the first record after the snapshot (seq ${snapshotSeq}) has seq ${log.records[first].seq}: records ${snapshotSeq + 1} to ${log.records[first].seq - 1} are missing`, {
        offset: log.offsets[first], hint: 'Nothing was changed. Restore the missing records (changes.log or snapshot.json) from a backup.',
      });
    }
    if (marker && !snap && !log.records.length) {
      throw new DamagedFileError(this.logFile, `the log holds no record and there is no snapshot, but ${MARKER_FILE} shows that the folder held data`, { offset: HEADER_BYTES });
    }
    if (snap) {
      for (const n of STORE_NAMES) for (const row of snap.state[n] || []) this.stores[n].set(keyOf(n, row), row);
      this.seq = snap.seq;
      this.gen = snap.generation;
    }
    let replayed = 0, skipped = 0;
    for (const rec of log.records) {
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
    this.fh = await fsOpen(this.logFile, C.O_RDWR | NOFOLLOW);
    const discardedBytes = buf.length - log.end;
    if (log.damage) {
      // A torn tail: kept aside (the latest one only), then cut.
      await writeNewFile(path.join(this.dir, 'changes.log.torn'), buf.subarray(log.end));
      await this.fh.truncate(log.end);
      await this.fh.sync();
      this.log(`changes.log: torn last record cut (${discardedBytes} bytes at byte ${log.end}: ${log.damage.what}); it was being written when the server stopped, and was never acknowledged. The bytes are kept in changes.log.torn.`);
    }
    this.size = log.end;
    if (this.gen !== null && !marker) await this._writeMarker();  // a folder from before the marker
    this.lastOpen = { snapshotSeq, replayed, skipped, discardedBytes };
  }

  async _writeMarker() {
    this.marked = true;
    const doc = { format: 'ringi-data', version: 1, createdAt: new Date().toISOString() };
    await writeNewFile(this.markerFile, Buffer.from(JSON.stringify(doc) + '\n'));
    fsyncDir(this.dir);
  }

  /** Replace changes.log with an empty one continuing the snapshot of `baseSeq` (tmp + fsync + rename + fsync dir). */
  async _replaceLog(/** @type {number} */ baseSeq) {
    const tmp = this.logFile + '.tmp';
    await writeNewFile(tmp, logHeader(baseSeq));
    await this.fh?.close().catch(() => {});
    this.fh = null;
    await rename(tmp, this.logFile);
    fsyncDir(this.dir);
    this.fh = await fsOpen(this.logFile, C.O_RDWR | NOFOLLOW);
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
    if (!this.marked) await this._writeMarker();
    this._apply(JSON.parse(JSON.stringify(changes)));
    if (this.size > this.compactBytes) {
      try { await this.compact(); } catch (e) { this.log(`compaction failed (the log is kept): ${e}`); }
    }
    return generation;
  }

  /** Write a snapshot of the current state and start an empty log that continues it. */
  async compact() {
    const tmp = this.snapshotFile + '.tmp';
    await writeNewFile(tmp, encodeSnapshot({ seq: this.seq, generation: this.gen, state: this._state() }));
    await rename(tmp, this.snapshotFile);
    fsyncDir(this.dir);
    await this._replaceLog(this.seq);
  }

  async clear() {
    return this.commit({ reset: true, put: {}, delete: {} });
  }

  async close() {
    await this.fh?.close().catch(() => {});
    this.fh = null;
    releaseLock(this.lockFile);
  }

  /** Sizes of the files (diagnostics, tests). */
  async files() {
    const s = async (f) => (await stat(f).catch(() => null))?.size ?? null;
    return { snapshot: await s(this.snapshotFile), log: await s(this.logFile) };
  }
}
