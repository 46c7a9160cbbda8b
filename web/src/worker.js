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
import { createServer } from './server.js';
import { readyMessage } from './protocol.js';

export { createServer, readyMessage };
export { createInProcessTransport } from './inprocess.js';
export { Host } from './host.js';
export { loadEngine } from './engine-loader.js';
export { createStorage } from './storage/index.js';
export { MemoryStorage } from './storage/memory.js';
export { IndexedDBStorage, MAX_JOURNAL_ROWS } from './storage/indexeddb.js';

const scope = /** @type {any} */ (globalThis);
if (typeof scope.WorkerGlobalScope !== 'undefined' && scope.location?.href === import.meta.url) {
  const server = createServer((msg) => scope.postMessage(msg), { onClose: () => setTimeout(() => scope.close(), 0) });
  scope.onmessage = (/** @type {MessageEvent} */ ev) => { server.onMessage(ev.data); };
  scope.postMessage(readyMessage());
}
