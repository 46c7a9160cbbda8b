// @ts-check
/// <reference lib="webworker" />
/**
 * Module Worker entry: `new Worker(new URL('./worker.js', import.meta.url), {type: 'module'})`.
 * Owns the one engine instance; speaks the protocol documented in protocol.js.
 *
 * It is also the engine side as a library, for everything that runs the engine without this
 * worker: the in-process transport (ringi.js with `worker: false`, Node), Node tests and the
 * benchmarks. In dist/ it is one bundle, so the engine-side modules ship once, not twice.
 * It serves only when it is the worker's own script: imported anywhere else (a page, Node,
 * another worker), it only exports.
 */
import { createEndpoint } from './engine/endpoint.js';
import { readyMessage } from './protocol.js';

export { createEndpoint, readyMessage };
export { createInProcessTransport } from './engine/inprocess.js';
export { Host } from './engine/host.js';
export { loadEngine } from './engine/loader.js';
export { createStorage } from './engine/storage/index.js';
export { MemoryStorage } from './engine/storage/memory.js';
export { IndexedDBStorage, MAX_JOURNAL_ROWS } from './engine/storage/indexeddb.js';

const scope = /** @type {any} */ (globalThis);
if (typeof scope.WorkerGlobalScope !== 'undefined' && scope.location?.href === import.meta.url) {
  const endpoint = createEndpoint((msg) => scope.postMessage(msg), { onClose: () => setTimeout(() => scope.close(), 0) });
  scope.onmessage = (/** @type {MessageEvent} */ ev) => { endpoint.onMessage(ev.data); };
  scope.postMessage(readyMessage());
}
