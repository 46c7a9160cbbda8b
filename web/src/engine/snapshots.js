// @ts-check
/**
 * The snapshot and journal policy of a Host (host.js): what a restore starts from, and when the
 * snapshot is written. Storage back-ends with readSnapshot/writeSnapshot (IndexedDB) have one;
 * others (memory, the file store, which keeps its own snapshot.json) restore from their rows.
 *
 *  - Reading every row is the slow part of a cold start (getAll of 20,000 rows ~150 ms, plus a
 *    JSON.stringify of them), so the host also keeps one value holding every row as UTF-8 JSON,
 *    tagged with the generation it matches: a list of ~1 MB rows documents (ringiRowsPieces), so
 *    neither writing nor restoring it puts the whole state in wasm memory at once (which never
 *    shrinks). Bytes, not strings: IndexedDB reads an ArrayBuffer as one copy, and it enters wasm
 *    as one copy (ringiRestorePieces).
 *  - A restore uses the snapshot when its generation is the stored one, or when it is older and
 *    the journal names every row the commits since then wrote (storage/indexeddb.js): then those
 *    rows, read by key, overlay the snapshot's (ringiRestorePieces(pieces, overlay)), so a reload
 *    right after a commit need not read every row. Otherwise, or when the engine rejects it, it
 *    reads the rows (rowsPieces). Correctness never depends on the snapshot.
 *  - It is written when the host has been idle for `delay` ms after its own commits (and no batch
 *    is waiting), after a first restore that had to read the rows or the journal, and at close().
 *    Commits themselves never write it: a batch costs the same with or without it.
 */

const toUtf8 = new TextEncoder();

/** Rows per restore piece when the rows are read from storage (not from the snapshot). */
const ROWS_PER_PIECE = 5000;

/**
 * Stored rows (every store's rows, as storage.loadAll gives them) as rows documents of at most
 * ROWS_PER_PIECE rows each, for ringiRestorePieces: no single text of the whole state.
 * @param {Record<string, any[]>} state @returns {Uint8Array[]}
 */
export function rowsPieces(state) {
  const pieces = [];
  for (const [store, rows] of Object.entries(state)) {
    if (!Array.isArray(rows)) continue;
    for (let i = 0; i < rows.length; i += ROWS_PER_PIECE) {
      pieces.push(toUtf8.encode(JSON.stringify({ [store]: rows.slice(i, i + ROWS_PER_PIECE) })));
    }
  }
  if (!pieces.length) pieces.push(toUtf8.encode('{}'));
  return pieces;
}

export class Snapshots {
  /**
   * @param {any} storage an opened storage back-end
   * @param {{delay?: number, early?: Promise<any>|null}} [o] delay: idle ms before a snapshot is
   *   written (< 0: never, not even at close); early: storage.readSnapshot() started before the
   *   first restore (endpoint.js: while the engine compiles)
   */
  constructor(storage, { delay = 1000, early = null } = {}) {
    this.storage = storage;
    this.delay = delay;
    this.enabled = typeof storage.readSnapshot === 'function' && typeof storage.writeSnapshot === 'function';
    /** The generation the stored snapshot matches (when this host knows it). @type {string|null} */
    this.generation = null;
    /** @type {Promise<any>|null} */
    this._early = early;
    this._early?.catch(() => {});
    /** @type {any} */
    this._timer = null;
  }

  /**
   * What restores generation `g` from the snapshot: {pieces, overlay?} (overlay: the journaled
   * rows, one rows document), or null (no snapshot, unreadable, or not of g). The read started
   * early serves the first call only, whatever it answers.
   * @param {string|null} g @returns {Promise<{pieces: Uint8Array[], overlay?: Uint8Array}|null>}
   */
  async readFor(g) {
    const early = this._early;
    this._early = null;
    if (!this.enabled || g === null) return null;
    let snap = null;
    try {
      snap = await (early ?? this.storage.readSnapshot());
    } catch (e) {
      console.warn('[ringi] snapshot unreadable; restoring from the rows', e);
    }
    if (!snap || snap.generation !== g) return null;
    // An older snapshot comes with the rows changed since (storage/indexeddb.js, journal).
    return { pieces: snap.bytes, ...(snap.overlay ? { overlay: toUtf8.encode(JSON.stringify(snap.overlay)) } : {}) };
  }

  /** Is there a snapshot to write for generation `g`? @param {string|null} g */
  stale(g) {
    return this.enabled && g !== null && g !== this.generation;
  }

  /**
   * Writes `pieces` as the snapshot of generation `g`; resolves with whether it was written.
   * @param {string} g @param {Uint8Array[]} pieces
   */
  async write(g, pieces) {
    const written = await this.storage.writeSnapshot(g, pieces);
    if (written) this.generation = g;
    return written;
  }

  /** Calls `write` once the host has been idle `delay` ms (a later call starts over). @param {() => Promise<any>} write */
  schedule(write) {
    if (!this.enabled || this.delay < 0) return;
    this.cancel();
    this._timer = setTimeout(() => {
      this._timer = null;
      write().catch((e) => console.warn('[ringi] snapshot not written', e));
    }, this.delay);
    this._timer.unref?.();  // Node: a pending snapshot must not keep the process alive
  }

  cancel() {
    if (this._timer !== null) clearTimeout(this._timer);
    this._timer = null;
  }
}
