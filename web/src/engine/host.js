// @ts-check
/**
 * The engine host: owns one engine instance and one storage back-end and serves the protocol's
 * requests (protocol.js). Runs inside the Web Worker (worker.js) or on the caller's thread
 * (inprocess.js); both transports share this code, so they behave the same.
 *
 * Rules it keeps:
 *  - ONE queue. Requests and batch chunks run strictly one after the other. The engine's
 *    ringiRevertLast() only undoes the *last* change, so a change must be committed (or reverted)
 *    before the engine is called again.
 *  - Commit before answer. A call whose answer carries a ChangeSet is answered only after the
 *    ChangeSet was committed in one storage transaction. If the commit fails the engine is
 *    reverted and the caller gets RINGI_ST01: memory and disk never disagree.
 *  - Batches run in chunks (`chunkSize` tasks, default 200: a transaction costs far more than the
 *    ~40 µs of engine work per task, so a whole batch is one chunk; other requests wait ~10 ms). A chunk = one engine call + one
 *    transaction (records, tasks and the batch's progress together), followed by a 'progress'
 *    event. Between chunks the host yields to the event loop, and every request that arrived in
 *    the meantime is served before the next chunk (it is queued behind it).
 *  - Resume: at open, the engine is restored from storage; if it has unfinished batches the pump
 *    starts. A chunk that was not committed never happened, so after a crash each task is applied
 *    exactly once.
 *
 * Two tabs (one database, one host per tab)
 *  - Every job (request or chunk) runs while holding an exclusive lock named `ringi:<database>`:
 *    navigator.locks (Web Locks) in browsers, an in-realm mutex otherwise. So only one host at a
 *    time reads-modifies-writes the database.
 *  - Every commit writes a fresh generation token in the same transaction (store `sync`). The
 *    host remembers the token it last wrote or read. Requests and chunks check it where it costs
 *    no extra transaction: a change is committed only if the stored token is still the host's
 *    (storage.commit(changes, expected) reads it first in its own transaction and writes nothing
 *    otherwise), and a job that changed nothing reads the token after running. When it differs,
 *    another tab committed in between: the host undoes the job in memory (ringiRevertLast),
 *    reloads its engine from storage and runs the job again. So no job's result ever comes from a
 *    stale engine: no lost update, and a batch task already applied by another tab is seen closed
 *    and not applied again. (Reading the token before every job instead cost a status update
 *    ~1.5 ms of its ~4; loads, resets and exports still read it first.)
 *  - After a commit the host posts the token on BroadcastChannel `ringi:<database>`; other hosts
 *    then reload eagerly (emitting 'changed' {source:'remote'}) and pick up batches another tab
 *    left unfinished. The broadcast is only a hint: correctness comes from the check in the lock.
 *
 * A failed engine
 *  - Any throw out of an engine call (a wasm trap, an abort, out of memory, a JS exception thrown
 *    through wasm frames, a reply that is not JSON) ends that instance: its memory may hold a
 *    half-made change or a transaction that never closed, so nothing it answers afterwards can be
 *    trusted. The request gets RINGI_EN02 (500); nothing of it was committed (commits happen only
 *    after a good reply). The instance is dropped, and before any other job runs, a new one is
 *    made (o.loadEngine; loader.js instantiates the compiled module again) and restored
 *    from storage. No write is ever acknowledged by an instance that failed.
 *  - A batch chunk that ends an instance is run again one task at a time (up to chunkSize tasks);
 *    the task whose run ends an instance again is ended as failed (reason_code engine_failure,
 *    ringiFailBatchTask) without running it, and the batch goes on. Other requests are answered
 *    between these steps. Three failures in a row without progress pause the pump for 10 s.
 *
 * Snapshot and journal: what a restore starts from and when the snapshot is written is
 * snapshots.js's policy.
 */
import { makeError, toKintoneError, normalizeLocale, loginUserRequest } from '../protocol.js';
import { staleGeneration } from './storage/schema.js';
import { Snapshots, rowsPieces } from './snapshots.js';

/** @typedef {import('../protocol.js').KintoneError} KintoneError */

/** @type {Map<string, Promise<any>>} */
const realmLocks = new Map();

/**
 * An exclusive lock by name: Web Locks when available, else an in-realm mutex.
 * @param {string} name
 * @returns {<T>(fn: () => Promise<T>) => Promise<T>}
 */
export function createLock(name) {
  const locks = /** @type {any} */ (globalThis.navigator)?.locks;
  if (locks && typeof locks.request === 'function') {
    return (fn) => locks.request(name, { mode: 'exclusive' }, fn);
  }
  return (fn) => {
    const prev = realmLocks.get(name) || Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    realmLocks.set(name, tail);
    tail.then(() => { if (realmLocks.get(name) === tail) realmLocks.delete(name); });
    return run;
  };
}

/** Yield to the event loop (a macrotask; MessageChannel avoids setTimeout clamping). */
function defaultYield(ms = 0) {
  if (ms > 0) return new Promise((r) => setTimeout(r, ms));
  if (typeof MessageChannel !== 'undefined' && typeof window === 'undefined' && typeof process === 'undefined') {
    return new Promise((r) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => { ch.port1.close(); r(undefined); };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}

const fromUtf8 = new TextDecoder();

const EMPTY_WORKSPACE = JSON.stringify({ users: [], organizations: [], groups: [], apps: [] });

export class Host {
  /**
   * @param {object} o
   * @param {any} o.engine        the engine module instance (ringiCall, ringiLoad, ...)
   * @param {() => Promise<any>} [o.loadEngine] makes a new instance when this one failed (without
   *   it, a failed instance leaves the host answering RINGI_WK01)
   * @param {any} o.storage       an opened storage back-end (storage/memory.js, storage/indexeddb.js)
   * @param {string} o.database   database name (lock and channel names derive from it)
   * @param {number} [o.chunkSize]
   * @param {(type: string, payload: any) => void} [o.emit]  event sink
   * @param {(fn: () => Promise<any>) => Promise<any>} [o.lock]
   * @param {boolean} [o.broadcast] use BroadcastChannel hints (default: for indexeddb storage)
   * @param {number} [o.snapshotDelay] idle ms before a snapshot is written (default 1000; < 0: never)
   * @param {Promise<any>} [o.snapshotRead] storage.readSnapshot() started early (endpoint.js: while the
   *   engine compiles); the first restore uses it when it matches the generation read in the lock
   * @param {(phase: 'stateRead'|'restored') => void} [o.mark] called as the first restore reaches
   *   each phase (endpoint.js turns the calls into the open reply's `timings`)
   */
  constructor(o) {
    this.engine = o.engine;
    this._loadEngine = o.loadEngine ?? null;
    this.storage = o.storage;
    this.database = o.database;
    this.chunkSize = o.chunkSize || 200;
    this.emit = o.emit || (() => {});
    this.lock = o.lock || createLock(`ringi:${o.database}`);
    /** @type {string|null} */
    this.generation = null;
    this.closed = false;
    this._queue = Promise.resolve();
    this._pumpScheduled = false;
    // commit(changes, expected) checks the generation in its own transaction (a subclass that
    // does not pass `expected` on has commit.length 1 and gets the read before every job).
    this._checkedCommits = typeof this.storage.commit === 'function' && this.storage.commit.length >= 2;
    /** @type {BroadcastChannel|null} */
    this.channel = null;
    const wantBroadcast = o.broadcast ?? (o.storage.kind === 'indexeddb');
    if (wantBroadcast && typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(`ringi:${o.database}`);
      this.channel.onmessage = (ev) => {
        if (this.closed || !ev.data || ev.data.generation === this.generation) return;
        this._enqueue(async () => {}).catch(() => {});
      };
    }
    this.snapshots = new Snapshots(o.storage, { delay: o.snapshotDelay ?? 1000, early: o.snapshotRead ?? null });
    this._mark = o.mark ?? (() => {});
    this.stats = { reloads: 0, chunks: 0, commits: 0, snapshots: 0, engineFailures: 0, restarts: 0, restoredFrom: /** @type {string|null} */ (null) };
    /** Batch steps after an engine failure: tasks left to run one at a time, or 'fail' the next. */
    this._isolate = 0;
    this._failNextTask = false;
    this._pumpFailures = 0;
    this._restoring = false;
  }

  /**
   * The first request of a page: restores the engine from storage and resumes batches. `user`,
   * when given: the reply carries GET /v1/users.json for that code as `users`, read in the same
   * lock as the restore, which saves the page a round trip.
   * @param {string} [user]
   */
  async open(user) {
    const [restored, users] = await this._enqueue(async () => {
      // _sync() ran inside the lock already (generation null -> always reloads once).
      const counts = this._lastCounts || {};
      if (!user) return [counts, undefined];
      const resp = this._call((e) => e.ringiCall(JSON.stringify(loginUserRequest(user))), 'en');
      return [counts, resp.status < 400 ? resp.body : undefined];
    });
    return {
      restored,
      restoredFrom: this.stats.restoredFrom,
      pendingBatches: !!this.engine?.ringiHasPendingBatches(),
      ...(users ? { users } : {}),
    };
  }

  /**
   * Serve one request. Resolves with the result, rejects with a KintoneError.
   * @param {string} type @param {any} payload
   */
  async request(type, payload = {}) {
    const locale = normalizeLocale(payload.locale);
    switch (type) {
      case 'call': {
        /** @type {any} */
        const req = { user: payload.user ?? '', method: payload.method, path: payload.path, body: payload.body ?? {} };
        if (payload.apiToken !== undefined) req.apiToken = payload.apiToken;  // the HTTP layer's grant
        if (payload.language) req.locale = normalizeLocale(payload.language);  // the page's UI language
        let text;
        try {
          text = JSON.stringify(req);
        } catch {
          throw makeError('CB_IJ01', locale);  // a body nested too deep to write (RangeError)
        }
        return this._enqueue(async (check) => {
          const resp = this._call((e) => e.ringiCall(text), locale);
          await this._commit(resp, locale, check);
          if (this._pending()) this._schedulePump();
          return { status: resp.status, body: resp.body };
        }, { checked: true });
      }
      case 'load': {
        const ws = typeof payload.workspace === 'string' ? payload.workspace : JSON.stringify(payload.workspace ?? {});
        return this._enqueue(() => this._load(ws, locale));
      }
      case 'reset':
        return this._enqueue(() => this._load(EMPTY_WORKSPACE, locale));
      case 'export':
        return this._enqueue(async () => {
          const s = this._call((e) => e.ringiExport(), locale, false);
          try { return JSON.parse(s); } catch { throw makeError('RINGI_EN01', locale); }
        });
      case 'close':
        return this.close();
      default:
        throw makeError('RINGI_PR01', locale);
    }
  }

  async close() {
    if (this.closed) return {};
    this.snapshots.cancel();
    if (this.snapshots.delay >= 0) await this.writeSnapshot().catch(() => {});
    this.closed = true;
    this.channel?.close();
    this.channel = null;
    await this._queue.catch(() => {});
    await this.storage.close();
    return {};
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────

  /**
   * Runs `job` after everything queued before it, inside the database lock. A plain job starts
   * from the stored state (_sync first). A checked job (requests and chunks) runs on the engine as
   * it is, with `check` true, which it passes to _commit; if _commit finds that another tab
   * committed first, the job runs again (check false) on the state re-read. Storage back-ends
   * without commit(changes, expected) get plain jobs only.
   * @template T @param {(check: boolean) => Promise<T>} job @param {{checked?: boolean}} [o]
   * @returns {Promise<T>}
   */
  _enqueue(job, { checked = false } = {}) {
    const run = this._queue.then(() => {
      if (this.closed) throw makeError('RINGI_WK01');
      return this.lock(async () => {
        if (!this.engine) await this._startEngine();
        if (checked && this._loadedOnce && this._checkedCommits) {
          try {
            return await job(true);
          } catch (e) {
            if (!(e && /** @type {any} */ (e).stale)) throw e;
          }
        }
        await this._sync();  // for a checked job: the other tab's state, then the job again on it
        return job(false);
      });
    });
    this._queue = run.catch(() => {});
    return run;
  }

  /**
   * Calls the engine. Any throw ends the instance (see "A failed engine"); the caller then gets
   * RINGI_EN02. With `reply`, the answer is parsed as an engine Reply.
   * @param {(engine: any) => any} fn @param {string} [locale] @param {boolean} [reply]
   */
  _call(fn, locale = 'en', reply = true) {
    const engine = this.engine;
    if (!engine) throw makeError('RINGI_WK01', locale);
    let out;
    try {
      out = fn(engine);
      if (reply) out = this._parse(out, locale);
    } catch (e) {
      if (this.engine === engine) this._engineFailed(e);
      throw makeError('RINGI_EN02', locale);
    }
    return out;
  }

  /**
   * Replaces the engine's state with a workspace document (text) and commits every row as a reset.
   * A large state is not put in the reply: its rows are read in pieces (loader.js).
   * @param {string} workspace @param {string} locale
   */
  async _load(workspace, locale) {
    const resp = this._call((e) => e.ringiLoad(workspace), locale);
    if (resp.changes?.paged) resp.changes = { reset: true, put: this._rowsOf(this._call((e) => e.ringiRowsPieces(), locale, false), locale) };
    await this._commit(resp, locale);
    if (this._pending()) this._schedulePump();
    return { status: resp.status, body: resp.body };
  }

  /** Does the engine have batches waiting? (false with no engine: the restart looks again) */
  _pending() {
    return !!this._call((e) => e.ringiHasPendingBatches(), 'en', false);
  }

  /** Drop a failed instance; a new one is made and restored before the next job runs. @param {any} cause */
  _engineFailed(cause) {
    console.error('[ringi] engine failed, restarting:', cause);
    this.engine = null;
    this._loadedOnce = false;
    this.generation = null;
    this.stats.engineFailures++;
    this.emit('engine-failed', { reason: String(/** @type {any} */ (cause)?.message ?? cause) });
    // Restart now, ahead of what comes next; but not when the restore itself failed (the stored
    // state ends every instance: each request then tries once and answers RINGI_EN02).
    if (!this.closed && !this._restoring) this._enqueue(async () => {}).catch(() => {});
  }

  /** A new engine instance in place of a failed one (inside the lock). */
  async _startEngine() {
    if (!this._loadEngine) throw makeError('RINGI_WK01');
    let engine;
    try {
      engine = await this._loadEngine();
    } catch (e) {
      console.error('[ringi] a new engine could not be made', e);
      throw makeError('RINGI_WK01');
    }
    this.engine = engine;
    this._loadedOnce = false;
    this.stats.restarts++;
  }

  /** The stored generation token (RINGI_ST02 when it cannot be read). */
  async _storedGeneration() {
    try {
      return await this.storage.generation();
    } catch (e) {
      throw makeError('RINGI_ST02');
    }
  }

  /** Reload the engine when storage was changed by someone else. Runs inside the lock. */
  async _sync() {
    const g = await this._storedGeneration();
    if (g === this.generation && this._loadedOnce) return;
    const first = !this._loadedOnce;
    this._restoring = true;
    try {
      this._lastCounts = await this._restore(g, first);
    } finally {
      this._restoring = false;
    }
    this._loadedOnce = true;
    this.generation = g;
    if (!first) {
      this.stats.reloads++;
      this.emit('changed', { source: 'remote' });
    }
    if (this._pending()) this._schedulePump();
  }

  /**
   * Load the engine with the stored state of generation `g`: from the snapshot when it is of `g`,
   * else from every row. Resolves with the restored row counts by store.
   * @param {string|null} g @param {boolean} first
   */
  async _restore(g, first) {
    const snap = await this.snapshots.readFor(g);
    if (snap) {
      if (first) this._mark('stateRead');
      const resp = this._call((e) => e.ringiRestorePieces(snap.pieces, snap.overlay));
      if (resp.status < 400) {
        if (first) this._mark('restored');
        if (snap.overlay) {
          // The stored snapshot is not of g: write a new one (and empty the journal) when idle.
          this.stats.restoredFrom = 'snapshot+journal';
          if (first) this._scheduleSnapshot();
        } else {
          this.snapshots.generation = g;
          this.stats.restoredFrom = 'snapshot';
        }
        return resp.body;
      }
      console.warn('[ringi] snapshot rejected; restoring from the rows', resp.body);
    }
    const state = await this.storage.loadAll();
    if (first) this._mark('stateRead');
    const resp = this._call((e) => e.ringiRestorePieces(rowsPieces(state)));
    if (resp.status >= 400) throw toKintoneError({ ...resp.body, status: resp.status });
    if (first) this._mark('restored');
    this.stats.restoredFrom = 'rows';
    // Another tab's commit: that tab keeps the snapshot. Our first open: we keep it.
    if (first) this._scheduleSnapshot();
    return resp.body;
  }

  _scheduleSnapshot() {
    if (!this.closed) this.snapshots.schedule(() => this.writeSnapshot());
  }

  /**
   * Write the snapshot now if it is stale (and no batch is waiting: its chunks would make it stale
   * at once). Resolves with whether one was written.
   * @returns {Promise<boolean>}
   */
  writeSnapshot() {
    if (!this.snapshots.enabled || this.closed) return Promise.resolve(false);
    return this._enqueue(async () => {
      if (!this.snapshots.stale(this.generation) || this._pending()) return false;
      const pieces = this._call((e) => e.ringiRowsPieces(), 'en', false);
      if (!pieces.length) return false;
      const written = await this.snapshots.write(/** @type {string} */ (this.generation), pieces);
      if (written) this.stats.snapshots++;
      return written;
    });
  }

  /**
   * The rows documents of ringiRowsPieces as one: each store's rows, in order.
   * @param {Uint8Array[]} pieces @param {string} locale
   */
  _rowsOf(pieces, locale) {
    /** @type {Record<string, any[]>} */
    const put = {};
    for (const piece of pieces) {
      for (const [store, rows] of Object.entries(this._parse(fromUtf8.decode(piece), locale, false))) {
        const all = (put[store] ??= []);
        for (const row of rows) all.push(row);
      }
    }
    return put;
  }

  /** @param {string} text @param {string} locale @param {boolean} [reply] an engine Reply */
  _parse(text, locale, reply = true) {
    try {
      const r = JSON.parse(text);
      if (!r || (reply && typeof r.status !== 'number')) throw new Error('bad shape');
      return r;
    } catch {
      throw makeError('RINGI_EN01', locale);
    }
  }

  /**
   * Commit an engine answer's ChangeSet; revert the engine when that fails. With `check`, only if
   * the stored generation is still this host's: else (nothing written) it throws a `stale` error.
   */
  async _commit(resp, locale, check = false) {
    const changes = resp.changes;
    if (!changes || (!changes.reset && isEmptyChanges(changes))) {
      // Nothing to write: the answer stands if no other tab committed before it was computed.
      if (check) {
        const stored = await this._storedGeneration();
        if (stored !== this.generation) throw staleGeneration(stored);
      }
      return;
    }
    try {
      this.generation = check ? await this.storage.commit(changes, this.generation) : await this.storage.commit(changes);
    } catch (e) {
      try { this._call((en) => en.ringiRevertLast(), 'en', false); } catch { /* the instance was replaced */ }
      if (e && /** @type {any} */ (e).stale) throw e;  // nothing written: _enqueue re-reads and runs it again
      // Whatever happened on disk, re-read it before the next job.
      this._loadedOnce = false;
      throw makeError('RINGI_ST01', locale);
    }
    this.stats.commits++;
    this._scheduleSnapshot();
    this.channel?.postMessage({ generation: this.generation });
    this.emit('changed', { source: 'local' });
  }

  _schedulePump(delay = 0) {
    if (this._pumpScheduled || this.closed) return;
    this._pumpScheduled = true;
    defaultYield(delay).then(() => {
      if (this.closed) { this._pumpScheduled = false; return; }
      this._enqueue(async (check) => {
        this._pumpScheduled = false;
        if (!this._pending()) return;
        const failTask = this._failNextTask;
        const resp = failTask
          ? this._call((e) => e.ringiFailBatchTask())
          : this._call((e) => e.ringiRunChunk(this._isolate > 0 ? 1 : this.chunkSize));
        await this._commit(resp, 'en', check);
        if (failTask) {
          this._failNextTask = false;
          this._isolate = 0;
        } else if (this._isolate > 0) {
          this._isolate--;
        }
        this._pumpFailures = 0;
        this.stats.chunks++;
        if (resp.body) this.emit('progress', resp.body);
        if (this._pending()) this._schedulePump();
      }, { checked: true }).catch((e) => {
        this._pumpScheduled = false;
        if (this.closed) return;
        this.emit('error', toKintoneError(e));
        if (e?.code !== 'RINGI_EN02') { this._schedulePump(1000); return; }
        // The step ended the engine: find the task that does, one at a time, and fail it.
        if (this._isolate > 0 || this._failNextTask) this._failNextTask = true;
        else this._isolate = this.chunkSize;
        this._schedulePump(++this._pumpFailures >= 3 ? 10000 : 0);
      });
    });
  }
}

function isEmptyChanges(c) {
  const any = (o) => o && Object.values(o).some((v) => Array.isArray(v) && v.length);
  return !any(c.put) && !any(c.delete);
}
