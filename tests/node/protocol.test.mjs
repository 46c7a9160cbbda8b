// The worker protocol: message validation, error shapes, the ready handshake, replies by id,
// events, and the server's refusal of requests before 'open'.
import test from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, validateRequest, makeError, toKintoneError, REQUEST_TYPES, readyMessage, okReply, errorReply } from '../../web/src/protocol.js';
import { createEndpoint } from '../../web/src/engine/endpoint.js';
import { createInProcessTransport } from '../../web/src/engine/inprocess.js';
import { Client } from '../../web/src/page/client.js';
import { MemoryStorage } from '../../web/src/engine/storage/memory.js';
import { createFakeEngine } from './helpers/fake-engine.mjs';

const deps = () => ({ loadEngine: async () => createFakeEngine(), createStorage: () => new MemoryStorage() });

test('validateRequest', () => {
  assert.equal(validateRequest({ id: 1, type: 'call', payload: { method: 'GET', path: '/k/v1/app.json' } }), null);
  assert.equal(validateRequest({ id: 1, type: 'export' }), null);
  assert.match(validateRequest(null), /object/);
  assert.match(validateRequest({ type: 'call' }), /id/);
  assert.match(validateRequest({ id: 1, type: 'nope' }), /unknown type/);
  assert.match(validateRequest({ id: 1, type: 'call', payload: 3 }), /payload/);
  assert.match(validateRequest({ id: 1, type: 'call', payload: {} }), /method/);
  assert.deepEqual([...REQUEST_TYPES], ['open', 'call', 'load', 'export', 'reset', 'close']);
});

test('errors are kintone-shaped, localized, plain, cloneable', () => {
  const e = makeError('RINGI_ST01', 'ja');
  assert.deepEqual(Object.keys(e), ['code', 'id', 'message']);
  assert.equal(e.message, '変更を保存できませんでした。');
  assert.equal(e.status, 500);
  assert.match(e.id, /^[A-Za-z0-9]{20}$/);
  assert.equal(makeError('RINGI_ST01', 'zh-CN').message, '无法保存更改。');
  assert.equal(makeError('RINGI_ST01').message, 'Failed to save the change.');
  const t = toKintoneError(new Error('boom'));
  assert.equal(t.code, 'RINGI_EN01');
  assert.deepEqual(structuredClone(errorReply(3, e)).error.code, 'RINGI_ST01');
  assert.deepEqual(okReply(1, { a: 1 }), { id: 1, ok: true, result: { a: 1 } });
  assert.deepEqual(readyMessage(), { type: 'ready', protocol: PROTOCOL_VERSION });
});

test('server: bad messages, requests before open, open result, a second open', async () => {
  const out = [];
  const server = createEndpoint((m) => out.push(m), deps());
  await server.onMessage({ id: 1, type: 'bogus' });
  assert.equal(out.at(-1).ok, false);
  assert.equal(out.at(-1).error.code, 'RINGI_PR01');
  await server.onMessage({ id: 2, type: 'export', payload: {} });
  assert.equal(out.at(-1).error.code, 'RINGI_PR02');
  // With `user`, the open reply also carries GET /v1/users.json for that code (no second round trip).
  await server.onMessage({ id: 3, type: 'open', payload: { database: 'p1', storage: 'memory', user: 'u' } });
  const { timings, ...opened } = out.at(-1).result;
  assert.deepEqual(opened, { protocol: PROTOCOL_VERSION, database: 'p1', storage: 'memory', restored: { users: 0, records: 0, tasks: 0, batches: 0 }, restoredFrom: 'rows', pendingBatches: false, users: { users: [] } });
  // When each phase finished, in ms since the open arrived: the state is read once the database
  // is open, restored once the engine is loaded too, and the reply comes last.
  assert.deepEqual(Object.keys(timings).sort(), ['engineReady', 'ready', 'restored', 'stateRead', 'storageOpen']);
  assert.ok(Object.values(timings).every((ms) => Number.isFinite(ms) && ms >= 0), JSON.stringify(timings));
  assert.ok(timings.storageOpen <= timings.stateRead && timings.stateRead <= timings.restored, JSON.stringify(timings));
  assert.ok(timings.engineReady <= timings.restored && timings.restored <= timings.ready, JSON.stringify(timings));
  await server.onMessage({ id: 4, type: 'open', payload: { database: 'p1' } });
  assert.equal(out.at(-1).error.code, 'RINGI_PR02');
  await server.onMessage({ id: 5, type: 'call', payload: { user: 'u', method: 'GET', path: '/k/v1/record.json', body: { app: 1, id: 1 } } });
  assert.deepEqual(out.at(-1).result.status, 404);
  await server.onMessage({ id: 6, type: 'close', payload: {} });
  assert.deepEqual(out.at(-1), { id: 6, ok: true, result: {} });
});

test('server: an engine that fails to load gives RINGI_EN01', async () => {
  const out = [];
  const server = createEndpoint((m) => out.push(m), { loadEngine: async () => { throw new Error('no wasm'); }, createStorage: () => new MemoryStorage() });
  const orig = console.error; console.error = () => {};
  await server.onMessage({ id: 1, type: 'open', payload: { database: 'x' } });
  console.error = orig;
  assert.equal(out[0].error.code, 'RINGI_EN01');
});

test('client over the in-process transport: handshake, ids, events, close', async () => {
  const client = new Client(createInProcessTransport(deps()));
  const progress = [];
  client.on('progress', (p) => progress.push(p));
  await client.request('open', { database: 'p2', storage: 'memory', chunkSize: 2 });
  const [a, b] = await Promise.all([
    client.request('call', { user: 'sato', method: 'POST', path: '/k/v1/record.json', body: { app: 1 } }),
    client.request('call', { user: 'sato', method: 'POST', path: '/k/v1/record.json', body: { app: 1 } }),
  ]);
  assert.deepEqual([a.body.id, b.body.id], ['1', '2']);
  const s = await client.request('call', { user: 'sato', method: 'POST', path: '/batch_approvals/_submit?user_id=sato', body: ['t1-1', 't1-2', 'nope'] });
  assert.equal(s.status, 200);
  await new Promise((r) => { const t = setInterval(() => { if (progress.some((p) => p.state !== 'running')) { clearInterval(t); r(); } }, 5); });
  assert.deepEqual(progress.map((p) => p.processed), [2, 3]);
  assert.deepEqual(progress.at(-1).failed_tasks, ['nope']);
  assert.equal(progress.at(-1).state, 'partially_completed');
  await assert.rejects(client.request('bogus', {}), (e) => e.code === 'RINGI_PR01');
  await client.close();
  await assert.rejects(client.request('export', {}), (e) => e.code === 'RINGI_WK01');
});
