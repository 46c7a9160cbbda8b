// @ts-check
// The one static file server: the demo (`npm start`), the browser tests and the benchmarks each
// serve their folders with it. No dependencies.
//   node scripts/static-server.mjs    the demo: web/demo/ at /, dist/ at /dist/, on
//                                     127.0.0.1:${PORT:-8080}
// Correct MIME types (application/wasm for .wasm, so WebAssembly.compileStreaming works;
// text/javascript for .js/.mjs, so module workers load), `cache-control: no-store` (every new page
// fetches and compiles the engine again: the benchmarks' cold start is the worst case), no
// `../` escapes, directories answered by their index.html. No threads in the engine, so no
// COOP/COEP headers are needed.
import { createServer } from 'node:http';
import { createReadStream, realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The file a URL path names under the first mount that has it.
 * @param {[string, string][]} mounts @param {string} urlPath
 * @returns {Promise<{file: string, size: number}|{redirect: string}|null>}
 */
async function resolve(mounts, urlPath) {
  let decoded;
  try { decoded = decodeURIComponent(urlPath); } catch { return null; }
  if (decoded.includes('\0')) return null;
  for (const [prefix, dir] of mounts) {
    if (!decoded.startsWith(prefix) && decoded + '/' !== prefix) continue;
    const rel = decoded.slice(Math.min(prefix.length, decoded.length));
    const file = path.resolve(dir, '.' + path.sep + rel);
    if (file !== dir && !file.startsWith(dir + path.sep)) return null;  // no ../ escapes
    try {
      const st = await stat(file);
      if (st.isDirectory()) {
        if (!decoded.endsWith('/')) return { redirect: decoded + '/' };
        const index = path.join(file, 'index.html');
        const ist = await stat(index).catch(() => null);
        return ist?.isFile() ? { file: index, size: ist.size } : null;
      }
      if (st.isFile()) return { file, size: st.size };
    } catch { /* the next mount */ }
  }
  return null;
}

/**
 * Serves `mounts` ([URL prefix, folder], first match wins) until close().
 * @param {{mounts: [string, string][], port?: number, host?: string,
 *   onRequest?: (path: string) => void, headers?: (path: string) => Record<string, string>}} o
 *   onRequest sees every request's path; headers adds headers to a file's answer
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>}
 */
export async function serveStatic({ mounts, port = 0, host = '127.0.0.1', onRequest, headers }) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url || '/', 'http://localhost');
    onRequest?.(url.pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    const hit = await resolve(mounts, url.pathname);
    if (!hit) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    if ('redirect' in hit) {
      res.writeHead(301, { location: hit.redirect + url.search }).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[/** @type {keyof TYPES} */ (path.extname(hit.file).toLowerCase())] || 'application/octet-stream',
      'content-length': hit.size,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers?.(url.pathname),
    });
    if (req.method === 'HEAD') { res.end(); return; }
    createReadStream(hit.file).pipe(res);
  });
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done(undefined));
  });
  const { port: bound } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r(undefined)); }),
  };
}

const invoked = (() => { try { return realpathSync(process.argv[1] || ''); } catch { return ''; } })();
if (invoked === realpathSync(fileURLToPath(import.meta.url))) {
  const { url } = await serveStatic({
    mounts: [['/dist/', path.join(ROOT, 'dist')], ['/', path.join(ROOT, 'web', 'demo')]],
    port: Number(process.env.PORT || 8080),
  });
  console.log(`Ringi demo: ${url}/  (engine and library under /dist/)`);
}
