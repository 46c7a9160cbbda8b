// Shared set-up for the browser tests: the static server (scripts/static-server.mjs), Debian's chromium through
// playwright-core (persistent profile, so IndexedDB survives reloads), and small page helpers.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from '../../scripts/static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.RINGI_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Fails loudly when dist/ has not been built (npm test builds it first). */
export function requireDist() {
  const dist = process.env.RINGI_DIST || path.join(root, 'dist');
  for (const f of ['ringi.js', 'worker.js', 'ringi-engine.js', 'ringi-engine.wasm']) {
    if (!existsSync(path.join(dist, f))) throw new Error(`${path.join(dist, f)} is missing: run \`npm run build\` first`);
  }
}

/** Server + persistent chromium context. Call `env.close()` in an after() hook. */
export async function setup() {
  requireDist();
  // As `npm start` mounts them (web/demo at /, dist/ at /dist/), plus /tests/ for the test pages.
  const server = await serveStatic({
    mounts: [['/dist/', process.env.RINGI_DIST || path.join(root, 'dist')], ['/tests/', path.join(root, 'tests')], ['/', path.join(root, 'web', 'demo')]],
    // The test Service Worker may also be registered for the whole site (sw-navigation.test.mjs).
    headers: (p) => (p === '/tests/browser/pages/sw/ringi-sw.js' ? { 'service-worker-allowed': '/' } : {}),
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'ringi-chromium-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS });
  const errors = [];
  context.on('weberror', (e) => errors.push(String(e.error())));
  return {
    server, context, errors,
    /** A page on the blank test harness (same origin as /dist/). */
    async page(url = '/tests/browser/pages/harness.html') {
      const p = await context.newPage();
      p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await p.goto(server.url + url);
      return p;
    },
    async close() {
      await context.close().catch(() => {});
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Open Ringi in the page (worker + IndexedDB by default) and expose it as window.kintone. */
export async function openRingi(page, opts = {}) {
  await page.evaluate(async (o) => {
    const { createKintone } = await import('/dist/ringi.js');
    const k = await createKintone({ worker: true, storage: 'indexeddb', database: 'ringi-test', ...o });
    k.install();
    window.__progress = [];
    k.ringi.on('progress', (p) => window.__progress.push(p));
  }, opts);
}

/**
 * createKintone in `page` (on /tests/browser/pages/sw/) with the engine in a worker and the test
 * Service Worker (pages/sw/ringi-sw.js) answering the page's HTTP requests; installs `kintone`.
 * @param {{user?: string, database?: string, origins?: string[]}} [o]
 */
export async function openWithServiceWorker(page, o = {}) {
  await page.evaluate(async ({ user, database, origins }) => {
    const { createKintone } = await import('/dist/ringi.js');
    const k = await createKintone({
      user, worker: true, storage: 'indexeddb', database,
      serviceWorker: { url: '/tests/browser/pages/sw/ringi-sw.js', scope: '/tests/browser/pages/sw/', ...(origins ? { origins } : {}) },
    });
    k.install();
  }, { user: 'Administrator', database: 'sw-test', ...o });
}

/** Rows of one object store, read in the page. */
export function readStore(page, store, database = 'ringi-test') {
  return page.evaluate(([s, db]) => new Promise((resolve, reject) => {
    const r = indexedDB.open(db);
    r.onsuccess = () => {
      const g = r.result.transaction(s, 'readonly').objectStore(s).getAll();
      g.onsuccess = () => { resolve(g.result); r.result.close(); };
      g.onerror = () => reject(g.error);
    };
    r.onerror = () => reject(r.error);
  }), [store, database]);
}

export async function waitFor(fn, { timeout = 60000, interval = 50 } = {}) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeout) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, interval));
  }
}
