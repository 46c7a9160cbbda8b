// Ringi's own worker (dist/worker.js, whose exports are its parts) with two benchmark-only
// additions, both outside the timed path unless noted. Loaded by the bench page as
// createKintone({workerUrl: this file}).
//  1. The IndexedDB back-end is dist/worker.js's IndexedDBStorage, subclassed only to keep a reference to
//     every ChangeSet it commits while recording is on (one Array.push per commit), so the
//     baseline (idb-worker.mjs) can write exactly the same rows in the same transactions.
//  2. A control channel (BroadcastChannel 'ringi-bench') for the page:
//       {id, cmd: 'record'}        start recording commits
//       {id, cmd: 'recorded'}      stop; reply {commits: [ChangeSet...], profile: {engineMs, commitMs,
//                                  commitSyncMs, generationMs}: time inside engine.ringiCall/
//                                  ringiRunChunk, inside storage.commit (commitSyncMs: its
//                                  synchronous part, the put() calls) and storage.generation()
//                                  while recording (a breakdown, not a figure)}
//       {id, cmd: 'call', request, runs}  time engine.ringiCall(request) `runs` times, in the worker
//                                         (performance.now() around the call); reply {ms: [...]}
//       {id, cmd: 'heap'}          reply {bytes: wasm memory size (HEAP8.buffer.byteLength, the peak),
//                                    live: bytes allocated now (ringiMemoryInUse)}
//       {id, cmd: 'restoreHeap'}   a second, new engine restores this one's rows pieces (what a cold
//                                  start does with the snapshot); reply {bytes, live} of that
//                                  engine, {ms} of its restore, {status}; the engine is dropped
import { loadEngine, createEndpoint, readyMessage, IndexedDBStorage, createStorage } from '/dist/worker.js';

/** @type {any[]|null} */
let recording = null;

/** Where the worker's time went while recording (performance.now() around each call). */
let profile = null;
const newProfile = () => ({ engineMs: 0, engineCalls: 0, commitMs: 0, commitSyncMs: 0, commits: 0, generationMs: 0, perCommitMs: [] });

class RecordingStorage extends IndexedDBStorage {
  /** @param {any} changes @param {string|null} [expected] passed on: the host's generation check */
  async commit(changes, expected) {
    if (!recording) return super.commit(changes, expected);
    recording.push(changes);
    const t0 = performance.now();
    const done = super.commit(changes, expected);  // runs synchronously up to its first await: the puts
    profile.commitSyncMs += performance.now() - t0;
    try { return await done; } finally { const d = performance.now() - t0; profile.commitMs += d; profile.perCommitMs.push(d); profile.commits++; }
  }

  async generation() {
    if (!profile) return super.generation();
    const t0 = performance.now();
    try { return await super.generation(); } finally { profile.generationMs += performance.now() - t0; }
  }
}

/** Times the engine's entry points (and the host's JSON.parse of their answers) while recording. */
function instrument(engine) {
  if (engine.__benchWrapped) return;
  engine.__benchWrapped = true;
  for (const f of ['ringiCall', 'ringiRunChunk']) {
    const orig = engine[f].bind(engine);
    engine[f] = (...a) => {
      if (!profile) return orig(...a);
      const t0 = performance.now();
      try { return orig(...a); } finally { profile.engineMs += performance.now() - t0; profile.engineCalls++; }
    };
  }
}

const scope = /** @type {any} */ (self);
const endpoint = createEndpoint((msg) => scope.postMessage(msg), {
  createStorage: (kind) => (kind === 'indexeddb' ? new RecordingStorage() : createStorage(kind)),
  onClose: () => setTimeout(() => scope.close(), 0),
});
scope.onmessage = (/** @type {MessageEvent} */ ev) => { endpoint.onMessage(ev.data); };

const ctl = new BroadcastChannel('ringi-bench');
ctl.onmessage = (ev) => {
  const { id, cmd } = ev.data || {};
  if (typeof id !== 'number' || !String(cmd)) return;
  const reply = (r) => ctl.postMessage({ id, reply: true, ...r });
  const engine = endpoint.host?.engine;
  try {
    if (cmd === 'record') { instrument(engine); recording = []; profile = newProfile(); reply({}); }
    else if (cmd === 'recorded') { const commits = recording || []; recording = null; const p = profile; profile = null; reply({ commits, profile: p, snapshots: endpoint.host?.stats.snapshots }); }
    else if (cmd === 'heap') reply({ bytes: engine.HEAP8.buffer.byteLength, live: engine.ringiMemoryInUse() });
    else if (cmd === 'restoreHeap') {
      const pieces = engine.ringiRowsPieces();
      loadEngine().then((fresh) => {
        const t0 = performance.now();
        const { status } = JSON.parse(fresh.ringiRestorePieces(pieces));
        reply({ status, ms: performance.now() - t0, bytes: fresh.HEAP8.buffer.byteLength, live: fresh.ringiMemoryInUse() });
      }).catch((e) => reply({ error: String(e && e.stack || e) }));
    }
    else if (cmd === 'call') {
      const ms = [];
      let status = 0;
      for (let i = 0; i < (ev.data.runs || 1); i++) {
        const t0 = performance.now();
        const text = engine.ringiCall(ev.data.request);
        ms.push(performance.now() - t0);
        status = JSON.parse(text).status;
      }
      reply({ ms, status });
    }
  } catch (e) { reply({ error: String(e && e.stack || e) }); }
};
scope.postMessage(readyMessage());
