// @ts-check
/**
 * In-memory storage back-end (Node default, tests). Same interface as indexeddb.js:
 *   open(name), loadAll() -> state, generation() -> token|null, commit(changes, expected?) -> token,
 *   clear(), close().
 * Databases with the same name share their data within one JS realm (like IndexedDB within one
 * origin), so two hosts on one name behave like two tabs. Commits are atomic: the ChangeSet is
 * validated and applied to a copy, then swapped in. `failNextCommit()` lets tests simulate a
 * failing transaction.
 */
import { STORE_NAMES, emptyState, keyOf, newGeneration, staleGeneration, touchedStores } from './schema.js';

/** @type {Map<string, {stores: Record<string, Map<string, any>>, generation: string|null}>} */
const databases = new Map();

const clone = (v) => JSON.parse(JSON.stringify(v));

export class MemoryStorage {
  constructor() {
    /** @type {string|null} */
    this.name = null;
    this.kind = 'memory';
    this._failNext = 0;
  }

  /** @param {string} name */
  async open(name) {
    this.name = name;
    if (!databases.has(name)) {
      /** @type {Record<string, Map<string, any>>} */
      const stores = {};
      for (const n of STORE_NAMES) stores[n] = new Map();
      databases.set(name, { stores, generation: null });
    }
  }

  get _db() {
    if (!this.name) throw new Error('storage not open');
    const db = databases.get(this.name);
    if (!db) throw new Error('database deleted');
    return db;
  }

  async loadAll() {
    const state = emptyState();
    for (const n of STORE_NAMES) state[n] = [...this._db.stores[n].values()].map(clone);
    return state;
  }

  async generation() {
    return this._db.generation;
  }

  /** Make the next `n` commits fail (tests). */
  failNextCommit(n = 1) {
    this._failNext = n;
  }

  /**
   * @param {any} changes ChangeSet
   * @param {string|null} [expected] commit only if the database is still at this generation
   * @returns {Promise<string>} the new generation
   */
  async commit(changes, expected) {
    const db = this._db;
    const touched = touchedStores(changes);
    if (expected !== undefined && db.generation !== expected) throw staleGeneration(db.generation);
    if (this._failNext > 0) {
      this._failNext--;
      throw new Error('simulated storage failure');
    }
    /** @type {Record<string, Map<string, any>>} */
    const next = { ...db.stores };
    for (const s of touched) next[s] = changes.reset ? new Map() : new Map(db.stores[s]);
    for (const [s, rows] of Object.entries(changes.put || {})) {
      for (const row of rows || []) next[s].set(keyOf(s, row), clone(row));
    }
    for (const [s, keys] of Object.entries(changes.delete || {})) {
      for (const k of keys || []) next[s].delete(JSON.stringify(k));
    }
    db.stores = next;
    db.generation = newGeneration();
    return db.generation;
  }

  async clear() {
    const db = this._db;
    for (const n of STORE_NAMES) db.stores[n] = new Map();
    db.generation = newGeneration();
    return db.generation;
  }

  async close() {
    this.name = null;
  }

  /** Forget a database entirely (tests). @param {string} name */
  static deleteDatabase(name) {
    databases.delete(name);
  }
}
