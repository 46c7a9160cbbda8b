// @ts-check
/**
 * The engine's protocol endpoint (protocol.js), independent of the transport: feed it request
 * messages, it opens the Host (engine + storage) and posts replies and events through `post`.
 * worker.js wires it to the Worker's global scope; inprocess.js to a direct in-thread channel.
 */
import { PROTOCOL_VERSION, EVENT_TYPES, validateRequest, makeError, withDetail, okReply, errorReply, event, toKintoneError } from '../protocol.js';
import { Host } from './host.js';
import { loadEngine as defaultLoadEngine } from './loader.js';
import { createStorage as defaultCreateStorage } from './storage/index.js';

/**
 * @param {(msg: any) => void} post
 * @param {{loadEngine?: (o: any) => Promise<any>, createStorage?: (kind: any) => any, onClose?: () => void}} [deps]
 */
export function createEndpoint(post, deps = {}) {
  const loadEngine = deps.loadEngine || defaultLoadEngine;
  const createStorage = deps.createStorage || defaultCreateStorage;
  /** @type {Host|null} */
  let host = null;
  /** @type {Promise<Host>|null} */
  let opening = null;

  /** When each phase of the open finished, in ms since the open request arrived (OpenResult.timings). */
  /** @type {Record<string, number>} */
  const timings = {};
  let openedAt = 0;
  /** @param {string} phase */
  const mark = (phase) => { timings[phase] = Math.round((performance.now() - openedAt) * 10) / 10; };

  /** @param {any} p */
  async function open(p) {
    const database = String(p.database || 'ringi');
    const kind = p.storage || (typeof indexedDB !== 'undefined' ? 'indexeddb' : 'memory');
    // The engine (fetch + compile of the wasm) and the database open are independent: start
    // both at once, and report whichever failed.
    const storage = createStorage(kind);
    const opened = storage.open(database);
    // A cold start's largest read, the snapshot, also starts now, while the engine compiles
    // (Host checks it against the generation it reads in the lock).
    const snapshotRead = typeof storage.readSnapshot === 'function' ? opened.then(() => storage.readSnapshot()) : undefined;
    snapshotRead?.catch(() => {});
    const [engineResult, storageResult] = await Promise.allSettled([
      loadEngine({ engineUrl: p.engineUrl, wasmUrl: p.wasmUrl }).then((e) => { mark('engineReady'); return e; }),
      opened.then(() => mark('storageOpen')),
    ]);
    if (engineResult.status === 'rejected') {
      console.error('[ringi] engine load failed', engineResult.reason);
      if (storageResult.status === 'fulfilled') await storage.close().catch(() => {});
      throw withDetail(makeError('RINGI_EN01', p.locale), String(engineResult.reason?.message || engineResult.reason));
    }
    if (storageResult.status === 'rejected') {
      console.error('[ringi] storage open failed', storageResult.reason);
      throw makeError('RINGI_ST02', p.locale);
    }
    const engine = engineResult.value;
    const h = new Host({
      engine, storage, database, chunkSize: p.chunkSize, snapshotRead, mark,
      loadEngine: () => loadEngine({ engineUrl: p.engineUrl, wasmUrl: p.wasmUrl }),
      emit: (type, payload) => { if (EVENT_TYPES.includes(type)) post(event(/** @type {any} */ (type), payload)); },
    });
    host = h;
    return h;
  }

  /** @param {any} msg */
  async function onMessage(msg) {
    const invalid = validateRequest(msg);
    if (invalid) {
      if (msg && typeof msg.id === 'number') post(errorReply(msg.id, makeError('RINGI_PR01', undefined, { message: invalid })));
      return;
    }
    const { id, type } = msg;
    const payload = msg.payload || {};
    try {
      let result;
      if (type === 'open') {
        if (opening) throw makeError('RINGI_PR02', payload.locale);
        openedAt = performance.now();
        opening = open(payload);
        const h = await opening;
        const r = await h.open(typeof payload.user === 'string' ? payload.user : undefined);
        mark('ready');
        result = { protocol: PROTOCOL_VERSION, database: h.database, storage: h.storage.kind, ...r, timings: { ...timings } };
      } else {
        if (!opening) throw makeError('RINGI_PR02', payload.locale);
        const h = await opening;
        result = await h.request(type, payload);
        if (type === 'close') deps.onClose?.();
      }
      post(okReply(id, result));
    } catch (e) {
      if (!(e && typeof e === 'object' && 'code' in e)) console.error('[ringi]', e);
      post(errorReply(id, toKintoneError(e, 'RINGI_EN01', payload.locale)));
    }
  }

  return { onMessage, get host() { return host; } };
}
