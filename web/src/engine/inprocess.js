// @ts-check
/**
 * In-process transport (`worker: false`; the default in Node): the same endpoint and host as the
 * Web Worker, on the caller's thread. It exchanges the same protocol messages, deep-copied with
 * structuredClone so callers cannot share mutable objects with the engine side, and delivered
 * asynchronously like postMessage.
 */
import { createEndpoint } from './endpoint.js';
import { readyMessage } from '../protocol.js';

/**
 * @param {{loadEngine?: any, createStorage?: any}} [deps]
 * @returns {import('../page/client.js').Transport}
 */
export function createInProcessTransport(deps = {}) {
  /** @type {((msg: any) => void)|null} */
  let listener = null;
  let closed = false;
  const deliver = (msg) => {
    const copy = structuredClone(msg);
    queueMicrotask(() => { if (!closed || msg.id !== undefined) listener?.(copy); });
  };
  const endpoint = createEndpoint(deliver, deps);
  return {
    kind: 'inprocess',
    postMessage(msg) {
      if (closed) return;
      const copy = structuredClone(msg);
      setTimeout(() => endpoint.onMessage(copy), 0);
    },
    onMessage(fn) {
      listener = fn;
      deliver(readyMessage());
    },
    terminate() { closed = true; },
    get endpoint() { return endpoint; },
  };
}
