// @ts-check
/**
 * Loads the Emscripten engine (build-wasm/ringi-engine.js + .wasm, shipped next to this file in
 * dist/) in a browser page, a module Worker or Node 20, and returns the module instance with
 * ringiCall, ringiLoad, ringiRestore, ringiRestoreBytes, ringiSnapshotBytes, ringiExport,
 * ringiRunChunk, ringiFailBatchTask, ringiHasPendingBatches, ringiRevertLast, ringiLoadBytes
 * (src/bindings/ringi_bindings.cpp); ringiCall, ringiRunChunk, ringiRowsPieces (every stored row,
 * read out in pieces) and ringiRestorePieces are built here on the bindings' functions. Each call
 * of loadEngine makes a new instance (its own memory) of a module compiled once per URL.
 *
 * Node needs `globalThis.require` and `globalThis.__dirname` before the factory module is
 * evaluated, and the wasm bytes read from the file (Node's global fetch cannot load file: URLs)
 * — DESIGN §8.
 */

export const DEFAULT_ENGINE_URL = new URL('./ringi-engine.js', import.meta.url).href;

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined'
  && typeof (/** @type {any} */ (globalThis).WorkerGlobalScope) === 'undefined';

/** Requests longer than this (UTF-8 bytes, worst case) cross as a string, not through the buffer. */
const MAX_BUFFERED_REQUEST = 1 << 20;

/** Bytes of rows wasm hands out at a time (engine.ringiRowsPieces). */
const ROWS_PIECE = 1 << 20;

/** @type {Map<string, Promise<any>>} */
const factories = new Map();

/**
 * The compiled module of a .wasm URL, compiled once: a host whose engine failed makes a new
 * instance of it (host.js "A failed engine") without fetching or compiling it again. In a page it
 * compiles as it streams in; a failed fetch or compile is not kept, so the next load tries again.
 * @type {Map<string, Promise<WebAssembly.Module>>}
 */
const modules = new Map();

/** @param {string} wasmUrl @returns {Promise<WebAssembly.Module>} */
function compiledModule(wasmUrl) {
  let m = modules.get(wasmUrl);
  if (!m) {
    m = (async () => {
      if (isNode) {
        const { readFile } = await import('node:fs/promises');
        return WebAssembly.compile(await readFile(new URL(wasmUrl)));
      }
      const res = await fetch(wasmUrl, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`${wasmUrl}: HTTP ${res.status}`);
      const streaming = typeof WebAssembly.compileStreaming === 'function' && /^application\/wasm\b/.test(res.headers.get('content-type') || '');
      return streaming ? WebAssembly.compileStreaming(res) : WebAssembly.compile(await res.arrayBuffer());
    })();
    modules.set(wasmUrl, m);
    m.catch(() => { if (modules.get(wasmUrl) === m) modules.delete(wasmUrl); });
  }
  return m;
}

/** @param {string} url */
async function importFactory(url) {
  if (!factories.has(url)) {
    factories.set(url, (async () => {
      if (isNode) {
        const { createRequire } = await import('node:module');
        const { fileURLToPath } = await import('node:url');
        const path = await import('node:path');
        const g = /** @type {any} */ (globalThis);
        if (!g.require) g.require = createRequire(url);
        if (!g.__dirname) g.__dirname = path.dirname(fileURLToPath(url));
      }
      const mod = await import(/* @vite-ignore */ url);
      const factory = mod.default || mod.createRingiEngine;
      if (typeof factory !== 'function') throw new Error(`${url} does not export an engine factory`);
      return factory;
    })());
  }
  return factories.get(url);
}

/**
 * @param {{engineUrl?: string|URL, wasmUrl?: string|URL}} [opts]
 * @returns {Promise<any>} the engine instance
 */
export async function loadEngine(opts = {}) {
  const url = new URL(String(opts.engineUrl || DEFAULT_ENGINE_URL), import.meta.url).href;
  const wasmUrl = new URL(String(opts.wasmUrl || url.replace(/\.m?js$/, '.wasm')), url).href;
  // The wasm download starts now, alongside the glue module's, not after it (a cold page waited
  // for both in turn), and it is compiled as it streams in.
  const compiled = compiledModule(wasmUrl);
  compiled.catch(() => {});  // reported through instantiateWasm below
  const factory = await importFactory(url);
  /** @type {(e: any) => void} */
  let failed = () => {};
  const failure = new Promise((_, reject) => { failed = reject; });
  /** @type {any} */
  const moduleArgs = {
    locateFile: (/** @type {string} */ f) => (f.endsWith('.wasm') ? wasmUrl : new URL(f, url).href),
    print: () => {},
    printErr: (/** @type {string} */ s) => console.warn('[ringi-engine]', s),
  };
  // emscripten's hook: hand it an instance of the compiled module when ready (its own fetch
  // would start only now, and Node's global fetch cannot load file: URLs).
  moduleArgs.instantiateWasm = (/** @type {any} */ imports, /** @type {Function} */ receive) => {
    compiled.then(async (module) => receive(await WebAssembly.instantiate(module, imports), module)).catch(failed);
    return {};
  };
  const engine = await Promise.race([factory(moduleArgs), failure]);
  for (const f of ['ringiCallView', 'ringiRunChunkView', 'ringiRequestBuffer', 'ringiCallBuffered', 'ringiReplySlot', 'ringiLoadBytes', 'ringiRowsBegin', 'ringiRowsNextView', 'ringiRestorePieceBytes', 'ringiRestoreOverlayBytes', 'ringiRestoreEnd', 'ringiLoad', 'ringiRestore', 'ringiRestoreBytes', 'ringiSnapshotBytes', 'ringiExport', 'ringiRunChunk', 'ringiFailBatchTask', 'ringiHasPendingBatches', 'ringiRevertLast']) {
    if (typeof engine[f] !== 'function') throw new Error(`engine lacks ${f}`);
  }
  // Replies are read through a view of wasm memory and one TextDecoder call: embind's string
  // return scans every byte in JS first (src/bindings/ringi_bindings.cpp, "view").
  // Requests go the other way through a buffer in wasm memory filled by TextEncoder.encodeInto:
  // embind's std::string argument encodes a JS string one character at a time in JS.
  const utf8 = new TextDecoder(), toUtf8 = new TextEncoder();
  const callView = engine.ringiCallView, chunkView = engine.ringiRunChunkView;
  // The reply's address and length are read from a fixed slot in wasm memory, not returned as a
  // view: a view return costs a call back into JS and an object per request.
  const requestBuffer = engine.ringiRequestBuffer, callBuffered = engine.ringiCallBuffered;
  const slot = engine.ringiReplySlot() >>> 2;
  /** @type {Uint8Array} */
  let buffer = new Uint8Array(0);
  engine.ringiCall = (/** @type {string} */ request) => {
    const most = request.length * 3;  // UTF-8 bytes per UTF-16 unit, at most
    if (most > MAX_BUFFERED_REQUEST) return utf8.decode(callView(request));  // don't keep a large buffer
    // A view of the buffer is detached (byteLength 0) once wasm memory has grown.
    if (buffer.byteLength < most) buffer = requestBuffer(Math.max(most, 4096));
    callBuffered(toUtf8.encodeInto(request, buffer).written);
    const words = engine.HEAPU32, at = words[slot];  // HEAPU32/HEAPU8: the glue renews them on growth
    return utf8.decode(engine.HEAPU8.subarray(at, at + words[slot + 1]));
  };
  engine.ringiRunChunk = (/** @type {number} */ maxTasks) => utf8.decode(chunkView(maxTasks));
  // Every stored row, as rows documents of about ROWS_PIECE bytes of UTF-8 each: wasm memory
  // holds one piece at a time, never the whole state (src/bindings/ringi_bindings.cpp).
  const rowsBegin = engine.ringiRowsBegin, rowsNext = engine.ringiRowsNextView;
  engine.ringiRowsPieces = () => {
    rowsBegin();
    /** @type {Uint8Array[]} */
    const pieces = [];
    for (let v = rowsNext(ROWS_PIECE); v.length; v = rowsNext(ROWS_PIECE)) pieces.push(v.slice());  // copied: the view goes at the next call
    return pieces;
  };
  // Restores such pieces one at a time, then the newer rows of `overlay` (one rows document) over
  // them; answers the first failing piece's Reply, or the end's.
  const restorePiece = engine.ringiRestorePieceBytes, restoreOverlay = engine.ringiRestoreOverlayBytes;
  const restoreEnd = engine.ringiRestoreEnd;
  engine.ringiRestorePieces = (/** @type {Uint8Array[]} */ pieces, /** @type {Uint8Array} */ overlay) => {
    for (const p of pieces) {
      const reply = restorePiece(p);
      if (!reply.startsWith('{"status":200,')) return reply;
    }
    if (overlay) {
      const reply = restoreOverlay(overlay);
      if (!reply.startsWith('{"status":200,')) return reply;
    }
    return restoreEnd();
  };
  return engine;
}
