// Ringi Service Worker: lets ANY HTTP client in the page — XMLHttpRequest (kintone's doc examples),
// fetch, @kintone/rest-api-client — reach the engine, from the page and from its workers.
// A classic script with no imports, so it can be registered directly or pulled into a service
// worker at another path with `importScripts('/dist/service-worker.js')`.
//
// Registered by createKintone({serviceWorker: true | {url, scope, origins}}) (web/src/http/sw-page.js);
// configuration travels in the script URL: `service-worker.js?origins=https%3A%2F%2Fa.cybozu.com,...`
// (kintone origins to answer besides the page's own; a new list = a new script URL = an update).
//
// ── Design decision: the Service Worker owns NO engine ────────────────────────────────────────
// It is a forwarder. Each intercepted request is serialized ({method, url, headers, body text}),
// posted with a MessageChannel port to a *host page* — a window client that called createKintone
// with `serviceWorker` and announced itself ({type: 'ringi:host'}) — and answered with what that
// page sends back on the port ({status, headers, body}). The page answers with web/src/http/handler.js on
// its existing engine host (its Web Worker), with its session user and request token. So:
//   - single writer: the only engines are the pages' workers; they already take turns on the
//     database under the Web Lock `ringi:<database>` with the generation check (engine/host.js), so two
//     tabs, and requests arriving through this worker, never lose updates;
//   - the Service Worker can be stopped and restarted by the browser at any time: it keeps no
//     state but the list of host client ids, which it also stores in Cache Storage
//     (cache `ringi-sw`), so it finds the hosts again after a restart.
// Which host: the requesting client when it is a host (a page's own XHR), else the host that
// announced itself last and still exists (requests from a page's workers, or from pages that did
// not create an engine). No live host: 503 RINGI_WK01. If the chosen page goes away before it
// answers: 503 RINGI_WK01. A synchronous XHR from the host page itself cannot be answered (its
// thread is blocked): use async XHR.
//
// ── What is intercepted ───────────────────────────────────────────────────────────────────────
// Requests from controlled clients (pages in the scope, and their workers) whose URL is on the
// page's origin or a configured origin and whose path is /k/v1/*, /k/guest/{space}/v1/*,
// /v1/*.json or /batch_approvals/*. Everything else is not touched (respondWith is not called),
// and so are navigations (request.mode 'navigate': a link, a typed URL, a form posted from
// another site, an iframe): a visit is not an API call, and answering one would let any site
// that can navigate a tab drive the engine as the page's session user.
// Answers for another origin carry Access-Control-Allow-Origin (the requesting origin) and
// Access-Control-Expose-Headers so the page can read them.
//
// ── Messages ──────────────────────────────────────────────────────────────────────────────────
//   page → SW   {type: 'ringi:host', on: boolean}   + port: ack {ok: true}
//   SW → page   {type: 'ringi:http', request: {method, url, headers, body}} + port:
//               the page answers {status, headers, body} on the port
/* eslint-env serviceworker */
/* global self, clients, caches */
(function ringiServiceWorker() {
  'use strict';

  const CACHE = 'ringi-sw';
  const HOSTS_KEY = new URL('__ringi-sw-hosts', self.registration.scope).href;
  const MAX_BODY_BYTES = 8 * 1024 * 1024;

  const params = new URLSearchParams(self.location.search);
  const ORIGINS = (params.get('origins') || '').split(',').map((s) => s.trim()).filter(Boolean).map((o) => {
    try { return new URL(o).origin; } catch (e) { return o.replace(/\/+$/, ''); }
  });

  /** @type {Map<string, number>} host client id -> when it announced itself */
  const hosts = new Map();
  let loaded = null;

  function loadHosts() {
    if (!loaded) {
      loaded = caches.open(CACHE).then((c) => c.match(HOSTS_KEY)).then((r) => (r ? r.json() : [])).then((list) => {
        for (const [id, at] of list) if (!hosts.has(id)) hosts.set(id, at);
      }).catch(() => {});
    }
    return loaded;
  }

  function saveHosts() {
    return caches.open(CACHE).then((c) => c.put(HOSTS_KEY, new Response(JSON.stringify([...hosts]), { headers: { 'content-type': 'application/json' } }))).catch(() => {});
  }

  function isRingiPath(p) {
    return /^\/k\/v1\//.test(p) || /^\/k\/guest\/[^/]+\/v1\//.test(p) || /^\/v1\/[^?]*\.json$/.test(p) || /^\/batch_approvals\//.test(p);
  }

  function errorId() {
    const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const b = new Uint8Array(20);
    self.crypto.getRandomValues(b);
    let s = '';
    for (const x of b) s += a[x % a.length];
    return s;
  }

  function errorReply(status, code, message) {
    return {
      status,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-concurrencylimit-limit': '100',
        'x-concurrencylimit-running': '1',
        'x-cybozu-error': code,
      },
      body: JSON.stringify({ code, id: errorId(), message }),
    };
  }
  const unavailable = () => errorReply(503, 'RINGI_WK01', 'The engine is not available.');

  async function pickHost(clientId) {
    await loadHosts();
    if (clientId && hosts.has(clientId)) {
      const c = await clients.get(clientId);
      if (c) return c;
    }
    const order = [...hosts].sort((a, b) => b[1] - a[1]);
    let changed = false;
    for (const [id] of order) {
      const c = await clients.get(id);
      if (c) {
        if (changed) await saveHosts();
        return c;
      }
      hosts.delete(id);
      changed = true;
    }
    if (changed) await saveHosts();
    return null;
  }

  function forward(client, request) {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      let done = false;
      const finish = (v) => { if (!done) { done = true; ch.port1.close(); resolve(v); } };
      ch.port1.onmessage = (e) => finish(e.data);
      try {
        client.postMessage({ type: 'ringi:http', request }, [ch.port2]);
      } catch (e) {
        finish(unavailable());
        return;
      }
      // The page may be closed or navigated away while it works on the request.
      const watch = () => {
        if (done) return;
        clients.get(client.id).then((c) => { if (!c) finish(unavailable()); else setTimeout(watch, 1000); }, () => finish(unavailable()));
      };
      setTimeout(watch, 1000);
    });
  }

  async function answer(event, url) {
    const req = event.request;
    /** @type {Record<string, string>} */
    const headers = {};
    req.headers.forEach((v, k) => { headers[k.toLowerCase()] = v; });
    let reply;
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      reply = errorReply(413, 'RINGI_HT03', 'The request body is too large.');
    } else {
      const body = req.method === 'GET' || req.method === 'HEAD' ? null : await req.text();
      const host = await pickHost(event.clientId || event.resultingClientId);
      reply = host ? await forward(host, { method: req.method, url: req.url, headers, body }) : unavailable();
    }
    if (!reply || typeof reply.status !== 'number') reply = unavailable();
    const out = new Headers(reply.headers || {});
    if (url.origin !== self.location.origin) {
      const origin = headers.origin || self.location.origin;
      out.set('access-control-allow-origin', origin);
      out.set('access-control-allow-credentials', 'true');
      out.set('access-control-expose-headers', 'X-ConcurrencyLimit-Limit, X-ConcurrencyLimit-Running, X-Cybozu-Error');
      out.append('vary', 'Origin');
    }
    const nullBody = reply.status === 204 || reply.status === 304 || req.method === 'HEAD';
    return new Response(nullBody ? null : reply.body, { status: reply.status, headers: out });
  }

  self.addEventListener('install', () => { self.skipWaiting(); });
  self.addEventListener('activate', (event) => { event.waitUntil(self.clients.claim()); });

  self.addEventListener('message', (event) => {
    const d = event.data;
    if (!d || d.type !== 'ringi:host' || !event.source) return;
    const id = event.source.id;
    event.waitUntil(loadHosts().then(() => {
      if (d.on === false) hosts.delete(id); else hosts.set(id, Date.now());
      return saveHosts();
    }).then(() => { if (event.ports[0]) event.ports[0].postMessage({ ok: true, origins: ORIGINS }); }));
  });

  self.addEventListener('fetch', (event) => {
    if (event.request.mode === 'navigate') return;
    let url;
    try { url = new URL(event.request.url); } catch (e) { return; }
    if (url.origin !== self.location.origin && !ORIGINS.includes(url.origin)) return;
    if (!isRingiPath(url.pathname)) return;
    event.respondWith(answer(event, url).catch(() => {
      const r = unavailable();
      return new Response(r.body, { status: r.status, headers: r.headers });
    }));
  });
}());
