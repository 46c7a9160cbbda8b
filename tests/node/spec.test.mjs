// tests/spec/scenarios.mjs (seed 003 and seed 000, written once) over the two Node transports:
// kintone.api in-process (createKintone({worker: false}), the real wasm engine) and HTTP to a
// `ringi serve` process (one per scenario, started with the scenario's fixture). The Web Worker
// and the Service Worker run the same scenarios in tests/browser/spec.test.mjs.
import test, { after } from 'node:test';
import path from 'node:path';
import { SCENARIOS } from '../spec/scenarios.mjs';
import { fixture } from '../fixtures/workspaces.mjs';
import { startServer, raw, killAll, root, skipWithoutEngine as skip } from './helpers/serve-process.mjs';

after(killAll);
const { createKintone } = await import(new URL('../../dist/ringi.js', import.meta.url).href).catch(() => ({}));

/** kintone.api's answer as {ok, body}: a rejection carries kintone's error object. */
const viaKintoneApi = (k) => async (method, p, body) => {
  try {
    return { ok: true, body: await k.api(p, method, body ?? {}) };
  } catch (e) {
    return { ok: false, body: e };
  }
};

for (const s of SCENARIOS) {
  test(`in-process: ${s.name}`, { skip }, async () => {
    const k = await createKintone({ user: s.user, worker: false, storage: 'memory', database: `spec-${Math.random()}` });
    try {
      await k.ringi.load(fixture(s.fixture));
      await s.run(viaKintoneApi(k));
    } finally {
      await k.ringi.close();
    }
  });

  test(`ringi serve: ${s.name}`, { skip }, async () => {
    const srv = await startServer(['--workspace', path.join(root, 'tests', 'fixtures', s.fixture)]);
    try {
      const auth = { 'x-cybozu-authorization': Buffer.from(`${s.user}:x`).toString('base64') };
      await s.run(async (method, p, body) => {
        const r = await raw(srv.port, {
          method, path: p,
          headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { ok: r.status < 400, body: r.json };
      });
    } finally {
      srv.proc.kill('SIGTERM');
      await srv.exited;
    }
  });
}
