// `ringi serve` (and the other `ringi` commands) as child processes, for the Node tests that
// need a real server process: to kill it with SIGKILL, restart it, and read what it printed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = path.join(root, 'bin', 'ringi.mjs');
export const WORKSPACE = path.join(root, 'tests', 'fixtures', 'serve-workspace.json');
const dist = process.env.RINGI_DIST || path.join(root, 'dist');
/** A skip reason when the engine is not built, else false. */
export const skipWithoutEngine = !(existsSync(path.join(dist, 'ringi-engine.wasm')) || existsSync(path.join(root, 'build-wasm', 'ringi-engine.wasm')))
  && 'dist/ringi-engine.wasm missing (run `npm run build`)';

/** @type {Set<import('node:child_process').ChildProcess>} */
const procs = new Set();
/** SIGKILL every process these helpers started and that still runs (an `after` hook). */
export function killAll() {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}

/**
 * Run `ringi <args>` to its end. @param {string[]} args @param {Record<string,string>} [env]
 * @returns {Promise<{code: number|null, signal: string|null, output: string}>}
 */
export function runRingi(args, env = {}) {
  const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  procs.add(proc);
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  return new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, output })));
}

/** serve-with-faults.mjs: `ringi serve` whose engine traps when the test says (its header). */
export const SERVE_WITH_FAULTS = path.join(root, 'tests', 'node', 'helpers', 'serve-with-faults.mjs');

/**
 * Spawn `ringi serve --port 0 ...args` (or `script --port 0 ...args`); resolves when it printed
 * its URL, rejects (with what it printed) when it exits first. `send(line)` writes to its stdin.
 * @param {string[]} args @param {Record<string,string>} [env] @param {{script?: string}} [o]
 */
export function startServer(args, env = {}, { script } = {}) {
  const argv = script ? [script, '--port', '0', ...args] : [BIN, 'serve', '--port', '0', ...args];
  const proc = spawn(process.execPath, argv, { stdio: [script ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  procs.add(proc);
  let out = '';
  let ready = false;
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /Ringi listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m && !ready) {
        ready = true;
        const port = Number(m[1]);
        resolve({ proc, port, baseUrl: `http://localhost:${port}`, exited, output: () => out, send: (/** @type {string} */ line) => proc.stdin?.write(`${line}\n`) });
      }
    });
    proc.stderr.on('data', (d) => { out += d; });
    exited.then((e) => { if (!ready) reject(Object.assign(new Error(`server exited ${JSON.stringify(e)}:\n${out}`), { output: out, exit: e })); });
  });
}

/**
 * One HTTP request without a client library.
 * @param {number} port
 * @param {{method?: string, path?: string, headers?: Record<string,string>, body?: string|Buffer}} [o]
 * @returns {Promise<{status: number|undefined, headers: import('node:http').IncomingHttpHeaders, text: string, json: any}>}
 */
export function raw(port, { method = 'GET', path: p = '/', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers, agent: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: data, json: (() => { try { return JSON.parse(data); } catch { return undefined; } })() }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** X-Cybozu-Authorization for `login` (any password). @param {string} login */
export const basicAuth = (login) => ({ 'x-cybozu-authorization': Buffer.from(`${login}:x`).toString('base64') });
