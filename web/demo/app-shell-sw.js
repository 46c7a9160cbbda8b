// The demo's app shell, for a reload with the network off: the page, its scripts and styles, and
// Ringi's scripts and wasm, kept in the Cache API. Network first, so a new version is what the
// next reload shows (and is cached); the cache answers only when the network does not. The data
// itself is in IndexedDB, which needs nothing from here. Requests for anything else (the tests'
// pages, other paths) are left alone.
const CACHE = 'ringi-demo-shell-v1';
const SHELL = [
  './', 'index.html', 'demo.css', 'demo.js', 'demo-workspace.js', 'i18n.js', 'task-view.js',
  'batch-csv.js', 'batch-log.js', 'record-dialog.js',
  '../dist/ringi.js', '../dist/worker.js', '../dist/ringi-engine.js', '../dist/ringi-engine.wasm',
].map((p) => new URL(p, self.registration.scope).href);
const SHELL_SET = new Set(SHELL);

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

/** The shell entry a request stands for: the page itself for any navigation to the scope. */
function shellKey(request) {
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  if (request.mode === 'navigate' && url.href === self.registration.scope) return url.href;
  return SHELL_SET.has(url.href) ? url.href : null;
}

self.addEventListener('fetch', (event) => {
  const key = event.request.method === 'GET' ? shellKey(event.request) : null;
  if (!key) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(event.request);
      if (response.ok) await cache.put(key, response.clone());
      return response;
    } catch (e) {
      const cached = await cache.match(key);
      if (cached) return cached;
      throw e;
    }
  })());
});
