// tests/spec/scenarios.mjs (seed 003 and seed 000, written once) over the two browser transports,
// in Chromium: kintone.api to the engine in a Web Worker, and plain fetch() from the page through
// Ringi's Service Worker (the user picked by X-Cybozu-Authorization, as over HTTP). The in-process
// and `ringi serve` transports run the same scenarios in tests/node/spec.test.mjs.
import test, { before, after } from 'node:test';
import { setup, openWithServiceWorker } from './helpers.mjs';
import { SCENARIOS } from '../spec/scenarios.mjs';
import { fixture } from '../fixtures/workspaces.mjs';

let env, page;
before(async () => {
  env = await setup();
  page = await env.page('/tests/browser/pages/sw/');
  await openWithServiceWorker(page, { database: 'spec' });
});
after(() => env?.close());

/** A fresh copy of the scenario's fixture, acting as its user. */
const fresh = (s) => page.evaluate(async ([ws, user]) => {
  await kintone.ringi.load(ws);
  await kintone.ringi.setUser(user);
}, [fixture(s.fixture), s.user]);

const viaKintoneApi = (method, path, body) => page.evaluate(async ([m, p, b]) => {
  try {
    return { ok: true, body: await kintone.api(p, m, b ?? {}) };
  } catch (e) {
    return { ok: false, body: e };
  }
}, [method, path, body]);

const viaFetch = (user) => (method, path, body) => page.evaluate(async ([m, p, b, u]) => {
  const headers = { 'X-Cybozu-Authorization': btoa(`${u}:x`) };
  if (b !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(p, { method: m, headers, body: b === undefined ? undefined : JSON.stringify(b) });
  return { ok: r.status < 400, body: await r.json() };  // the static server would answer text: the SW did
}, [method, path, body, user]);

for (const s of SCENARIOS) {
  test(`worker: ${s.name}`, async () => {
    await fresh(s);
    await s.run(viaKintoneApi);
  });
  test(`Service Worker: ${s.name}`, async () => {
    await fresh(s);
    await s.run(viaFetch(s.user));
  });
}
