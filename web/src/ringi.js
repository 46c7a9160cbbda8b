// @ts-check
/**
 * Ringi's public entry point: `createKintone(opts)` (DESIGN §2, types in ringi.d.ts).
 *
 *   const kintone = await createKintone({user: 'sato', storage: 'indexeddb', database: 'ringi', worker: true});
 *   await kintone.ringi.load(workspace);
 *   kintone.install();   // globalThis.kintone = kintone
 */
import { Client, createWorkerTransport } from './page/client.js';
import { createFacade } from './page/facade.js';

export { PROTOCOL_VERSION } from './protocol.js';
export { encodeQuery, buildRequest } from './page/facade.js';

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

/**
 * @param {import('./ringi').CreateKintoneOptions} [opts]
 * @returns {Promise<import('./ringi').Kintone>}
 */
export async function createKintone(opts = {}) {
  const useWorker = opts.worker ?? (!isNode && typeof Worker !== 'undefined');
  const storage = opts.storage ?? (isNode || typeof indexedDB === 'undefined' ? 'memory' : 'indexeddb');
  const database = opts.database ?? 'ringi';
  // Left out, the engine's URLs are the worker's own defaults (engine/loader.js), next to it
  // or wherever a bundler put the files.
  const engineUrl = opts.engineUrl === undefined ? undefined : new URL(String(opts.engineUrl), import.meta.url).href;
  const wasmUrl = opts.wasmUrl === undefined ? undefined : new URL(String(opts.wasmUrl), import.meta.url).href;
  // The in-process transport is the worker's module (the whole engine host: server, host,
  // storage), imported on this thread; a page that runs the engine in a worker never loads it here.
  // `new Worker(new URL('./worker.js', import.meta.url), ...)` as one expression: the form Vite
  // and webpack bundle the worker from.
  const transport = !useWorker
    ? (await import('./worker.js')).createInProcessTransport(opts.engine ? { loadEngine: async () => opts.engine } : {})
    : opts.workerUrl
      ? createWorkerTransport(new Worker(opts.workerUrl, { type: 'module', name: 'ringi' }), String(opts.workerUrl))
      : createWorkerTransport(new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'ringi' }), new URL('./worker.js', import.meta.url).href);
  const client = new Client(transport);
  let opened;
  try {
    opened = await client.request('open', { database, storage, engineUrl, wasmUrl, chunkSize: opts.chunkSize, user: opts.user });
  } catch (e) {
    transport.terminate();
    throw e;
  }
  const kintone = createFacade(client, { user: opts.user, language: opts.language, baseUrl: opts.baseUrl, guestSpaceId: opts.guestSpaceId });
  const { users, ...about } = opened;
  /** @type {any} */ (kintone.ringi).opened = Object.freeze(about);
  // The open reply carries the login user's directory entry (no second round trip for it).
  if (users) kintone.ringi._setLoginUserFrom(users);
  else await kintone.ringi._refreshLoginUser();
  if (opts.serviceWorker) {
    // Any HTTP client (XHR, fetch, @kintone/rest-api-client) -> this page's engine; http/sw-page.js.
    const { attachServiceWorker } = await import('./sw-host.js');
    let attached;
    try {
      attached = await attachServiceWorker(kintone, client, opts.serviceWorker);
    } catch (e) {
      await client.close();
      throw e;
    }
    const close = kintone.ringi.close;
    kintone.ringi.close = async () => { await attached.detach(); return close(); };
    /** @type {any} */ (kintone.ringi).serviceWorker = attached.registration;
  }
  return /** @type {any} */ (kintone);
}

export default createKintone;
