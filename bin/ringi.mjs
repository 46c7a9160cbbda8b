#!/usr/bin/env node
// @ts-check
/**
 * `ringi` command line:
 *
 *   ringi serve [--port N] [--host 127.0.0.1] [--workspace FILE] [--data DIR] [--cors-origin URL]...
 *               [--timeout SECONDS] [--max-body BYTES] [--compact-bytes BYTES] [--engine URL|PATH]
 *   ringi repair --data DIR
 *               keeps a copy of a damaged changes.log and cuts it to its intact records, saying
 *               exactly what it dropped (web/src/engine/storage/file-repair.js); exit 0 when the folder
 *               opens afterwards, 1 when only a backup can help (a damaged snapshot)
 *
 * Runs the wasm engine (web/src/engine/host.js, the same host as the browser's worker) behind
 * Node's http server (web/src/http/node-server.js), speaking kintone's REST API over HTTP
 * (web/src/http/handler.js; docs/http.md):
 *   - auth as kintone (web/src/http/credentials.js): X-Cybozu-Authorization base64(login:password)
 *     selects the acting user, and the password is checked against the workspace user's
 *     `password` (kept only as a scrypt hash in --data); X-Cybozu-API-Token (comma-separated
 *     tokens) acts as `Administrator` with the rights the workspace apps' `apiTokens` give;
 *     neither -> 401 CB_AU01. No session auth (no cookies, no request token). Users without a
 *     password, and tokens when no app declares any, keep the development behaviour (any password;
 *     any token with every right), with a warning at start.
 *   - where from: only Host values naming the address it listens on (403 RINGI_HT08 otherwise,
 *     against DNS rebinding); no CORS headers unless --cors-origin URL (repeatable), and a request
 *     from any other browser origin gets 403 RINGI_HT09. --host other than loopback requires a
 *     password for every user and declared tokens (serve refuses to start otherwise).
 *   - --data DIR: durable file store (web/src/engine/storage/file.js): every answered change is
 *     fsync'd before the answer. Without --data: memory only.
 *   - --workspace FILE: a workspace document imported at start when the database is empty (a
 *     fresh --data directory, or memory); ignored (with a notice) when the data directory already
 *     holds data — delete the directory to start over. A damaged data directory is never
 *     re-imported: serve refuses to start, naming the file and the byte (exit 1).
 *   - --timeout SECONDS (default 30): a client that has not sent its whole body by then gets
 *     408 RINGI_HT04 and is disconnected; other clients are served meanwhile.
 *   - --max-body BYTES (default 8 MiB): larger bodies get 413 RINGI_HT03.
 *   - --compact-bytes BYTES (default 32 MiB): with --data, the log is folded into a new
 *     snapshot.json when it grows past this.
 *   - --port 0 picks a free port. Prints "Ringi listening on http://HOST:PORT/" when ready.
 *   - SIGINT / SIGTERM: stops accepting, finishes the requests in flight, closes the store, exits 0.
 * Requests are served one engine call at a time (the host's queue); batches run in chunks between
 * requests, as in the browser.
 */
import { existsSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Host } from '../web/src/engine/host.js';
import { loadEngine } from '../web/src/engine/loader.js';
import { MemoryStorage } from '../web/src/engine/storage/memory.js';
import { FileStorage, MARKER_FILE } from '../web/src/engine/storage/file.js';
import { repairDataDir } from '../web/src/engine/storage/file-repair.js';
import { MAX_BODY_BYTES } from '../web/src/http/handler.js';
import { listenHttp, isLoopback } from '../web/src/http/node-server.js';
import { Credentials, takeCredentials } from '../web/src/http/credentials.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: ringi serve [--port N] [--host 127.0.0.1] [--workspace FILE] [--data DIR]
                   [--cors-origin URL]... [--timeout SECONDS] [--max-body BYTES] [--compact-bytes BYTES] [--engine PATH]
         kintone REST API (the Ringi engine) over HTTP; see docs/http.md
       ringi repair --data DIR
         keep a copy of a damaged changes.log, cut it to its intact records, say what was dropped`;

/** @param {string[]} argv */
export function parseArgs(argv) {
  const o = { command: argv[0], port: 8787, host: '127.0.0.1', workspace: '', data: '', timeout: 30, maxBody: MAX_BODY_BYTES, engine: '', compactBytes: 32 * 1024 * 1024, corsOrigins: /** @type {string[]} */ ([]) };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = () => (eq > 0 ? a.slice(eq + 1) : argv[++i]);
    switch (name) {
      case '--port': o.port = Number(value()); break;
      case '--host': o.host = String(value()); break;
      case '--workspace': o.workspace = String(value()); break;
      case '--data': o.data = String(value()); break;
      case '--timeout': o.timeout = Number(value()); break;
      case '--max-body': o.maxBody = Number(value()); break;
      case '--engine': o.engine = String(value()); break;
      case '--compact-bytes': o.compactBytes = Number(value()); break;
      case '--cors-origin': o.corsOrigins.push(origin(String(value()))); break;
      case '-h': case '--help': o.command = 'help'; break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error('--port must be 0..65535');
  if (!(o.timeout > 0)) throw new Error('--timeout must be a positive number of seconds');
  if (!(o.maxBody > 0)) throw new Error('--max-body must be a positive number of bytes');
  if (!(o.compactBytes > 0)) throw new Error('--compact-bytes must be a positive number of bytes');
  return o;
}

/** A --cors-origin value: an origin exactly (scheme://host[:port]). @param {string} v */
function origin(v) {
  let u;
  try { u = new URL(v); } catch { u = null; }
  if (!u || !/^https?:$/.test(u.protocol) || u.origin !== v.replace(/\/$/, '')) throw new Error(`--cors-origin ${v}: give an origin, like https://example.cybozu.com`);
  return u.origin;
}

function engineUrl(opt) {
  if (opt) return /^[a-z]+:/i.test(opt) ? opt : pathToFileURL(path.resolve(opt)).href;
  if (process.env.RINGI_ENGINE) return pathToFileURL(path.resolve(process.env.RINGI_ENGINE)).href;
  for (const d of [process.env.RINGI_DIST, path.join(root, 'dist'), path.join(root, 'build-wasm')]) {
    if (d && existsSync(path.join(d, 'ringi-engine.js')) && existsSync(path.join(d, 'ringi-engine.wasm'))) {
      return pathToFileURL(path.join(d, 'ringi-engine.js')).href;
    }
  }
  throw new Error('ringi-engine.js/.wasm not found in dist/ or build-wasm/: run `npm run build` (or pass --engine)');
}

/**
 * Serving beyond loopback: every user needs a password. @param {string} host
 * @param {string[]} open users without one @param {number} users how many users have credentials
 */
function refuseOpenUsers(host, open, users) {
  if (open.length > 0 || users === 0) {
    throw new Error(`--host ${host} is not a loopback address: every user needs a "password" in the workspace${open.length ? ` (none: ${open.join(', ')})` : ''}`);
  }
}

/**
 * Start the server. Resolves when it listens.
 * @param {ReturnType<typeof parseArgs>} o
 * @param {{log?: (s: string) => void, loadEngine?: typeof loadEngine}} [io]
 *   loadEngine: makes each engine instance (the first, and one after any failure)
 */
export async function serve(o, io = {}) {
  const log = io.log || ((s) => console.log(s));
  const engineAt = engineUrl(o.engine);
  const makeEngine = io.loadEngine || loadEngine;
  const strict = !isLoopback(o.host);
  // Everything that can refuse the start comes before anything is written to --data: the
  // workspace is read, its credentials checked, its document loaded into a scratch engine, and
  // the port bound. A refused start leaves --data as it was.
  const taken = o.workspace ? takeCredentials(await readWorkspace(o.workspace)) : null;
  if (strict && taken) refuseOpenUsers(o.host, Object.keys(taken.passwords).filter((u) => taken.passwords[u] === null), Object.keys(taken.passwords).length);
  const engine = await makeEngine({ engineUrl: engineAt });
  // A folder that holds data ignores --workspace: no scratch load (a restart pays nothing for it).
  const importing = taken && !(o.data && existsSync(path.join(o.data, MARKER_FILE)));
  if (importing) refuseBadWorkspace(o.workspace, await makeEngine({ engineUrl: engineAt }), taken.workspace);
  /** @type {(c: Credentials) => void} */
  let started = () => {};
  /** @type {(e: any) => void} */
  let refused = () => {};
  const ready = new Promise((resolve, reject) => { started = resolve; refused = reject; });
  /** @type {Host|null} */
  let host = null;
  const http = await listenHttp((p) => /** @type {Host} */ (host).request('call', p), {
    port: o.port, host: o.host, maxBody: o.maxBody, timeoutMs: Math.round(o.timeout * 1000), ready, corsOrigins: o.corsOrigins,
  });
  const before = o.data ? dataDirState(o.data) : null;
  /** @type {any} */
  let storage = null;
  try {
    storage = o.data ? new FileStorage(o.data, { compactBytes: o.compactBytes, log: (m) => log(`[ringi] ${m}`) }) : new MemoryStorage();
    await storage.open('ringi-serve');
    host = new Host({
      engine, storage, loadEngine: () => makeEngine({ engineUrl: engineAt }),
      database: o.data ? `file:${path.resolve(o.data)}` : `serve-${process.pid}-${Date.now()}`, broadcast: false,
      emit: (type, p) => {
        if (type === 'error') log(`[ringi] background error: ${JSON.stringify(p)}`);
        if (type === 'engine-failed') log(`[ringi] the engine failed (${p.reason}); a new one is restored from storage`);
      },
    });
    await host.open();
    const fresh = (await storage.generation()) === null;
    const credentials = taken && fresh ? await Credentials.fromWorkspace(taken, { strict })
      : o.data ? await Credentials.read(o.data, { strict }) : new Credentials({ users: {}, tokens: [] }, { strict });
    const open = credentials.usersWithoutPassword();
    if (strict) refuseOpenUsers(o.host, open, Object.keys(credentials.stored.users).length);
    if (taken) {
      if (fresh) {
        // Credentials first: a kill between the two leaves a folder that imports again at start.
        if (o.data) await credentials.write(o.data);
        const r = await host.request('load', { workspace: taken.workspace });
        if (r.status >= 400) throw new Error(`workspace ${o.workspace}: ${JSON.stringify(r.body)}`);
        log(`[ringi] workspace ${o.workspace} imported`);
      } else {
        log(`[ringi] ${o.data} already holds data: --workspace ignored`);
      }
    }
    if (open.length > 0) log(`[ringi] warning: no password, so any password signs in as: ${open.join(', ')}`);
    if (!credentials.tokensDeclared()) log(`[ringi] warning: no app declares apiTokens, so ${strict ? 'API tokens are refused' : 'any X-Cybozu-API-Token acts as Administrator with every right'}`);
    started(credentials);
  } catch (e) {
    refused(e);
    await http.close();
    if (host) await host.close().catch(() => {});
    else if (storage) await Promise.resolve(storage.close?.()).catch(() => {});
    if (before) restoreDataDir(o.data, before);
    throw e;
  }
  const { server, url } = http;
  log(`Ringi listening on ${url} (storage: ${o.data ? `file ${path.resolve(o.data)}` : 'memory'})`);

  let stopping = null;
  const stop = () => {
    if (!stopping) {
      stopping = (async () => {
        await http.close();
        await /** @type {Host} */ (host).close();
      })();
    }
    return stopping;
  };
  return { url, port: http.port, server, host: /** @type {Host} */ (host), storage, stop };
}

/** The --workspace document; one that is not JSON is refused naming the file. @param {string} file */
async function readWorkspace(file) {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`workspace ${file}: not JSON (${/** @type {Error} */ (e).message})`);
  }
}

/**
 * A workspace the engine refuses stops the start before anything is written (its error names the
 * file). It is loaded into a scratch engine instance, which is then dropped.
 * @param {string} file @param {any} scratch @param {any} workspace
 */
function refuseBadWorkspace(file, scratch, workspace) {
  const reply = JSON.parse(scratch.ringiLoad(JSON.stringify(workspace)));
  if (reply.status >= 400) throw new Error(`workspace ${file}: ${JSON.stringify(reply.body)}`);
}

/**
 * What --data was before a start: absent, or the names it held. A start refused after the folder
 * was opened puts it back: removes the folder it created, or the entries it added.
 * @param {string} dir @returns {{existed: boolean, names: Set<string>}}
 */
function dataDirState(dir) {
  return existsSync(dir) ? { existed: true, names: new Set(readdirSync(dir)) } : { existed: false, names: new Set() };
}

/** @param {string} dir @param {{existed: boolean, names: Set<string>}} before */
function restoreDataDir(dir, before) {
  if (!existsSync(dir)) return;
  if (!before.existed) { rmSync(dir, { recursive: true, force: true }); return; }
  for (const name of readdirSync(dir)) if (!before.names.has(name)) rmSync(path.join(dir, name), { recursive: true, force: true });
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`ringi: ${/** @type {Error} */ (e).message}\n${USAGE}`);
    process.exit(2);
  }
  if (o.command === 'repair') {
    if (!o.data) { console.error(`ringi: repair needs --data DIR\n${USAGE}`); process.exit(2); }
    try {
      const r = await repairDataDir(o.data);
      for (const line of r.lines) console.log(line);
      process.exit(r.ok ? 0 : 1);
    } catch (e) {
      console.error(`ringi: ${/** @type {Error} */ (e).message || e}`);
      process.exit(1);
    }
  }
  if (o.command !== 'serve') {
    console.log(USAGE);
    process.exit(o.command === 'help' || o.command === undefined ? 0 : 2);
  }
  let s;
  try {
    s = await serve(o);
  } catch (e) {
    console.error(`ringi: ${/** @type {Error} */ (e).message || e}`);
    process.exit(1);
  }
  const onSignal = (sig) => {
    console.log(`[ringi] ${sig}: stopping`);
    s.stop().then(() => { console.log('[ringi] stopped'); process.exit(0); }, (e) => { console.error(e); process.exit(1); });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

const invoked = (() => { try { return realpathSync(process.argv[1] || ''); } catch { return ''; } })();
if (invoked === realpathSync(fileURLToPath(import.meta.url))) main();
