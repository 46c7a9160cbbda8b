// kintone.api facade: URL helpers, request mapping, callbacks vs promises, error objects.
import test from 'node:test';
import assert from 'node:assert/strict';
import { encodeQuery, buildRequest, parsePath, nestedDeeperThan, MAX_PARAMS_DEPTH } from '../../web/src/page/facade.js';
import { createKintone } from '../../web/src/ringi.js';
import { createFakeEngine } from './helpers/fake-engine.mjs';

const mk = async (extra = {}) => {
  const engine = createFakeEngine();
  const k = await createKintone({ worker: false, storage: 'memory', database: `facade-${Math.random()}`, engine, user: 'sato', ...extra });
  await k.ringi.load({ users: [{ code: 'sato', name: '佐藤', locale: 'ja', id: '7', email: 'sato@example.com' }] });
  return { k, engine };
};

test('kintone.ringi.opened reports what opening the database found', async () => {
  const { k } = await mk();
  assert.equal(k.ringi.opened.storage, 'memory');
  assert.equal(k.ringi.opened.restoredFrom, 'rows');
  assert.deepEqual(k.ringi.opened.restored, { users: 0, records: 0, tasks: 0, batches: 0 });
  assert.equal(k.ringi.opened.pendingBatches, false);
  const t = k.ringi.opened.timings;
  assert.deepEqual(Object.keys(t).sort(), ['engineReady', 'ready', 'restored', 'stateRead', 'storageOpen']);
  assert.ok(t.stateRead <= t.restored && t.restored <= t.ready, JSON.stringify(t));
  assert.ok(Object.isFrozen(k.ringi.opened));
  await k.ringi.close();
});

test('urlForGet uses qs-style bracket encoding', () => {
  assert.equal(encodeQuery({ app: 4, fields: ['recordId'] }), 'app=4&fields%5B0%5D=recordId');
  assert.equal(encodeQuery({ a: { b: 'c d' }, n: null, u: undefined }), 'a%5Bb%5D=c%20d&n=');
});

test('kintone.api.url / urlForGet / guest space', async () => {
  const { k } = await mk({ baseUrl: 'https://ringi.localhost' });
  assert.equal(k.api.url('/k/v1/records', false), 'https://ringi.localhost/k/v1/records.json');
  assert.equal(k.api.url('/k/v1/record/status.json', true), 'https://ringi.localhost/k/v1/record/status.json');
  assert.equal(k.api.urlForGet('/k/v1/records.json', { app: 4, fields: ['recordId'] }, false),
    'https://ringi.localhost/k/v1/records.json?app=4&fields%5B0%5D=recordId');
  await k.ringi.close();
  const { k: g } = await mk({ baseUrl: 'https://x.example', guestSpaceId: 12 });
  assert.equal(g.api.url('/k/v1/records', true), 'https://x.example/k/guest/12/v1/records.json');
  assert.equal(g.api.url('/k/v1/records', false), 'https://x.example/k/v1/records.json');
  await g.ringi.close();
});

test('buildRequest passes the path or URL on as given, with params as the body; it checks the method and the params', () => {
  assert.deepEqual(buildRequest('/k/v1/record', 'GET', { app: 1, id: 5 }), { method: 'GET', path: '/k/v1/record', body: { app: 1, id: 5 } });
  assert.deepEqual(buildRequest(' https://a.cybozu.com/k/v1/record.json?app=1&id=5 ', 'GET', { id: 6 }),
    { method: 'GET', path: 'https://a.cybozu.com/k/v1/record.json?app=1&id=5', body: { id: 6 } });
  // A query the engine refuses is not decoded here first (it once built a 50,000,000-slot array).
  assert.deepEqual(buildRequest('/k/v1/records.json?app=1&fields[50000000]=a', 'GET', {}),
    { method: 'GET', path: '/k/v1/records.json?app=1&fields[50000000]=a', body: {} });
  assert.deepEqual(buildRequest('/batch_approvals/_check?user_id=sato', 'POST', ['a', 'b']),
    { method: 'POST', path: '/batch_approvals/_check?user_id=sato', body: ['a', 'b'] });
  assert.deepEqual(buildRequest('/batch_approvals/_submit?user_id=sato', 'GET', { batch_number: 'x1' }),
    { method: 'GET', path: '/batch_approvals/_submit?user_id=sato', body: { batch_number: 'x1' } });
  assert.equal(parsePath('/v1/users').path, '/v1/users.json', 'kintone.api.url still normalises');
  assert.equal(buildRequest('', 'GET', {}).error, 'CB_VA01');
  assert.equal(buildRequest('/k/v1/record', 'GET', 5).error, 'CB_VA01');
  for (const m of ['get', 'Get', 'PATCH', '', undefined]) {
    const r = buildRequest('/k/v1/record', m, {});
    assert.equal(r.error, 'CB_VA01', String(m));
  }
});

test('promise form resolves with the body; errors are plain kintone objects', async () => {
  const { k } = await mk();
  const add = await k.api('/k/v1/record', 'POST', { app: 1 });
  assert.deepEqual(add, { id: '1', revision: '1' });
  const got = await k.api(k.api.url('/k/v1/record', false) + '?app=1', 'GET', { id: 1 });
  assert.equal(got.record.id, 1);
  assert.deepEqual(got.echo.body, { app: '1', id: 1 });
  await assert.rejects(k.api('/k/v1/record', 'GET', { app: 1, id: 999 }), (e) => {
    assert.equal(e.code, 'GAIA_RE01');
    assert.equal(typeof e.id, 'string');
    assert.ok(!(e instanceof Error));
    assert.equal(e.status, undefined);
    return true;
  });
  await assert.rejects(k.api('/k/v1/record', 'get', {}), (e) => {
    assert.equal(e.code, 'CB_VA01');
    assert.equal(e.message, '入力内容が正しくありません。'); // sato is ja
    assert.deepEqual(Object.keys(e).sort(), ['code', 'errors', 'id', 'message']);
    return true;
  });
  await k.ringi.close();
});

test('callback form returns undefined and calls back / errbacks', async () => {
  const { k } = await mk();
  const ok = await new Promise((resolve, reject) => {
    const r = k.api('/k/v1/record', 'POST', { app: 2 }, resolve, reject);
    assert.equal(r, undefined);
  });
  assert.equal(ok.revision, '1');
  const err = await new Promise((resolve, reject) => {
    const r = k.api('/k/v1/record', 'GET', { app: 2, id: 77 }, reject, resolve);
    assert.equal(r, undefined);
  });
  assert.equal(err.code, 'GAIA_RE01');
  await k.ringi.close();
});

test('getLoginUser, getRequestToken, getConcurrencyLimit, install, setUser', async () => {
  const { k } = await mk();
  const u = k.getLoginUser();
  assert.deepEqual(Object.keys(u).sort(), ['code', 'email', 'employeeNumber', 'extensionNumber', 'id', 'isGuest', 'language', 'mobilePhone', 'name', 'phone', 'timezone', 'url'].sort());
  assert.equal(u.code, 'sato');
  assert.equal(u.name, '佐藤');
  assert.equal(u.language, 'ja');
  assert.equal(u.isGuest, false);
  assert.equal(typeof k.getRequestToken(), 'string');
  assert.equal(k.getRequestToken(), k.getRequestToken());
  assert.deepEqual(await k.api.getConcurrencyLimit(), { limit: 100, running: 0 });
  const p = k.api('/k/v1/record', 'POST', { app: 1 });
  assert.equal((await k.api.getConcurrencyLimit()).running, 1);
  await p;
  k.install();
  assert.equal(globalThis.kintone, k);
  delete globalThis.kintone;
  const nu = await k.ringi.setUser('nobody');
  assert.equal(nu.code, 'nobody');
  assert.equal(k.getLoginUser().language, 'en');
  await k.ringi.close();
});

test('calls after close fail with a kintone error', async () => {
  const { k } = await mk();
  await k.ringi.close();
  await assert.rejects(k.api('/k/v1/record', 'POST', { app: 1 }), (e) => e.code === 'RINGI_WK01');
});

test('params nested deeper than MAX_PARAMS_DEPTH are CB_IJ01 before they cross to the engine', async () => {
  let deep = {};
  for (let i = 0; i < 100000; i++) deep = { a: deep };
  assert.equal(nestedDeeperThan(deep, MAX_PARAMS_DEPTH), true);
  assert.deepEqual(buildRequest('/k/v1/record', 'PUT', { app: 1, id: 1, record: deep }), { error: 'CB_IJ01' });
  let ok = 'x';
  for (let i = 0; i < MAX_PARAMS_DEPTH; i++) ok = [ok];
  assert.equal(nestedDeeperThan(ok, MAX_PARAMS_DEPTH), false);
  assert.equal(nestedDeeperThan([ok], MAX_PARAMS_DEPTH), true);
  const { k, engine } = await mk();
  const calls = engine.calls;
  await assert.rejects(k.api('/k/v1/record', 'PUT', { app: 1, id: 1, record: deep }), (e) => {
    assert.equal(e.code, 'CB_IJ01');
    assert.equal(e.message, '不正なJSON文字列です。');
    return true;
  });
  assert.equal(engine.calls, calls, 'nothing reached the engine');
  await k.ringi.close();
});
