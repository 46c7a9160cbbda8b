// `ringi serve` (bin/ringi.mjs) driven by the REAL @kintone/rest-api-client over HTTP, with the
// durable file store: status/assignee APIs, queries, addAllRecords (bulkRequest chunks), process
// management + deploy, kintone errors as KintoneRestAPIError, auth rules, bad HTTP input with no
// state change, kill -9 with every answered change kept, and a torn last write discarded.
// Needs dist/ringi-engine.{js,wasm} (npm test builds it first; engine.test.mjs reports it missing).
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { KintoneRestAPIClient, KintoneRestAPIError } from '@kintone/rest-api-client';
import { frameRecord } from '../../web/src/engine/storage/file.js';
import { raw, killAll, startServer as startServerProcess, WORKSPACE, skipWithoutEngine as skip } from './helpers/serve-process.mjs';

const dataDir = mkdtempSync(path.join(tmpdir(), 'ringi-serve-'));
const logFile = path.join(dataDir, 'changes.log');
after(() => {
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The server on this file's data folder (helpers/serve-process.mjs); resolves when it listens. */
const startServer = (extra = []) => startServerProcess(['--workspace', WORKSPACE, '--data', dataDir, '--timeout', '3', ...extra]);

const client = (baseUrl, auth = { username: 'sato', password: 'x' }) => new KintoneRestAPIClient({ baseUrl, auth });
const basic = (login) => Buffer.from(`${login}:whatever`).toString('base64');
const logSize = () => statSync(logFile).size;

/** Expect a KintoneRestAPIError with status/code. */
async function rejectsKintone(p, status, code) {
  await assert.rejects(p, (e) => {
    assert.ok(e instanceof KintoneRestAPIError, `not a KintoneRestAPIError: ${e}`);
    assert.equal(e.status, status, e.message);
    assert.equal(e.code, code, e.message);
    assert.equal(typeof e.id, 'string');
    return true;
  });
}

let srv;

test('start: prints its URL; the workspace is imported into the fresh data directory', { skip }, async () => {
  srv = await startServer();
  assert.match(srv.output(), /workspace .* imported/);
});

test('rest-api-client: getRecord and getRecords with a status query', { skip }, async () => {
  const c = client(srv.baseUrl);
  const { record } = await c.record.getRecord({ app: 1, id: 1 });
  assert.equal(record.$id.value, '1');
  assert.equal(record.Status.value, 'Waiting');
  assert.deepEqual(record.Assignee.value.map((a) => a.code), ['sato']);
  const r = await c.record.getRecords({ app: 1, query: 'Status in ("Waiting") and Assignee in (LOGINUSER()) order by $id asc', fields: ['$id', 'Status'], totalCount: true });
  assert.deepEqual(r.records.map((x) => x.$id.value), ['1', '2', '3']);
  assert.equal(r.totalCount, '3');
  await rejectsKintone(c.record.getRecord({ app: 1, id: 999 }), 404, 'GAIA_RE01');
  await rejectsKintone(c.record.getRecord({ app: 99, id: 1 }), 404, 'GAIA_AP01');
});

test('rest-api-client: updateRecordStatus, updateRecordsStatus, updateRecordAssignees; errors as KintoneRestAPIError', { skip }, async () => {
  const c = client(srv.baseUrl);
  assert.deepEqual(await c.record.updateRecordStatus({ app: 1, id: 1, action: 'Approve', revision: 3 }), { revision: '5' });
  await rejectsKintone(c.record.updateRecordStatus({ app: 1, id: 1, action: 'Approve' }), 400, 'GAIA_IL03');
  await rejectsKintone(c.record.updateRecordStatus({ app: 1, id: 2, action: 'Approve', revision: 1 }), 409, 'GAIA_CO02');
  assert.deepEqual(await c.record.updateRecordsStatus({ app: 1, records: [{ id: 2, action: 'Approve' }, { id: 3, action: 'Send back', revision: 3 }] }),
    { records: [{ id: '2', revision: '5' }, { id: '3', revision: '5' }] });
  // All or nothing: the second element fails, the first is not applied.
  await rejectsKintone(c.record.updateRecordsStatus({ app: 1, records: [{ id: 3, action: 'Submit' }, { id: 999, action: 'Submit' }] }), 404, 'GAIA_RE01');
  assert.equal((await c.record.getRecord({ app: 1, id: 3 })).record.Status.value, 'Draft');
  const tooMany = Array.from({ length: 101 }, () => ({ id: 1, action: 'Approve' }));
  await assert.rejects(c.record.updateRecordsStatus({ app: 1, records: tooMany }), (e) => {
    assert.ok(e instanceof KintoneRestAPIError);
    assert.equal(e.status, 400);
    assert.equal(e.code, 'CB_VA01');
    assert.deepEqual(e.errors.records.messages, ['A maximum of 100 records can be updated at one time.']);
    return true;
  });
  assert.deepEqual(await c.record.updateRecordAssignees({ app: 1, id: 4, assignees: ['sato'] }), { revision: '2' });
  const { record } = await c.record.getRecord({ app: 1, id: 4 });
  assert.deepEqual(record.Assignee.value.map((a) => a.code), ['sato']);
});

test('rest-api-client: addAllRecords (2,100 records: bulkRequest chunks) then getRecords', { skip }, async () => {
  const c = client(srv.baseUrl);
  const records = Array.from({ length: 2100 }, (_, i) => ({ title: { value: `import-${i}` }, n: { value: String(i) } }));
  const res = await c.record.addAllRecords({ app: 2, records });
  assert.equal(res.records.length, 2100);
  assert.equal(new Set(res.records.map((r) => r.id)).size, 2100);
  const page = await c.record.getRecords({ app: 2, query: 'n >= 2000 order by $id asc limit 500', fields: ['n'], totalCount: true });
  assert.equal(page.totalCount, '100');
  assert.deepEqual(page.records.map((r) => r.n.value), Array.from({ length: 100 }, (_, i) => String(2000 + i)));
});

test('rest-api-client: getProcessManagement, updateProcessManagement (preview) + deployApp', { skip }, async () => {
  const c = client(srv.baseUrl);
  const live = await c.app.getProcessManagement({ app: 1 });
  assert.equal(live.enable, true);
  assert.deepEqual(Object.keys(live.states), ['Draft', 'Waiting', 'Approved']);
  const { revision } = await c.app.updateProcessManagement({
    app: 1,
    states: { ...live.states, Paid: { name: 'Paid', index: '3', assignee: { type: 'ONE', entities: [] } } },
    actions: [...live.actions, { name: 'Pay', from: 'Approved', to: 'Paid', filterCond: '', type: 'PRIMARY' }],
  });
  assert.equal(typeof revision, 'string');
  assert.ok(!('Paid' in (await c.app.getProcessManagement({ app: 1 })).states), 'live settings change only on deploy');
  assert.ok('Paid' in (await c.app.getProcessManagement({ app: 1, preview: true })).states);
  await c.app.deployApp({ apps: [{ app: 1 }] });
  for (;;) {
    const { apps } = await c.app.getDeployStatus({ apps: [1] });
    if (apps[0].status !== 'PROCESSING') { assert.equal(apps[0].status, 'SUCCESS'); break; }
  }
  assert.ok('Paid' in (await c.app.getProcessManagement({ app: 1 })).states);
  assert.deepEqual(await c.record.updateRecordStatus({ app: 1, id: 1, action: 'Pay' }), { revision: '7' });
});

test('auth: X-Cybozu-Authorization picks the user, API token acts as Administrator, none is 401 CB_AU01', { skip }, async () => {
  // sato submits record 3 (-> Waiting, assignee sato); the API-token user (Administrator) may read
  // it but is not its assignee.
  const sato = client(srv.baseUrl);
  assert.deepEqual(await sato.record.updateRecordStatus({ app: 1, id: 3, action: 'Submit' }), { revision: '7' });
  const admin = new KintoneRestAPIClient({ baseUrl: srv.baseUrl, auth: { apiToken: 'any-token' } });
  assert.equal((await admin.record.getRecord({ app: 1, id: 3 })).record.Status.value, 'Waiting');
  await rejectsKintone(admin.record.updateRecordStatus({ app: 1, id: 3, action: 'Approve' }), 403, 'GAIA_NT01');
  await rejectsKintone(client(srv.baseUrl, { username: 'nobody', password: 'x' }).record.getRecord({ app: 1, id: 1 }), 401, 'CB_AU01');
  const none = await raw(srv.port, { path: '/k/v1/record.json?app=1&id=1' });
  assert.equal(none.status, 401);
  assert.equal(none.json.code, 'CB_AU01');
  assert.equal(none.headers['x-cybozu-error'], 'CB_AU01');
  const bad = await raw(srv.port, { path: '/k/v1/record.json?app=1&id=1', headers: { 'x-cybozu-authorization': '%%%not-base64' } });
  assert.equal(bad.status, 401);
  assert.equal(bad.json.code, 'CB_WA01');
  // Headers of a successful answer; X-HTTP-Method-Override: GET on POST.
  const ok = await raw(srv.port, { method: 'POST', path: '/k/v1/record.json', headers: { 'x-cybozu-authorization': basic('sato'), 'x-http-method-override': 'GET', 'content-type': 'application/json' }, body: JSON.stringify({ app: 1, id: 2 }) });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.record.$id.value, '2');
  assert.equal(ok.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(ok.headers['x-concurrencylimit-limit'], '100');
  assert.match(ok.headers['x-concurrencylimit-running'], /^\d+$/);
  assert.equal(ok.headers['x-cybozu-error'], undefined);
});

test('bad HTTP input: kintone-shaped errors, the server keeps serving, nothing changes on disk', { skip }, async () => {
  const c = client(srv.baseUrl);
  const before = logSize();
  const rev = (await c.record.getRecord({ app: 1, id: 5 })).record.$revision.value;
  const auth = { 'x-cybozu-authorization': basic('sato') };
  const put = (body, headers = { 'content-type': 'application/json' }) => raw(srv.port, { method: 'PUT', path: '/k/v1/record.json', headers: { ...auth, ...headers }, body });
  const cases = [
    [await put('{"app": 1, "id": 5, "record": {'), 400, 'CB_IJ01'],
    [await put('app=1&id=5', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'RINGI_HT02'],
    [await put(JSON.stringify({ app: 1, id: 5, record: { title: { value: 'x'.repeat(9 * 1024 * 1024) } } })), 413, 'RINGI_HT03'],
    [await raw(srv.port, { path: '/k/v1/no-such-api.json?app=1', headers: auth }), 404, 'CB_NF01'],
    // The file API (multipart bodies) is not modelled: 404 before the JSON-only 415, guest path too.
    ...await Promise.all(['/k/v1/file.json', '/k/guest/3/v1/file.json'].map(async (p) => [await raw(srv.port, {
      method: 'POST', path: p, headers: { ...auth, 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\n\r\nfile\r\n--x--' }), 404, 'CB_NF01'])),
    [await raw(srv.port, { method: 'POST', path: '/k/v1/record.json', headers: { ...auth, 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--' }), 415, 'RINGI_HT02'],
    [await raw(srv.port, { method: 'PATCH', path: '/k/v1/record.json', headers: { ...auth, 'content-type': 'application/json' }, body: '{"app":1,"id":5}' }), 405, 'RINGI_HT01'],
    [await raw(srv.port, { method: 'PUT', path: '/k/v1/record.json', headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' }, body: JSON.stringify({ app: 1, id: 5, record: {}, __REQUEST_TOKEN__: 't' }) }), 401, 'CB_AU01'],
  ];
  for (const [r, status, code] of cases) {
    assert.equal(r.status, status, r.text.slice(0, 200));
    assert.equal(r.json.code, code);
    assert.equal(typeof r.json.id, 'string');
    assert.equal(typeof r.json.message, 'string');
    assert.equal(r.headers['x-cybozu-error'], code);
  }
  assert.match((await raw(srv.port, { method: 'DELETE', path: '/k/v1/record.json', headers: auth })).json.code, /^(RINGI_MT01|CB_NF01)$/);

  // A slow client (headers and part of the body, then silence) and an aborted one: others are
  // served meanwhile; the slow one finally gets 408 RINGI_HT04.
  const slow = net.connect(srv.port, '127.0.0.1');
  let slowAnswer = '';
  slow.setEncoding('utf8');
  slow.on('data', (d) => { slowAnswer += d; });
  const slowClosed = new Promise((r) => slow.on('close', r));
  slow.write(`PUT /k/v1/record.json HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Cybozu-Authorization: ${basic('sato')}\r\nContent-Length: 200\r\n\r\n{"app": 1, "id": 5, `);
  const aborted = net.connect(srv.port, '127.0.0.1');
  aborted.write(`PUT /k/v1/record.json HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Cybozu-Authorization: ${basic('sato')}\r\nContent-Length: 200\r\n\r\n{"app": 1, "id": 5, "record": {"title": {"value": "aborted"}}`);
  await new Promise((r) => aborted.on('connect', r));
  aborted.destroy();
  assert.equal((await c.record.getRecord({ app: 1, id: 5 })).record.$revision.value, rev, 'served while a client is stalled');
  await slowClosed;
  assert.match(slowAnswer, /^HTTP\/1\.1 408 /);
  assert.match(slowAnswer, /"code":"RINGI_HT04"/);

  assert.equal((await c.record.getRecord({ app: 1, id: 5 })).record.$revision.value, rev, 'record unchanged');
  assert.equal(logSize(), before, 'nothing was committed');
});

test('kill -9 mid-way: every answered change is there after a restart (--workspace then ignored)', { skip }, async () => {
  const c = client(srv.baseUrl);
  const answered = [];
  let killed = false;
  const writer = (async () => {
    for (let i = 0; !killed && i < 1000; i++) {
      try {
        const r = await c.record.addRecord({ app: 2, record: { title: { value: `kill-${i}` }, n: { value: String(10000 + i) } } });
        answered.push(r.id);
      } catch { break; }
    }
  })();
  while (answered.length < 30) await new Promise((r) => setTimeout(r, 5));
  srv.proc.kill('SIGKILL');
  killed = true;
  await writer;
  const exit = await srv.exited;
  assert.equal(exit.signal, 'SIGKILL');

  srv = await startServer();
  assert.match(srv.output(), /already holds data: --workspace ignored/);
  const c2 = client(srv.baseUrl);
  const got = await c2.record.getAllRecords({ app: 2, condition: 'n >= 10000', fields: ['$id', 'title'] });
  const ids = new Set(got.map((r) => r.$id.value));
  for (const id of answered) assert.ok(ids.has(id), `answered record ${id} is missing`);
  // Earlier answered changes too.
  assert.equal((await c2.record.getRecord({ app: 1, id: 1 })).record.Status.value, 'Paid');
  assert.equal((await c2.record.getRecords({ app: 2, query: 'n < 10000 limit 1', totalCount: true })).totalCount, '2100');
});

test('a torn last write is discarded at start; SIGTERM stops cleanly', { skip }, async () => {
  const c = client(srv.baseUrl);
  assert.deepEqual(await c.record.updateRecordStatus({ app: 1, id: 2, action: 'Pay' }), { revision: '7' });
  srv.proc.kill('SIGKILL');
  await srv.exited;
  const good = logSize();
  // What a process killed in the middle of an append leaves: part of a framed record.
  const rec = frameRecord({ seq: 1e9, generation: 'torn', changes: { put: { records: [{ app: 1, id: 2, torn: true }] }, delete: {} } });
  appendFileSync(logFile, rec.subarray(0, rec.length - 7));
  srv = await startServer();
  assert.match(srv.output(), /changes\.log: torn last record cut \(\d+ bytes at byte \d+: .*never acknowledged/);
  assert.ok(existsSync(path.join(dataDir, 'changes.log.torn')), 'the cut bytes are kept aside');
  assert.equal(logSize(), good, 'the log was cut back to the last good record');
  const c2 = client(srv.baseUrl);
  const { record } = await c2.record.getRecord({ app: 1, id: 2 });
  assert.equal(record.Status.value, 'Paid');
  assert.equal(record.$revision.value, '7');
  // Writes go on after the cut, and survive a clean stop.
  assert.deepEqual(await c2.record.updateRecordAssignees({ app: 1, id: 5, assignees: ['sato'] }), { revision: '2' });
  srv.proc.kill('SIGTERM');
  const exit = await srv.exited;
  assert.equal(exit.code, 0);
  assert.match(srv.output(), /stopped/);
  assert.ok(!existsSync(path.join(dataDir, 'LOCK')), 'LOCK released');
  srv = await startServer();
  assert.deepEqual((await client(srv.baseUrl).record.getRecord({ app: 1, id: 5 })).record.Assignee.value.map((a) => a.code), ['sato']);
  assert.ok(readFileSync(logFile).subarray(0, 8).toString('latin1') === 'RINGILOG');
  srv.proc.kill('SIGTERM');
  await srv.exited;
});
