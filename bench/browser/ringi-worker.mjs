// Ringi's own worker (dist/worker.js) with two benchmark-only additions, both outside the timed
// path unless noted. Loaded by the bench page as createKintone({workerUrl: this file}).
//  1. The IndexedDB back-end is dist/storage/indexeddb.js, subclassed only to keep a reference to
//     every ChangeSet it commits while recording is on (one Array.push per commit), so the
//     baseline (idb-worker.mjs) can write exactly the same rows in the same transactions.
//  2. A control channel (BroadcastChannel 'ringi-bench') for the page:
//       {id, cmd: 'record'}        start recording commits
//       {id, cmd: 'recorded'}      stop; reply {commits: [ChangeSet...]}
//       {id, cmd: 'call', request, runs}  time engine.ringiCall(request) `runs` times, in the worker
//                                         (performance.now() around the call); reply {ms: [...]}
//       {id, cmd: 'heap'}          reply {bytes: wasm memory size (HEAP8.buffer.byteLength)}
import { createServer } from '/dist/server.js';
import { readyMessage } from '/dist/protocol.js';
import { IndexedDBStorage } from '/dist/storage/indexeddb.js';
import { createStorage } from '/dist/storage/index.js';

/** @type {any[]|null} */
let recording = null;

class RecordingStorage extends IndexedDBStorage {
  /** @param {any} changes */
  commit(changes) {
    if (recording) recording.push(changes);
    return super.commit(changes);
  }
}

const scope = /** @type {any} */ (self);
const server = createServer((msg) => scope.postMessage(msg), {
  createStorage: (kind) => (kind === 'indexeddb' ? new RecordingStorage() : createStorage(kind)),
  onClose: () => setTimeout(() => scope.close(), 0),
});
scope.onmessage = (/** @type {MessageEvent} */ ev) => { server.onMessage(ev.data); };

const ctl = new BroadcastChannel('ringi-bench');
ctl.onmessage = (ev) => {
  const { id, cmd } = ev.data || {};
  if (typeof id !== 'number' || !String(cmd)) return;
  const reply = (r) => ctl.postMessage({ id, reply: true, ...r });
  const engine = server.host?.engine;
  try {
    if (cmd === 'record') { recording = []; reply({}); }
    else if (cmd === 'recorded') { const commits = recording || []; recording = null; reply({ commits }); }
    else if (cmd === 'heap') reply({ bytes: engine.HEAP8.buffer.byteLength });
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
