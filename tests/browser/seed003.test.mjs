// Seed 003's kintone.api examples, verbatim, against a matching workspace, in the worker.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openRingi } from './helpers.mjs';
import { seed003Workspace } from '../fixtures/workspaces.mjs';

let env, page;
before(async () => {
  env = await setup();
  page = await env.page();
  await openRingi(page, { user: 'Administrator', database: 'seed003' });
});
after(() => env?.close());

/** Runs `snippet` (the doc's code, unchanged) with console.log captured; returns the first log. */
async function runExample(snippet) {
  return page.evaluate(async ([ws, code]) => {
    await kintone.ringi.load(ws);
    return new Promise((resolve) => {
      const console = { log: (v) => resolve(JSON.parse(JSON.stringify(v))) };
      // eslint-disable-next-line no-new-func
      new Function('console', code)(console);
    });
  }, [seed003Workspace(), snippet]);
}

test('seed 003: PUT /k/v1/record/status (single) -> {"revision":"3"}', async () => {
  const out = await runExample(`
var body = {
    "app": 1,
    "id": 1001,
    "action": "申请",
    "assignee": "user1",
}
kintone.api(kintone.api.url('/k/v1/record/status', true), 'PUT', body, function(resp) {
    //success
    console.log(resp);
}, function(error) {
    //error
    console.log(error);
});`);
  assert.deepEqual(out, { revision: '3' });
});

test('seed 003: PUT /k/v1/records/status (bulk) -> ids with revisions 3, 9, 7', async () => {
  const out = await runExample(`
var body = {
    "app": 1,
    "records": [
        {
            "id": 1001,
            "action": "申请",
            "assignee": "user2",
            "revision": 1
        },
        {
            "id": 1002,
            "action": "批准"
        },
        {
            "id": 1003,
            "action": "拒绝",
            "revision": 5
        }
    ]
}
kintone.api(kintone.api.url('/k/v1/records/status', true), 'PUT', body, function(resp) {
    //success
    console.log(resp);
}, function(error) {
    //error
    console.log(error);
});`);
  assert.deepEqual(out, { records: [{ id: '1001', revision: '3' }, { id: '1002', revision: '9' }, { id: '1003', revision: '7' }] });
});

test('seed 003: the same single example twice -> the second gets a kintone error object', async () => {
  const second = await page.evaluate(async () => {
    const body = { app: 1, id: 1002, action: '批准' };
    return new Promise((resolve) => {
      kintone.api(kintone.api.url('/k/v1/record/status', true), 'PUT', body, (r) => resolve({ ok: r }), (e) => resolve({ error: e, isError: e instanceof Error, keys: Object.keys(e) }));
    });
  });
  assert.ok(second.error, JSON.stringify(second));
  assert.equal(second.isError, false);
  assert.equal(typeof second.error.code, 'string');
  assert.equal(typeof second.error.id, 'string');
  assert.equal(typeof second.error.message, 'string');
  assert.ok(second.keys.every((k) => ['code', 'id', 'message', 'errors'].includes(k)));
});
