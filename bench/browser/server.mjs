// Static server for the benchmarks: /dist/ (the shipped bundle, as `npm start` serves it) and
// /bench/ (bench pages, workers and bench/node/workload.mjs). 127.0.0.1, a free port.
// onRequest(path) sees every request path (run.mjs: which dist/ files a cold page loads).
// `cache-control: no-store` like the test server: every new page fetches and compiles the engine
// again (the cold-start figure is the worst case: no HTTP cache, no cached wasm code).
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm' };

export function startServer({ dist = path.join(root, 'dist'), onRequest = null } = {}) {
  const mounts = [['/dist/', dist], ['/bench/', path.join(root, 'bench')]];
  const server = createServer(async (req, res) => {
    const p = decodeURIComponent(new URL(req.url || '/', 'http://x').pathname);
    onRequest?.(p);
    for (const [prefix, dir] of mounts) {
      if (!p.startsWith(prefix)) continue;
      const file = path.resolve(dir, '.' + path.sep + p.slice(prefix.length));
      if (!file.startsWith(dir + path.sep)) break;
      try {
        const st = await stat(file);
        if (!st.isFile()) break;
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'content-length': st.size, 'cache-control': 'no-store' });
        createReadStream(file).pipe(res);
        return;
      } catch { break; }
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
