// Tiny static server for the demo (no dependencies): `node scripts/serve.mjs`
//   /        -> web/demo/      (index.html for directories)
//   /dist/   -> dist/          (npm run build output: ringi.js, ringi-engine.js/.wasm, ...)
// Listens on 127.0.0.1:${PORT:-8080}. Correct MIME types (application/wasm for .wasm, so
// WebAssembly.instantiateStreaming works; text/javascript for .js/.mjs, so module workers load).
// No threads in the engine, so no COOP/COEP headers are needed. Caching is disabled (dev server).
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mounts = [
  ['/dist/', path.join(root, 'dist')],
  ['/', path.join(root, 'web', 'demo')],
];
const types = {
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

async function resolve(urlPath) {
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
    } catch { /* fall through to the next mount */ }
  }
  return null;
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url || '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const hit = await resolve(url.pathname);
  if (!hit) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  if (hit.redirect) {
    res.writeHead(301, { location: hit.redirect + url.search }).end();
    return;
  }
  res.writeHead(200, {
    'content-type': types[path.extname(hit.file).toLowerCase()] || 'application/octet-stream',
    'content-length': hit.size,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') { res.end(); return; }
  createReadStream(hit.file).pipe(res);
});

const port = Number(process.env.PORT || 8080);
server.listen(port, '127.0.0.1', () => {
  const { port: p } = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(`Ringi demo: http://127.0.0.1:${p}/  (engine and library under /dist/)`);
});
