// The Service Worker transport in Chromium: plain HTTP clients in a controlled page reach the
// page's engine — seed 003's XMLHttpRequest examples verbatim (hard-coded kintone URLs, configured
// as origins), the @kintone/rest-api-client browser bundle with session auth, a page's worker —
// with kintone's headers; the request-token rule; auth headers pick the user; other requests
// pass through untouched.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setup, openWithServiceWorker } from './helpers.mjs';
import { seed003Workspace } from '../fixtures/workspaces.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const UMD = path.join(root, 'node_modules', '@kintone', 'rest-api-client', 'umd', 'KintoneRestAPIClient.min.js');

let env, page;
before(async () => {
  env = await setup();
  page = await env.page('/tests/browser/pages/sw/');
  // The origins seed 003's examples hard-code (sic: one says {subomain}).
  await openWithServiceWorker(page, { origins: ['https://{subdomain}.cybozu.cn', 'https://{subomain}.cybozu.cn'] });
});
after(() => env?.close());

const reload = () => page.evaluate((ws) => kintone.ringi.load(ws), seed003Workspace());

/** Runs seed code (unchanged) with console.log captured; resolves with the first logged value. */
function runExample(code) {
  return page.evaluate((c) => new Promise((resolve) => {
    const console = { log: (v) => resolve(JSON.parse(JSON.stringify(v))) };
    // eslint-disable-next-line no-new-func
    new Function('console', c)(console);
  }), code);
}

/** fetch in the page: {status, headers (selected), json}. */
function pageFetch(url, init = {}) {
  return page.evaluate(async ([u, i]) => {
    const r = await fetch(u, i);
    const text = await r.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    const h = {};
    for (const k of ['content-type', 'x-concurrencylimit-limit', 'x-concurrencylimit-running', 'x-cybozu-error']) h[k] = r.headers.get(k);
    return { status: r.status, headers: h, json, text };
  }, [url, init]);
}

const revisionOf = async (id) => (await page.evaluate((i) => kintone.api('/k/v1/record', 'GET', { app: 1, id: i }), id)).record.$revision.value;

test('the page is controlled once createKintone({serviceWorker}) resolves', async () => {
  assert.equal(await page.evaluate(() => !!navigator.serviceWorker.controller), true);
  assert.equal(typeof (await page.evaluate(() => kintone.getRequestToken())), 'string');
});

test('seed 003: the XMLHttpRequest example for PUT /k/v1/record/status.json, verbatim', async () => {
  await reload();
  const out = await runExample(`
var body = {
    "app": 1,
    "id": 1001,
    "action": "申请",
    "assignee": "user1",
    // CSRF TOKEN: 在kintone中执行API(POST, PUT, DELETE)时需要设置
    "__REQUEST_TOKEN__": kintone.getRequestToken()
};

var url = 'https://{subdomain}.cybozu.cn/k/v1/record/status.json';
var xhr = new XMLHttpRequest();
xhr.open('PUT', url);
xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
xhr.setRequestHeader('Content-Type', 'application/json');
xhr.onload = function() {
    if (xhr.status === 200) {
        // success
        console.log(JSON.parse(xhr.responseText));
    } else {
        // error
        console.log(JSON.parse(xhr.responseText));
    }
};
xhr.send(JSON.stringify(body));`);
  assert.deepEqual(out, { revision: '3' });
});

test('seed 003: the XMLHttpRequest example for PUT /k/v1/records/status.json, verbatim', async () => {
  await reload();
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
    ],
     // CSRF TOKEN: 在kintone中执行API(POST, PUT, DELETE)时需要设置
    "__REQUEST_TOKEN__": kintone.getRequestToken()
};

var url = 'https://{subomain}.cybozu.cn/k/v1/records/status.json';
var xhr = new XMLHttpRequest();
xhr.open('PUT', url);
xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
xhr.setRequestHeader('Content-Type', 'application/json');
xhr.onload = function() {
    if (xhr.status === 200) {
        // success
        console.log(JSON.parse(xhr.responseText));
    } else {
        // error
        console.log(JSON.parse(xhr.responseText));
    }
};
xhr.send(JSON.stringify(body));`);
  assert.deepEqual(out, { records: [{ id: '1001', revision: '3' }, { id: '1002', revision: '9' }, { id: '1003', revision: '7' }] });
  // The same example again: the XHR's error branch gets kintone's error object.
  const again = await runExample(`
var xhr = new XMLHttpRequest();
xhr.open('PUT', 'https://{subomain}.cybozu.cn/k/v1/records/status.json');
xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
xhr.setRequestHeader('Content-Type', 'application/json');
xhr.onload = function() { console.log({status: xhr.status, error: xhr.getResponseHeader('X-Cybozu-Error'), body: JSON.parse(xhr.responseText)}); };
xhr.send(JSON.stringify({app: 1, records: [{id: 1002, action: "批准"}], __REQUEST_TOKEN__: kintone.getRequestToken()}));`);
  assert.equal(again.status, 400);
  assert.equal(again.error, 'GAIA_IL03');
  assert.equal(again.body.code, 'GAIA_IL03');
  assert.deepEqual(Object.keys(again.body).sort(), ['code', 'id', 'message']);
});

test('@kintone/rest-api-client browser bundle, session auth, in the controlled page', async () => {
  await reload();
  await page.addScriptTag({ path: UMD });
  const r = await page.evaluate(async () => {
    const NS = window.KintoneRestAPIClient;
    const Client = NS.KintoneRestAPIClient || NS;
    const client = new Client();   // session auth, baseUrl = location.origin
    const out = {};
    out.get = (await client.record.getRecord({ app: 1, id: 1002 })).record.状态.value;
    out.query = (await client.record.getRecords({ app: 1, query: '状态 in ("审批中") order by $id asc', fields: ['$id'], totalCount: true }));
    out.status = await client.record.updateRecordStatus({ app: 1, id: 1001, action: '申请', assignee: 'user1' });
    out.statuses = await client.record.updateRecordsStatus({ app: 1, records: [{ id: 1002, action: '批准' }, { id: 1003, action: '拒绝', revision: 5 }] });
    try {
      await client.record.updateRecordStatus({ app: 1, id: 1002, action: '批准', revision: 1 });
    } catch (e) {
      out.error = { name: e.name, status: e.status, code: e.code, message: e.message };
    }
    const added = await client.record.addRecord({ app: 1, record: { 标题: { value: 'to delete' } } });
    out.deleted = await client.record.deleteRecords({ app: 1, ids: [added.id] });  // token in the query
    try { await client.record.getRecord({ app: 1, id: added.id }); } catch (e) { out.afterDelete = e.code; }
    return out;
  });
  assert.equal(r.get, '审批中');
  assert.deepEqual(r.query.records.map((x) => x.$id.value), ['1002', '1003']);
  assert.equal(r.query.totalCount, '2');
  assert.deepEqual(r.status, { revision: '3' });
  assert.deepEqual(r.statuses, { records: [{ id: '1002', revision: '9' }, { id: '1003', revision: '7' }] });
  assert.equal(r.error.name, 'KintoneRestAPIError');
  assert.equal(r.error.status, 409);
  assert.equal(r.error.code, 'GAIA_CO02');
  assert.deepEqual(r.deleted, {});
  assert.equal(r.afterDelete, 'GAIA_RE01');
});

test('token rule: a session write without (or with a wrong) __REQUEST_TOKEN__ or X-Requested-With gets 400 CB_IL02 and changes nothing', async () => {
  await reload();
  const rev = await revisionOf(1001);
  const token = await page.evaluate(() => kintone.getRequestToken());
  const body = (extra) => JSON.stringify({ app: 1, id: 1001, action: '申请', assignee: 'user1', ...extra });
  const attempts = [
    { method: 'PUT', headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' }, body: body({}) },
    { method: 'PUT', headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' }, body: body({ __REQUEST_TOKEN__: 'wrong' }) },
    { method: 'PUT', headers: { 'content-type': 'application/json' }, body: body({ __REQUEST_TOKEN__: token }) },
  ];
  for (const init of attempts) {
    const r = await pageFetch('/k/v1/record/status.json', init);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.code, 'CB_IL02');
    assert.equal(r.headers['x-cybozu-error'], 'CB_IL02');
    assert.equal(typeof r.json.id, 'string');
    assert.equal(typeof r.json.message, 'string');
  }
  assert.equal(await revisionOf(1001), rev, 'nothing changed');
  // GET needs no token; every answer carries kintone's headers.
  const ok = await pageFetch('/k/v1/record.json?app=1&id=1001');
  assert.equal(ok.status, 200);
  assert.equal(ok.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(ok.headers['x-concurrencylimit-limit'], '100');
  assert.match(ok.headers['x-concurrencylimit-running'], /^\d+$/);
  assert.equal(ok.headers['x-cybozu-error'], null);
  // X-HTTP-Method-Override: GET on POST (rest-api-client's long GET).
  const long = await pageFetch('/k/v1/record.json', { method: 'POST', headers: { 'content-type': 'application/json', 'x-http-method-override': 'GET', 'x-requested-with': 'XMLHttpRequest' }, body: JSON.stringify({ app: 1, id: 1002, __REQUEST_TOKEN__: token }) });
  assert.equal(long.json.record.$id.value, '1002');
  // Non-JSON body.
  const bad = await pageFetch('/k/v1/record/status.json', { method: 'PUT', headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' }, body: '{"app":' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.code, 'CB_IJ01');
});

test('acting user: session = createKintone/setUser user; X-Cybozu-Authorization selects a user; API token = Administrator', async () => {
  await reload();
  // Record 1002 waits for Administrator (its only assignee).
  const act = (headers) => pageFetch('/k/v1/record/status.json', { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ app: 1, id: 1002, action: '批准' }) });
  const asUser1 = await act({ 'x-cybozu-authorization': btoa('user1:secret') });
  assert.equal(asUser1.status, 403);
  assert.equal(asUser1.json.code, 'GAIA_NT01');
  await page.evaluate(() => kintone.ringi.setUser('user1'));
  const token = await page.evaluate(() => kintone.getRequestToken());
  const session1 = await pageFetch('/k/v1/record/status.json', { method: 'PUT', headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' }, body: JSON.stringify({ app: 1, id: 1002, action: '批准', __REQUEST_TOKEN__: token }) });
  assert.equal(session1.json.code, 'GAIA_NT01');
  await page.evaluate(() => kintone.ringi.setUser('Administrator'));
  const asAdmin = await act({ 'x-cybozu-api-token': 'whatever' });
  assert.equal(asAdmin.status, 200);
  assert.deepEqual(asAdmin.json, { revision: '9' });
});

test("a page's worker reaches the engine through the Service Worker", async () => {
  await reload();
  const r = await page.evaluate(async () => {
    const src = `onmessage = async (e) => {
      const r = await fetch(e.data + '/k/v1/records.json?app=1&query=' + encodeURIComponent('$id >= 1002 order by $id asc') + '&fields%5B0%5D=%24id');
      postMessage({status: r.status, body: await r.json()});
    };`;
    const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
    const out = await new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); w.postMessage(location.origin); });
    w.terminate();
    return out;
  });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.records.map((x) => x.$id.value), ['1002', '1003']);
});

test('other requests pass through untouched', async () => {
  const html = await pageFetch('/tests/browser/pages/sw/index.html');
  assert.equal(html.status, 200);
  assert.match(html.text, /Pages under \/tests\/browser\/pages\/sw\//);
  const js = await pageFetch('/dist/ringi.js');
  assert.match(js.text, /PROTOCOL_VERSION/);
  // A kintone-looking path on the static server that is not a Ringi path: the server's own 404.
  const other = await pageFetch('/k/other/thing.json');
  assert.equal(other.status, 404);
  assert.equal(other.text, 'not found\n');  // the static server's own answer
});

test('two tabs on one database, both answering through the Service Worker: concurrent XHR adds lose nothing', async () => {
  const open = async () => {
    const p = await env.page('/tests/browser/pages/sw/');
    await p.evaluate(async () => {
      const { createKintone } = await import('/dist/ringi.js');
      const k = await createKintone({ user: 'Administrator', worker: true, storage: 'indexeddb', database: 'sw-test', serviceWorker: { url: '/tests/browser/pages/sw/ringi-sw.js', scope: '/tests/browser/pages/sw/', origins: ['https://{subdomain}.cybozu.cn', 'https://{subomain}.cybozu.cn'] } });
      k.install();
    });
    return p;
  };
  await reload();
  const b = await open();
  const add = (p, tag) => p.evaluate(async (t) => {
    const ids = [];
    for (let i = 0; i < 20; i++) {
      const id = await new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', '/k/v1/record.json');
        xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
        xhr.setRequestHeader('Content-Type', 'application/json');
        xhr.onload = () => (xhr.status === 200 ? resolve(JSON.parse(xhr.responseText).id) : reject(new Error(xhr.responseText)));
        xhr.send(JSON.stringify({ app: 1, record: { 标题: { value: `${t}${i}` } }, __REQUEST_TOKEN__: kintone.getRequestToken() }));
      });
      ids.push(id);
    }
    return ids;
  }, tag);
  const [ia, ib] = await Promise.all([add(page, 'A'), add(b, 'B')]);
  assert.equal(new Set([...ia, ...ib]).size, 40, 'every add got its own id');
  const count = await page.evaluate(async () => (await kintone.api('/k/v1/records', 'GET', { app: 1, query: '$id > 1003', totalCount: true })).totalCount);
  assert.equal(count, '40', 'no add was lost');
  await b.close();
});
