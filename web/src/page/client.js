// @ts-check
/**
 * The page side of the protocol (protocol.js): sends requests over a transport, matches replies
 * by id, dispatches events. Transports: a module Worker (createWorkerTransport) or the in-process
 * host (engine/inprocess.js). The Client neither knows nor cares which.
 */
import { PROTOCOL_VERSION, EVENT_TYPES, makeError, withDetail } from '../protocol.js';

/**
 * @typedef {object} Transport
 * @property {string} kind
 * @property {(msg: any) => void} postMessage
 * @property {(fn: (msg: any) => void) => void} onMessage
 * @property {(fn: (err: any) => void) => void} [onError]
 * @property {() => void} terminate
 * @property {string} [url] the worker's script, named when it cannot start
 * @property {any} [endpoint] in-process only: the engine side (engine/endpoint.js), for tests and tools
 */

/**
 * @param {Worker} worker a module Worker running worker.js
 * @param {string} url its script
 * @returns {Transport}
 */
export function createWorkerTransport(worker, url) {
  return {
    kind: 'worker',
    url,
    postMessage: (msg) => worker.postMessage(msg),
    onMessage: (fn) => { worker.onmessage = (ev) => fn(ev.data); },
    onError: (fn) => {
      worker.onerror = (ev) => { ev.preventDefault?.(); fn(ev); };
      worker.onmessageerror = (ev) => fn(ev);
    },
    terminate: () => worker.terminate(),
  };
}

export class Client {
  /** @param {Transport} transport */
  constructor(transport) {
    this.transport = transport;
    this.nextId = 1;
    /** @type {Map<number, {resolve: (v: any) => void, reject: (e: any) => void}>} */
    this.pending = new Map();
    /** @type {Map<string, Set<(payload: any) => void>>} */
    this.listeners = new Map();
    this.closed = false;
    this.locale = 'en';
    /** @type {Promise<void>} */
    this.ready = new Promise((resolve, reject) => {
      this._ready = resolve;
      this._readyFail = reject;
    });
    transport.onMessage((msg) => this._onMessage(msg));
    transport.onError?.((err) => this._fail(err));
  }

  _onMessage(msg) {
    if (!msg || typeof msg !== 'object') return;
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(withStatus(msg.error));
      return;
    }
    if (msg.type === 'ready') {
      if (msg.protocol !== PROTOCOL_VERSION) this._readyFail(makeError('RINGI_PR03', this.locale));
      else this._ready();
      return;
    }
    if (EVENT_TYPES.includes(msg.type)) {
      for (const fn of this.listeners.get(msg.type) || []) {
        try { fn(msg.payload); } catch (e) { console.error(e); }
      }
    }
  }

  _fail(err) {
    if (err) console.error('[ringi] worker failed', err?.message || err);
    this.closed = true;
    // Before it said ready, the worker's script could not be loaded or run: name it.
    const what = this.transport.url ? `worker ${this.transport.url}${err?.message ? `: ${err.message}` : ''}` : undefined;
    const failed = () => withDetail(makeError('RINGI_WK01', this.locale), what);
    this._readyFail?.(failed());
    for (const p of this.pending.values()) p.reject(failed());
    this.pending.clear();
  }

  /**
   * @param {import('../protocol.js').RequestType} type
   * @param {any} [payload]
   * @returns {Promise<any>}
   */
  async request(type, payload = {}) {
    if (this.closed) throw makeError('RINGI_WK01', this.locale);
    await this.ready;
    if (this.closed) throw makeError('RINGI_WK01', this.locale);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.transport.postMessage({ id, type, payload });
      } catch (e) {
        this.pending.delete(id);
        reject(makeError('RINGI_PR01', this.locale));
      }
    });
  }

  /** @param {string} type @param {(payload: any) => void} fn */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)?.add(fn);
  }

  /** @param {string} type @param {(payload: any) => void} fn */
  off(type, fn) {
    this.listeners.get(type)?.delete(fn);
  }

  async close() {
    if (this.closed) return;
    try {
      let timer;
      await Promise.race([this.request('close', {}), new Promise((r) => { timer = setTimeout(r, 2000); })]);
      clearTimeout(timer);
    } catch { /* closing anyway */ }
    this.closed = true;
    this.transport.terminate();
    for (const p of this.pending.values()) p.reject(makeError('RINGI_WK01', this.locale));
    this.pending.clear();
  }
}

/** Errors travel as plain objects; keep `status` non-enumerable (kintone's errback has none). */
function withStatus(err) {
  if (!err || typeof err !== 'object') return err;
  const { status, ...plain } = err;
  if (typeof status === 'number') Object.defineProperty(plain, 'status', { value: status, enumerable: false });
  return plain;
}
