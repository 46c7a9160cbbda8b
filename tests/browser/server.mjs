// Static server for the browser tests, mounted like scripts/serve.mjs (web/demo at /, dist/ at
// /dist/) plus /tests/ for test pages. `startServer()` listens on 127.0.0.1:<free port>.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.ts': 'text/plain' };

export function startServer({ dist = process.env.RINGI_DIST || path.join(root, 'dist') } = {}) {
  const mounts = [['/dist/', dist], ['/tests/', path.join(root, 'tests')], ['/', path.join(root, 'web', 'demo')]];
  const server = createServer(async (req, res) => {
    const p = decodeURIComponent(new URL(req.url || '/', 'http://x').pathname);
    for (const [prefix, dir] of mounts) {
      if (!p.startsWith(prefix)) continue;
      let file = path.resolve(dir, '.' + path.sep + p.slice(prefix.length));
      if (file !== dir && !file.startsWith(dir + path.sep)) break;
      try {
        let st = await stat(file);
        if (st.isDirectory()) { file = path.join(file, 'index.html'); st = await stat(file); }
        /** @type {Record<string, any>} */
        const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'content-length': st.size, 'cache-control': 'no-store' };
        // The test Service Worker may also be registered for the whole site (sw-navigation.test.mjs).
        if (p === '/tests/browser/pages/sw/ringi-sw.js') headers['service-worker-allowed'] = '/';
        res.writeHead(200, headers);
        createReadStream(file).pipe(res);
        return;
      } catch { /* next mount */ }
    }
    res.writeHead(404).end('not found');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {any} */ (server.address());
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) });
    });
  });
}
