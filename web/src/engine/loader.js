// @ts-check
/**
 * Loads the Emscripten engine (build-wasm/ringi-engine.js + .wasm, shipped next to this file in
 * dist/) in a browser page, a module Worker or Node 20, and returns the module instance with the
 * engine's JS interface, built here on its bindings' one convention (withInterface below;
 * src/bindings/ringi_bindings.cpp):
 *   ringiCall(request JSON) -> Reply text      ringiLoad(workspace text or bytes) -> Reply
 *   ringiRowsPieces() -> Uint8Array[]           ringiRestorePieces(pieces, overlay?) -> Reply
 *   ringiRunChunk(maxTasks) -> Reply            ringiFailBatchTask() -> Reply
 *   ringiExport() -> workspace text ("" failed) ringiHasPendingBatches(), ringiRevertLast()
 *   ringiMemoryInUse() -> bytes allocated now (benchmarks)
 *   bindings: the bound functions themselves (the convention, for benchmarks)
 * Each call of loadEngine makes a new instance (its own memory) of a module compiled once per URL.
 *
 * Node needs `globalThis.require` and `globalThis.__dirname` before the factory module is
 * evaluated, and the wasm bytes read from the file (Node's global fetch cannot load file: URLs)
 * — DESIGN §8; both come from `#ringi-node` (node-platform.js), imported only in Node.
 *
 * The default URLs are written `new URL('./x', import.meta.url)`, the form bundlers (Vite,
 * webpack) recognise and copy the file for; unbundled or after esbuild, they sit next to this file.
 */

export const DEFAULT_ENGINE_URL = new URL('./ringi-engine.js', import.meta.url).href;
export const DEFAULT_WASM_URL = new URL('./ringi-engine.wasm', import.meta.url).href;

/** node-platform.js, in Node only. @returns {Promise<typeof import('./node-platform.js')>} */
const nodePlatform = () => import('#ringi-node');

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined'
  && typeof (/** @type {any} */ (globalThis).WorkerGlobalScope) === 'undefined';

/** Bytes of rows wasm hands out at a time (engine.ringiRowsPieces). */
const ROWS_PIECE = 1 << 20;

/**
 * `make(key)`, once per key: later loads share it. A failure is not kept, so the next load (a
 * host whose engine failed makes a new instance: host.js "A failed engine") tries again; it is
 * reported as `key: reason`, naming the URL that failed.
 * @template T @param {Map<string, Promise<T>>} cache @param {string} key
 * @param {(key: string) => Promise<T>} make @returns {Promise<T>}
 */
function once(cache, key, make) {
  let p = cache.get(key);
  if (!p) {
    p = make(key).catch((e) => { throw new Error(`${key}: ${e?.message || e}`); });
    cache.set(key, p);
    p.catch(() => { if (cache.get(key) === p) cache.delete(key); });
  }
  return p;
}

/**
 * The compiled module of a .wasm URL, compiled once: a new instance needs no second fetch or
 * compile. In a page it compiles as it streams in.
 * @type {Map<string, Promise<WebAssembly.Module>>}
 */
const modules = new Map();

/** @param {string} wasmUrl @returns {Promise<WebAssembly.Module>} */
const compiledModule = (wasmUrl) => once(modules, wasmUrl, async () => {
  if (isNode) return WebAssembly.compile(await (await nodePlatform()).readBytes(wasmUrl));
  const res = await fetch(wasmUrl, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const streaming = typeof WebAssembly.compileStreaming === 'function' && /^application\/wasm\b/.test(res.headers.get('content-type') || '');
  return streaming ? WebAssembly.compileStreaming(res) : WebAssembly.compile(await res.arrayBuffer());
});

/** The engine factory of a glue module's URL. @type {Map<string, Promise<Function>>} */
const factories = new Map();

/** @param {string} url @returns {Promise<Function>} */
const importFactory = (url) => once(factories, url, async () => {
  if (isNode) (await nodePlatform()).prepareGlue(url);
  const mod = await import(/* @vite-ignore */ /* webpackIgnore: true */ url);
  const factory = mod.default || mod.createRingiEngine;
  if (typeof factory !== 'function') throw new Error('it does not export an engine factory');
  return factory;
});

/**
 * @param {{engineUrl?: string|URL, wasmUrl?: string|URL}} [opts]
 * @returns {Promise<any>} the engine instance
 */
export async function loadEngine(opts = {}) {
  const url = new URL(String(opts.engineUrl || DEFAULT_ENGINE_URL), import.meta.url).href;
  // A bundler may rename both files: the wasm's own default unless the engine URL was given.
  const wasmUrl = opts.wasmUrl ? new URL(String(opts.wasmUrl), url).href
    : opts.engineUrl ? url.replace(/\.m?js$/, '.wasm') : DEFAULT_WASM_URL;
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
  /** @type {Record<string, Function>} */
  const raw = {};
  for (const f of ['ringiRequestBuffer', 'ringiReplySlot', 'ringiCall', 'ringiLoad', 'ringiRestore', 'ringiRows', 'ringiBatchStep', 'ringiExport', 'ringiHasPendingBatches', 'ringiRevertLast']) {
    if (typeof engine[f] !== 'function') throw new Error(`engine lacks ${f}`);
    raw[f] = engine[f];
  }
  return withInterface(engine, raw);
}

/**
 * The engine's JS interface on its bindings' one convention (src/bindings/ringi_bindings.cpp):
 * input written into the request buffer with one TextEncoder.encodeInto (embind's std::string
 * argument encodes a JS string one character at a time in JS) or one Uint8Array.set; the answer
 * decoded where wasm wrote it, its place read from the reply slot, with one TextDecoder call (a
 * returned string would be scanned byte by byte in JS first, a returned view cost an object and a
 * call back into JS per request).
 * @param {any} engine @param {Record<string, Function>} raw the bindings' functions
 */
function withInterface(engine, raw) {
  engine.bindings = raw;  // the functions as bound, for benchmarks that measure the crossing itself
  const utf8 = new TextDecoder(), toUtf8 = new TextEncoder();
  const slot = raw.ringiReplySlot() >>> 2;
  /** @type {Uint8Array} */
  let buffer = new Uint8Array(0);
  // A view of the buffer is detached (byteLength 0) once wasm memory has grown: asked for again.
  const room = (/** @type {number} */ n) => {
    if (buffer.byteLength < n) buffer = raw.ringiRequestBuffer(Math.max(n, 4096));
    return buffer;
  };
  /** @param {string|Uint8Array} input @returns {number} its length in bytes, written */
  const write = (input) => {
    if (typeof input !== 'string') {
      room(input.length).set(input);
      return input.length;
    }
    return toUtf8.encodeInto(input, room(input.length * 3)).written;  // UTF-8 bytes per unit, at most
  };
  // A buffer grown past 1 MiB (a load, a restore, a large request) is freed after its use.
  const release = () => { if (buffer.byteLength > 1 << 20) { raw.ringiRequestBuffer(0); buffer = new Uint8Array(0); } };
  const where = () => { const words = engine.HEAPU32; return [words[slot], words[slot + 1]]; };  // renewed on growth
  const text = () => { const [at, n] = where(); return utf8.decode(engine.HEAPU8.subarray(at, at + n)); };
  const bytes = () => { const [at, n] = where(); return engine.HEAPU8.slice(at, at + n); };  // a copy: the answer goes at the next call

  engine.ringiCall = (/** @type {string} */ request) => {
    raw.ringiCall(write(request));
    const answer = text();
    release();
    return answer;
  };
  // ringiLoad and ringiRestore take the request buffer over (no second copy of megabytes in wasm
  // memory, which never shrinks): the next call asks for a buffer again.
  const handOver = () => { buffer = new Uint8Array(0); };
  /** A workspace (text or UTF-8 bytes); its rows are read with ringiRowsPieces right after. */
  engine.ringiLoad = (/** @type {string|Uint8Array} */ workspace) => {
    // Bytes first: a text's buffer is sized for 3 bytes a character, and the engine keeps it.
    raw.ringiLoad(write(typeof workspace === 'string' ? toUtf8.encode(workspace) : workspace));
    handOver();
    return text();
  };
  engine.ringiRunChunk = (/** @type {number} */ maxTasks) => { raw.ringiBatchStep(maxTasks, false); return text(); };
  engine.ringiFailBatchTask = () => { raw.ringiBatchStep(1, true); return text(); };
  engine.ringiExport = () => { raw.ringiExport(); return text(); };
  // Every stored row, as rows documents of about ROWS_PIECE bytes of UTF-8 each: wasm memory holds
  // one piece at a time, never the whole state.
  engine.ringiRowsPieces = () => {
    /** @type {Uint8Array[]} */
    const pieces = [];
    for (let first = true; ; first = false) {
      raw.ringiRows(ROWS_PIECE, first);
      const piece = bytes();
      if (!piece.length) return pieces;
      pieces.push(piece);
    }
  };
  // Restores such pieces one at a time, then the newer rows of `overlay` (one rows document) over
  // them; answers the first failing piece's Reply, or the end's.
  engine.ringiRestorePieces = (/** @type {Uint8Array[]} */ pieces, /** @type {Uint8Array} */ overlay) => {
    const step = (/** @type {Uint8Array|null} */ input, /** @type {number} */ kind) => {
      raw.ringiRestore(input ? write(input) : 0, kind);
      handOver();
      return text();
    };
    for (const p of pieces) {
      const reply = step(p, 0);
      if (!reply.startsWith('{"status":200,')) return reply;
    }
    if (overlay) {
      const reply = step(overlay, 1);
      if (!reply.startsWith('{"status":200,')) return reply;
    }
    return step(null, 2);
  };
  engine.ringiMemoryInUse = () => engine._ringi_memory_in_use();
  return engine;
}
