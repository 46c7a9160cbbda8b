// @ts-check
/**
 * The storage schema shared by every storage back-end: one object store per entity kind, values
 * are the engine's JSON rows, keys are taken from the rows (IndexedDB keyPath).
 *
 * Besides the entity stores there is one housekeeping store, `sync`, holding the row
 * {key: 'generation', value: <token>}: every commit writes a fresh token in the same transaction,
 * so a host that finds a token it did not write knows another tab changed the database and
 * reloads (see engine/host.js, "Two tabs").
 *
 * Back-ends may also keep a cold-start snapshot (IndexedDB: store `snapshot`, one row
 * {key: 'rows', generation, bytes, at}): every row of every store as ONE UTF-8 JSON document
 * (a Uint8Array), in the shape the engine's restore takes, tagged with the generation it was taken at. It is only a cache: it is
 * used when its generation is the current one, so any later commit makes it stale without
 * touching it (see engine/snapshots.js).
 *
 * With the snapshot goes a `journal` (IndexedDB: auto-numbered rows {keys: {store: [key, ...]},
 * deletes, reset}): every commit adds the keys of the rows it wrote, and writing the snapshot
 * empties it, in the same transactions. So a stale snapshot plus the rows the journal names (read
 * back by key) is the current state, and a reload right after a commit need not read every row.
 *
 * Since schema 4 a live record's tasks are in its row (`tasks`: the task rows without `app` and
 * `record`), so a status change writes one row per record instead of two; a row of `tasks` holds a
 * task whose record was deleted (src/api/storage_format.h). Rows written before are folded into
 * their records' rows when a back-end reads them (foldTaskRows).
 *
 * Since schema 5 a record's final history entries, 8 at a time with their tasks, are rows of
 * `history` (key [app, record, from]) and its row keeps only the rest (`historyFrom`): a status
 * change no longer writes the whole history again. A record row written before holds its whole
 * history; the engine splits it the first time the record changes (src/api/storage_format.h).
 */

/** @type {Readonly<Record<string, string|string[]>>} */
export const STORES = Object.freeze({
  users: 'code',
  organizations: 'code',
  groups: 'code',
  apps: 'app',
  records: ['app', 'id'],
  history: ['app', 'record', 'from'],
  tasks: 'id',
  batches: 'batch_number',
  meta: 'key',
});

export const STORE_NAMES = Object.freeze(Object.keys(STORES));
export const SYNC_STORE = 'sync';
export const SNAPSHOT_STORE = 'snapshot';
export const JOURNAL_STORE = 'journal';
export const SCHEMA_VERSION = 5;

/** @returns {Record<string, any[]>} an empty state object */
export function emptyState() {
  /** @type {Record<string, any[]>} */
  const s = {};
  for (const n of STORE_NAMES) s[n] = [];
  return s;
}

/** A fresh generation token. */
export function newGeneration() {
  const b = new Uint8Array(8);
  globalThis.crypto.getRandomValues(b);
  return Date.now().toString(36) + '-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** The key of a row in a store, as IndexedDB takes it from the keyPath. @param {string} store @param {any} row */
export function keyValue(store, row) {
  const kp = STORES[store];
  return Array.isArray(kp) ? kp.map((k) => row[k]) : row[kp];
}

/** The key of a row as text (for the memory and file back-ends' maps). @param {string} store @param {any} row */
export function keyOf(store, row) {
  return JSON.stringify(keyValue(store, row));
}

/** The journal row of a commit: the keys of the rows it put, by store. @param {any} changes */
export function journalEntry(changes) {
  if (changes.reset) return { reset: true };
  /** @type {Record<string, any[]>} */
  const keys = {};
  for (const [store, rows] of Object.entries(changes.put || {})) {
    if (Array.isArray(rows) && rows.length) keys[store] = rows.map((row) => keyValue(store, row));
  }
  const deletes = Object.values(changes.delete || {}).some((k) => Array.isArray(k) && k.length > 0);
  return { keys, deletes };
}

/** Stores a ChangeSet touches. @param {any} changes */
export function touchedStores(changes) {
  if (changes.reset) return [...STORE_NAMES];
  const set = new Set();
  for (const [k, v] of Object.entries(changes.put || {})) if (Array.isArray(v) && v.length) set.add(k);
  for (const [k, v] of Object.entries(changes.delete || {})) if (Array.isArray(v) && v.length) set.add(k);
  for (const s of set) if (!STORE_NAMES.includes(s)) throw new Error(`unknown store ${s}`);
  return [...set];
}

/**
 * What commit(changes, expected) rejects with when the database is no longer at `expected`
 * (another tab committed first): nothing was written. @param {string|null} found
 */
export function staleGeneration(found) {
  return Object.assign(new Error(`the database moved on to generation ${found}`), { stale: true });
}

/**
 * Moves rows of `tasks` written before schema 4 into their records' rows: each task whose record
 * row exists and has no `tasks` yet goes into it (without `app` and `record`, by entry); a task
 * whose record row has `tasks` already is older than that row (every later change of the task
 * rewrote it) and goes. A task whose record is gone keeps its row.
 * @param {any[]} tasks rows of the `tasks` store
 * @param {Map<string, any>} records the stored record rows, by keyOf('records', row)
 * @returns {{records: any[], moved: any[]}} the record rows to put, the task rows to delete
 */
export function foldTaskRows(tasks, records) {
  /** @type {Map<string, any>} */
  const folded = new Map();
  const moved = [];
  for (const task of tasks) {
    const key = keyOf('records', { app: task.app, id: task.record });
    let row = folded.get(key);
    if (!row) {
      const stored = records.get(key);
      if (!stored) continue;
      if (Array.isArray(stored.tasks)) {
        moved.push(task);
        continue;
      }
      row = { ...stored, tasks: [] };
      folded.set(key, row);
    }
    const { app, record, ...inRow } = task;
    row.tasks.push(inRow);
    moved.push(task);
  }
  for (const row of folded.values()) row.tasks.sort((/** @type {any} */ a, /** @type {any} */ b) => (a.entry ?? 0) - (b.entry ?? 0));
  return { records: [...folded.values()], moved };
}
