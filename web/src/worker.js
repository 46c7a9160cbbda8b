// @ts-check
/// <reference lib="webworker" />
/**
 * Module Worker entry: `new Worker(new URL('./worker.js', import.meta.url), {type: 'module'})`.
 * Owns the one engine instance; speaks the protocol documented in protocol.js.
 */
import { createServer } from './server.js';
import { readyMessage } from './protocol.js';

const scope = /** @type {any} */ (self);
const server = createServer((msg) => scope.postMessage(msg), { onClose: () => setTimeout(() => scope.close(), 0) });
scope.onmessage = (/** @type {MessageEvent} */ ev) => { server.onMessage(ev.data); };
scope.postMessage(readyMessage());
