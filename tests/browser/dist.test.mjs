// dist/worker.js is both the engine's module Worker and the engine side as a library (the
// in-process transport, tests, benchmarks). It must serve only when it is the worker's own script:
// imported into another worker or a page, it only exports.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup } from './helpers.mjs';
import { approvalWorkspace } from '../fixtures/workspaces.mjs';

let env, page;
before(async () => {
  env = await setup();
  page = await env.page();
});
after(() => env?.close());

test('a worker that imports dist/worker.js gets its exports, and no engine answers on it', async () => {
  const r = await page.evaluate(async () => {
    const src = `import * as ringi from '${location.origin}/dist/worker.js';
      onmessage = (e) => postMessage({ echo: e.data });
      postMessage({ exports: Object.keys(ringi).sort() });`;
    const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
    const messages = [];
    const done = new Promise((resolve, reject) => {
      w.onerror = (e) => reject(new Error(e.message));
      w.onmessage = (e) => { messages.push(e.data); if (e.data.echo) resolve(); };
    });
    // Had worker.js served here, it would have posted `ready` and answered this request.
    setTimeout(() => w.postMessage({ id: 1, type: 'open', database: 'dist-import', storage: 'memory' }), 50);
    await done;
    w.terminate();
    return messages;
  });
  assert.equal(r.length, 2, JSON.stringify(r));
  assert.deepEqual(r[0].exports, ['Host', 'IndexedDBStorage', 'MAX_JOURNAL_ROWS', 'MemoryStorage', 'createEndpoint',
    'createInProcessTransport', 'createStorage', 'loadEngine', 'readyMessage']);
  assert.equal(r[1].echo.type, 'open');
});

test('a page with worker: false runs the engine in-process from dist/worker.js and leaves window.onmessage alone', async () => {
  const r = await page.evaluate(async (ws) => {
    const { createKintone } = await import('/dist/ringi.js');
    const k = await createKintone({ worker: false, storage: 'indexeddb', database: 'dist-inprocess', user: 'sato' });
    await k.ringi.load(ws);
    const before = await k.api('/k/v1/record.json', 'GET', { app: 1, id: 1 });
    const status = await k.api('/k/v1/record/status.json', 'PUT', { app: 1, id: 1, action: 'Approve' });
    const record = await k.api('/k/v1/record.json', 'GET', { app: 1, id: 1 });
    const loaded = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.startsWith('/dist/'));
    await k.ringi.close();
    return { status, before: before.record.$revision.value, revision: record.record.$revision.value,
      statusBefore: before.record.Status.value, statusAfter: record.record.Status.value, onmessage: window.onmessage, loaded };
  }, approvalWorkspace(2));
  assert.deepEqual(r.status, { revision: String(Number(r.before) + 2) });  // status and assignee
  assert.equal(r.revision, r.status.revision);
  assert.notEqual(r.statusAfter, r.statusBefore);
  assert.equal(r.onmessage, null);
  assert.ok(r.loaded.includes('/dist/worker.js'), r.loaded.join());
  assert.ok(!r.loaded.some((p) => /\/dist\/(host|server|inprocess|storage\/)/.test(p)), r.loaded.join());
});
