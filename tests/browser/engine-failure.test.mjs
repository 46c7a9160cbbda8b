// A failed engine call in the Web Worker with IndexedDB (web/src/engine/host.js "A failed engine"): a
// trap in the middle of a write answers RINGI_EN02 and keeps nothing; the worker's host makes a
// new instance restored from IndexedDB; the writes after it survive the tab being closed and the
// database being opened again by a plain worker.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openRingi } from './helpers.mjs';
import { approvalWorkspace } from '../fixtures/workspaces.mjs';

let env;
before(async () => { env = await setup(); });
after(() => env?.close());

test('worker + IndexedDB: a trap mid-write is RINGI_EN02; later writes are kept across a closed tab', async () => {
  const page = await env.page();
  const missing = [];
  page.on('response', (r) => { if (r.status() === 404) missing.push(r.url()); });
  await openRingi(page, { user: 'sato', database: 'fault', workerUrl: '/tests/browser/pages/fault-worker.js' });
  await page.evaluate((ws) => kintone.ringi.load(ws), approvalWorkspace(5));
  const out = await page.evaluate(async () => {
    const channel = new BroadcastChannel('ringi-test-fault');
    await new Promise((resolve) => { channel.onmessage = resolve; channel.postMessage({ kind: 1, arg: 0 }); });
    const r = {};
    try {
      await kintone.api('/k/v1/record/status', 'PUT', { app: 1, id: 1, action: 'Approve' });
    } catch (e) {
      r.error = e;
    }
    r.afterTrap = (await kintone.api('/k/v1/record', 'GET', { app: 1, id: 1 })).record;
    r.status = await kintone.api('/k/v1/record/status', 'PUT', { app: 1, id: 1, action: 'Approve' });
    r.add = await kintone.api('/k/v1/record', 'POST', { app: 1, record: { title: { value: 'after the trap' } } });
    return r;
  });
  assert.equal(out.error?.code, 'RINGI_EN02');
  assert.match(out.error.message, /nothing of the request was saved/);
  assert.equal(out.afterTrap.Status.value, 'Waiting', 'the new instance was restored from IndexedDB');
  assert.equal(out.afterTrap.$revision.value, '3');
  assert.deepEqual(out.status, { revision: '5' });
  assert.deepEqual(out.add, { id: '6', revision: '1' });
  await page.close();  // the worker ends with the tab, without a clean close

  const again = await env.page();
  await openRingi(again, { user: 'sato', database: 'fault' });
  const seen = await again.evaluate(async () => ({
    one: (await kintone.api('/k/v1/record', 'GET', { app: 1, id: 1 })).record.Status.value,
    six: (await kintone.api('/k/v1/record', 'GET', { app: 1, id: 6 })).record.title.value,
  }));
  assert.deepEqual(seen, { one: 'Approved', six: 'after the trap' });
  await again.close();
  assert.deepEqual(missing, []);
});
