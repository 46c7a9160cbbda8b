// @ts-check
/**
 * IndexedDB storage back-end. Interface (same as memory.js):
 *   open(name)           open/create the database, upgrading the schema when needed
 *   loadAll()            -> {users: [...], organizations: [...], ..., meta: [...]} (one readonly txn)
 *   generation()         -> the token of the last commit (null for a fresh database)
 *   commit(changes)      apply a ChangeSet in ONE readwrite transaction; resolves on `complete`
 *                        with the new generation token, rejects when the transaction aborts
 *   readSnapshot()       -> {generation, bytes: Uint8Array[]} when the stored snapshot is of the
 *                        current generation; {generation, bytes, overlay: {store: rows}}
 *                        when it is older and the journal names the rows changed since (read by
 *                        key in the same readonly transaction); else null
 *   writeSnapshot(g, bytes) keep `bytes` (the engine's rows pieces, Uint8Array[]) as the snapshot
 *                        of generation g and empty the journal, unless the database has moved on
 *                        since; -> whether it was written
 *   clear()              empty every store (one transaction)
 *   close()
 *
 * Schema versions (onupgradeneeded walks them in order, so any older database is upgraded):
 *   1  one object store per entity kind (see schema.js STORES) + the `sync` store.
 *   2  + the `snapshot` store (cold-start snapshot, schema.js).
 *   3  + the `journal` store (the keys each commit wrote since the snapshot, schema.js).
 *   4  a live record's tasks in its row (schema.js). Rows of `tasks` written before stay where
 *      they are and are folded into their records' rows as they are read (loadAll, readSnapshot).
 *   5  + the `history` store: a record's final history entries, 8 to a row (schema.js). Record
 *      rows written before keep their whole history until the record next changes.
 *
 * Durability: transactions are opened with {durability: 'strict'} (Chromium's default is
 * 'relaxed'), so `complete` means the data reached the disk. Snapshot writes are 'relaxed': a lost
 * snapshot only means the next cold start reads the rows.
 */
import { STORES, STORE_NAMES, SYNC_STORE, SNAPSHOT_STORE, JOURNAL_STORE, SCHEMA_VERSION, emptyState, newGeneration, touchedStores, journalEntry, staleGeneration, foldTaskRows, keyOf } from './schema.js';

/** A stale snapshot is brought up to date from the journal only while it names at most this many
 * rows; past that, reading every row is about as quick. */
export const MAX_JOURNAL_ROWS = 5000;

/** @param {IDBRequest} r @returns {Promise<any>} */
function reqDone(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** @param {IDBTransaction} tx @returns {Promise<void>} */
function txDone(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error || new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error || new Error('IndexedDB transaction aborted'));
  });
}

/** Upgrade steps; index i upgrades version i to i+1. */
const UPGRADES = [
  /** 0 -> 1 */
  (/** @type {IDBDatabase} */ db) => {
    for (const [name, keyPath] of Object.entries(STORES)) {
      if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath });
    }
    if (!db.objectStoreNames.contains(SYNC_STORE)) db.createObjectStore(SYNC_STORE, { keyPath: 'key' });
  },
  /** 1 -> 2 */
  (/** @type {IDBDatabase} */ db) => {
    if (!db.objectStoreNames.contains(SNAPSHOT_STORE)) db.createObjectStore(SNAPSHOT_STORE, { keyPath: 'key' });
  },
  /** 2 -> 3: + the `journal` store. A snapshot from before it goes: commits since were not journaled. */
  (/** @type {IDBDatabase} */ db, /** @type {IDBTransaction} */ tx) => {
    if (!db.objectStoreNames.contains(JOURNAL_STORE)) db.createObjectStore(JOURNAL_STORE, { autoIncrement: true });
    if (db.objectStoreNames.contains(SNAPSHOT_STORE)) tx.objectStore(SNAPSHOT_STORE).clear();
  },
  /**
   * 3 -> 4: nothing to move. Rows of `tasks` written before are folded into their records' rows
   * as they are read (withTasksFolded): rewriting them here took 4.2 s per 10,000 records. The
   * version keeps older builds, which do not read tasks inside record rows, out of the database.
   */
  () => {},
  /** 4 -> 5: + the `history` store; nothing to move (the engine splits an old row when it next writes it). */
  (/** @type {IDBDatabase} */ db) => {
    if (!db.objectStoreNames.contains('history')) db.createObjectStore('history', { keyPath: STORES.history });
  },
];

/**
 * Requests, in `tx`, the current row of every key the journal entries name (each key once).
 * Returns the pending reads, or null when the journal cannot bring a snapshot up to date: a
 * reset, a delete (the overlay only adds and replaces rows), or more than MAX_JOURNAL_ROWS keys.
 * @param {IDBTransaction} tx @param {any[]} entries
 */
function readJournalRows(tx, entries) {
  /** @type {Record<string, Map<string, any>>} */
  const wanted = {};
  let count = 0;
  for (const e of entries) {
    if (!e || e.reset || e.deletes || typeof e.keys !== 'object') return null;
    for (const [store, keys] of Object.entries(e.keys)) {
      if (!STORE_NAMES.includes(store) || !Array.isArray(keys)) return null;
      const m = (wanted[store] ??= new Map());
      for (const k of keys) {
        const id = JSON.stringify(k);
        if (!m.has(id)) { m.set(id, k); count++; }
      }
    }
  }
  // No entry: nothing explains how the stored rows differ from the snapshot's.
  if (!entries.length || count > MAX_JOURNAL_ROWS) return null;
  /** @type {Record<string, IDBRequest[]>} */
  const reads = {};
  for (const [store, keys] of Object.entries(wanted)) {
    const os = tx.objectStore(store);
    reads[store] = [...keys.values()].map((k) => os.get(k));
  }
  return reads;
}

/**
 * The rows read by readJournalRows, once the transaction is done ({store: [row, ...]}), or null
 * when a named row is gone.
 * @param {Record<string, IDBRequest[]>} reads
 */
function finishJournalRows(reads) {
  /** @type {Record<string, any[]>} */
  const rows = {};
  for (const [store, requests] of Object.entries(reads)) {
    rows[store] = requests.map((r) => r.result);
    if (rows[store].some((row) => row === undefined)) return null;
  }
  return rows;
}

/**
 * `rows` ({store: [row, ...]}) with the rows of `tasks` written before schema 4 folded into their
 * records' rows (schema.js foldTaskRows), in memory; the stored rows stay as they are. The ids of
 * the rows folded are added to `folded`, by their record's key (keyOf).
 * @param {Record<string, any[]>} rows @param {Map<string, Set<string>>} folded
 */
function withTasksFolded(rows, folded) {
  if (!rows.tasks?.length || !rows.records?.length) return rows;
  const byKey = new Map(rows.records.map((row) => [keyOf('records', row), row]));
  const fold = foldTaskRows(rows.tasks, byKey);
  if (!fold.moved.length) return rows;
  for (const row of fold.records) byKey.set(keyOf('records', row), row);
  for (const task of fold.moved) {
    const key = keyOf('records', { app: task.app, id: task.record });
    folded.set(key, (folded.get(key) || new Set()).add(task.id));  // a set: a reload reads them again
  }
  const moved = new Set(fold.moved);
  return { ...rows, records: [...byKey.values()], tasks: rows.tasks.filter((t) => !moved.has(t)) };
}

export class IndexedDBStorage {
  /** @param {IDBFactory} [factory] defaults to globalThis.indexedDB */
  constructor(factory) {
    this.factory = factory || globalThis.indexedDB;
    this.kind = 'indexeddb';
    /** @type {IDBDatabase|null} */
    this.db = null;
    this.name = null;
    this._failNext = 0;
    /** Rows of `tasks` from before schema 4 that a read folded, by record: the commit that next
     * writes the record's row deletes them (they are older than the row: withTasksFolded). */
    this._foldedTasks = new Map();
  }

  /** @param {string} name */
  async open(name) {
    if (!this.factory) throw new Error('IndexedDB is not available');
    this.name = name;
    const req = this.factory.open(name, SCHEMA_VERSION);
    req.onupgradeneeded = (ev) => {
      const db = req.result;
      for (let v = ev.oldVersion; v < SCHEMA_VERSION; v++) UPGRADES[v](db, /** @type {IDBTransaction} */ (req.transaction));
    };
    req.onblocked = () => {};
    this.db = await reqDone(req);
    // Another tab upgrading the schema: let it, and fail our next call loudly.
    this.db.onversionchange = () => {
      this.db?.close();
      this.db = null;
    };
  }

  _tx(stores, mode, durability = 'strict') {
    if (!this.db) throw new Error('storage not open');
    try {
      return this.db.transaction(stores, mode, { durability: /** @type {IDBTransactionDurability} */ (durability) });
    } catch (e) {
      if (e instanceof TypeError) return this.db.transaction(stores, mode);
      throw e;
    }
  }

  async loadAll() {
    const tx = this._tx([...STORE_NAMES], 'readonly');
    const state = emptyState();
    const reads = STORE_NAMES.map(async (n) => {
      state[n] = await reqDone(tx.objectStore(n).getAll());
    });
    await Promise.all(reads);
    return withTasksFolded(state, this._foldedTasks);
  }

  async generation() {
    // Resolve on the transaction's `complete`, not on the request's `success`: the host's next step
    // is usually a readwrite transaction that includes `sync`, and Chromium starts it only once
    // this readonly one has finished; waiting here keeps that wait out of the commit. Measured
    // with `npm run bench` (bench/README.md): batch200_ratio 1.78-1.84 -> 1.62-1.64.
    const tx = this._tx([SYNC_STORE], 'readonly');
    const done = txDone(tx);
    const row = await reqDone(tx.objectStore(SYNC_STORE).get('generation'));
    await done;
    return row ? row.value : null;
  }

  async readSnapshot() {
    const tx = this._tx([SYNC_STORE, SNAPSHOT_STORE, JOURNAL_STORE, ...STORE_NAMES], 'readonly');
    const done = txDone(tx);
    const journal = tx.objectStore(JOURNAL_STORE).getAll();
    /** @type {Record<string, any[]>|null} the rows the journal names, read in this transaction */
    let overlay = null;
    // The rows are requested from the journal's own callback, so the transaction is still active.
    journal.onsuccess = () => { overlay = readJournalRows(tx, journal.result); };
    const [g, snap] = await Promise.all([
      reqDone(tx.objectStore(SYNC_STORE).get('generation')),
      reqDone(tx.objectStore(SNAPSHOT_STORE).get('rows')),
    ]);
    await done;
    if (!g || !snap) return null;
    // Snapshots written before the engine handed out pieces are one Uint8Array: one piece.
    const pieces = snap.bytes instanceof Uint8Array ? [snap.bytes] : snap.bytes;
    if (!Array.isArray(pieces) || !pieces.every((p) => p instanceof Uint8Array)) return null;
    if (snap.generation === g.value) return { generation: g.value, bytes: pieces };
    const rows = overlay && finishJournalRows(overlay);
    return rows ? { generation: g.value, bytes: pieces, overlay: withTasksFolded(rows, this._foldedTasks) } : null;
  }

  /** @param {string} generation @param {Uint8Array[]} bytes @returns {Promise<boolean>} */
  async writeSnapshot(generation, bytes) {
    const tx = this._tx([SYNC_STORE, SNAPSHOT_STORE, JOURNAL_STORE], 'readwrite', 'relaxed');
    const finished = txDone(tx);
    let written = false;
    // Check and write in the same transaction, from the request's own callback, so no commit can
    // slip in between.
    const get = tx.objectStore(SYNC_STORE).get('generation');
    get.onsuccess = () => {
      if (get.result?.value !== generation) return;
      tx.objectStore(SNAPSHOT_STORE).put({ key: 'rows', generation, bytes, at: Date.now() });
      tx.objectStore(JOURNAL_STORE).clear();  // everything it named is in the snapshot now
      written = true;
    };
    await finished;
    return written;
  }

  failNextCommit(n = 1) {
    this._failNext = n;
  }

  /**
   * @param {any} changes
   * @param {string|null} [expected] commit only if the database is still at this generation: read
   *   first in the same transaction, which aborts (nothing written) when another tab moved it on
   * @returns {Promise<string>}
   */
  async commit(changes, expected) {
    const touched = touchedStores(changes);
    const generation = newGeneration();
    // Old task rows of the records this commit writes: deleted with it, before its own puts (a
    // deleted record's tasks come back as rows of `tasks` under the same ids).
    const rewritten = changes.reset || !this._foldedTasks.size ? [] : (changes.put?.records || []).map((row) => keyOf('records', row)).filter((k) => this._foldedTasks.has(k));
    if (rewritten.length && !touched.includes('tasks')) touched.push('tasks');
    const tx = this._tx([...touched, SYNC_STORE, JOURNAL_STORE], 'readwrite');
    const finished = txDone(tx);
    /** @type {Error|null} */
    let staleError = null;
    try {
      if (expected !== undefined) {
        const check = tx.objectStore(SYNC_STORE).get('generation');
        check.onsuccess = () => {
          const found = check.result ? check.result.value : null;
          if (found === expected) return;
          staleError = staleGeneration(found);
          try { tx.abort(); } catch { /* already finishing */ }
        };
      }
      if (changes.reset) for (const n of STORE_NAMES) tx.objectStore(n).clear();
      for (const key of rewritten) for (const id of this._foldedTasks.get(key) || []) tx.objectStore('tasks').delete(id);
      for (const [s, rows] of Object.entries(changes.put || {})) {
        if (!rows || !rows.length) continue;
        const os = tx.objectStore(s);
        for (const row of rows) os.put(row);
      }
      for (const [s, keys] of Object.entries(changes.delete || {})) {
        if (!keys || !keys.length) continue;
        const os = tx.objectStore(s);
        for (const k of keys) os.delete(k);
      }
      tx.objectStore(SYNC_STORE).put({ key: 'generation', value: generation });
      tx.objectStore(JOURNAL_STORE).add(journalEntry(changes));
      if (this._failNext > 0) {
        this._failNext--;
        throw new Error('simulated storage failure');
      }
    } catch (e) {
      try { tx.abort(); } catch { /* already finished */ }
      await finished.catch(() => {});
      throw e;
    }
    try {
      await finished;
    } catch (e) {
      throw staleError || e;
    }
    if (changes.reset) this._foldedTasks.clear();
    for (const key of rewritten) this._foldedTasks.delete(key);
    return generation;
  }

  async clear() {
    this._foldedTasks.clear();
    const generation = newGeneration();
    const tx = this._tx([...STORE_NAMES, SYNC_STORE, SNAPSHOT_STORE, JOURNAL_STORE], 'readwrite');
    for (const n of [...STORE_NAMES, SNAPSHOT_STORE, JOURNAL_STORE]) tx.objectStore(n).clear();
    tx.objectStore(SYNC_STORE).put({ key: 'generation', value: generation });
    await txDone(tx);
    return generation;
  }

  async close() {
    this.db?.close();
    this.db = null;
  }
}

export function createIndexedDBStorage(factory) {
  return new IndexedDBStorage(factory);
}
