// Who acts on `ringi serve`, and from where: passwords checked against scrypt hashes kept in
// --data, API tokens with kintone's rights (and the real @kintone/rest-api-client using them), the
// batch API's user_id bound to the caller, Host and Origin checks, CORS only for --cors-origin,
// and a non-loopback --host refused without passwords.
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KintoneRestAPIClient } from '@kintone/rest-api-client';
import { WORKSPACE, killAll, raw, runRingi, skipWithoutEngine as skip, startServer } from './helpers/serve-process.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'ringi-identity-'));
after(() => { killAll(); rmSync(dir, { recursive: true, force: true }); });

const PASSWORDS = { sato: 'sato-secret-1', suzuki: 'suzuki-secret-2', Administrator: 'admin-secret-3' };
const TOKENS = { view1: 'view1ViewOnlyToken', edit1: 'edit1ViewEditToken', add2: 'add2ViewAddToken00' };

/** serve-workspace.json with passwords for every user and tokens on both apps. */
function securedWorkspace({ passwords = PASSWORDS, tokens = true } = {}) {
  const ws = JSON.parse(readFileSync(WORKSPACE, 'utf8'));
  for (const u of ws.users) if (passwords[u.code]) u.password = passwords[u.code];
  if (tokens) {
    ws.apps[0].apiTokens = [{ token: TOKENS.view1, viewRecord: true }, { token: TOKENS.edit1, viewRecord: true, editRecord: true }];
    ws.apps[1].apiTokens = [{ token: TOKENS.add2, viewRecord: true, addRecord: true }];
  }
  const file = path.join(dir, `ws-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(ws));
  return file;
}

const pw = (login, password) => ({ 'x-cybozu-authorization': Buffer.from(`${login}:${password}`).toString('base64') });
const json = { 'content-type': 'application/json' };

test('passwords are checked, and kept only as salted scrypt hashes', { skip }, async () => {
  const data = path.join(dir, 'pw');
  const s = await startServer(['--workspace', securedWorkspace({ passwords: { sato: PASSWORDS.sato, Administrator: PASSWORDS.Administrator } }), '--data', data]);
  assert.match(s.output(), /warning: no password, so any password signs in as: suzuki/);
  const ok = await raw(s.port, { path: '/k/v1/record.json?app=1&id=1', headers: pw('sato', PASSWORDS.sato) });
  assert.equal(ok.status, 200, ok.text);
  for (const wrong of ['', 'sato-secret-2', PASSWORDS.sato.toUpperCase()]) {
    const r = await raw(s.port, { path: '/k/v1/record.json?app=1&id=1', headers: pw('sato', wrong) });
    assert.equal(r.status, 401, wrong);
    assert.equal(r.json.code, 'CB_WA01');
  }
  // a user without a password keeps the development behaviour
  assert.equal((await raw(s.port, { path: '/k/v1/record.json?app=1&id=1', headers: pw('suzuki', 'anything') })).status, 200);
  // an unknown login is not a way in
  assert.equal((await raw(s.port, { path: '/k/v1/record.json?app=1&id=1', headers: pw('ghost', 'x') })).json.code, 'CB_AU01');

  const kept = readdirSync(data).map((f) => readFileSync(path.join(data, f)).toString('latin1')).join('\n');
  assert.ok(!kept.includes(PASSWORDS.sato), 'no password in --data');
  const stored = JSON.parse(readFileSync(path.join(data, 'credentials.json'), 'utf8'));
  assert.match(stored.users.sato, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
  assert.notEqual(stored.users.sato.split('$')[4], stored.users.Administrator.split('$')[4], 'each hash has its own salt');
  assert.equal(stored.users.suzuki, null);

  // after a restart the kept hashes are what is checked
  s.proc.kill('SIGKILL');
  await s.exited;
  const again = await startServer(['--data', data]);
  assert.equal((await raw(again.port, { path: '/k/v1/record.json?app=1&id=1', headers: pw('sato', PASSWORDS.sato) })).status, 200);
  assert.equal((await raw(again.port, { path: '/k/v1/record.json?app=1&id=1', headers: pw('sato', 'nope') })).status, 401);
  again.proc.kill('SIGKILL');
});

test('the batch API acts only as the caller; an integration names the user', { skip }, async () => {
  const s = await startServer(['--workspace', securedWorkspace()]);
  const sato = pw('sato', PASSWORDS.sato);
  const suzuki = pw('suzuki', PASSWORDS.suzuki);
  const tasks = await raw(s.port, { path: '/batch_approvals/_tasks?user_id=sato', headers: sato });
  assert.equal(tasks.status, 200, tasks.text);
  const ids = tasks.json.tasks.map((t) => t.task_id);
  assert.ok(ids.length >= 2);
  // suzuki names sato: refused on every operation, and nothing runs
  for (const [method, p, body] of [['GET', '/batch_approvals/_tasks?user_id=sato'], ['POST', '/batch_approvals/_check?user_id=sato', ids], ['POST', '/batch_approvals/_submit?user_id=sato', ids]]) {
    const r = await raw(s.port, { method, path: p, headers: { ...suzuki, ...json }, body: body && JSON.stringify(body) });
    assert.equal(r.status, 403, `${p} ${r.text}`);
    assert.equal(r.json.code, 'CB_NO02');
  }
  const still = await raw(s.port, { path: '/batch_approvals/_tasks', headers: sato });
  assert.deepEqual(still.json.tasks.map((t) => t.task_id), ids, 'no task of sato was approved');

  // sato's own batch: suzuki gets the answer a missing batch gets
  const sub = await raw(s.port, { method: 'POST', path: '/batch_approvals/_submit', headers: { ...sato, ...json }, body: JSON.stringify(ids.slice(0, 1)) });
  assert.equal(sub.status, 200, sub.text);
  const n = sub.json.batch_number;
  const theirs = await raw(s.port, { path: `/batch_approvals/_submit?batch_number=${n}`, headers: suzuki });
  const missing = await raw(s.port, { path: `/batch_approvals/_submit?batch_number=${'0'.repeat(32)}`, headers: suzuki });
  assert.equal(theirs.status, 404);
  assert.equal(theirs.json.code, missing.json.code);

  // an integration (API token with edit on app 1) may act as sato
  const token = { 'x-cybozu-api-token': TOKENS.edit1 };
  const asSato = await raw(s.port, { path: `/batch_approvals/_submit?user_id=sato&batch_number=${n}`, headers: token });
  assert.equal(asSato.status, 200, asSato.text);
  const check = await raw(s.port, { method: 'POST', path: '/batch_approvals/_check?user_id=sato', headers: { ...token, ...json }, body: JSON.stringify(ids.slice(1)) });
  assert.equal(check.status, 200, check.text);
  // ... but not with a token that lacks edit on the tasks' app
  const viewOnly = await raw(s.port, { method: 'POST', path: '/batch_approvals/_submit?user_id=sato', headers: { 'x-cybozu-api-token': TOKENS.view1, ...json }, body: JSON.stringify(ids.slice(1)) });
  assert.equal(viewOnly.status, 403);
  assert.equal(viewOnly.json.code, 'GAIA_NO01');
  s.proc.kill('SIGKILL');
});

test('API tokens: kintone\'s rights, errors and several tokens, with the real client', { skip }, async () => {
  const s = await startServer(['--workspace', securedWorkspace()]);
  const viewClient = new KintoneRestAPIClient({ baseUrl: s.baseUrl, auth: { apiToken: TOKENS.view1 } });
  const got = await viewClient.record.getRecords({ app: 1 });
  assert.ok(got.records.length > 0);
  await assert.rejects(viewClient.record.updateRecordStatus({ app: 1, id: 4, action: 'Submit' }), (e) => e.code === 'GAIA_NO01' && e.status === 403);
  await assert.rejects(viewClient.record.getRecords({ app: 2 }), (e) => e.code === 'GAIA_NO01');
  await assert.rejects(new KintoneRestAPIClient({ baseUrl: s.baseUrl, auth: { apiToken: 'notATokenOfAnyApp' } }).record.getRecords({ app: 1 }),
    (e) => e.code === 'GAIA_IA02' && e.status === 400 && /does not match/.test(e.message));
  // several tokens, comma-separated: one per app
  const both = new KintoneRestAPIClient({ baseUrl: s.baseUrl, auth: { apiToken: [TOKENS.view1, TOKENS.add2] } });
  const added = await both.record.addRecord({ app: 2, record: { title: { value: 'by token' } } });
  assert.ok(Number(added.id) > 0);
  assert.equal((await both.record.getRecords({ app: 1 })).records.length, got.records.length);
  const dup = await raw(s.port, { path: '/k/v1/records.json?app=1', headers: { 'x-cybozu-api-token': `${TOKENS.view1},${TOKENS.edit1}` } });
  assert.equal(dup.status, 400);
  assert.equal(dup.json.code, 'GAIA_DA03');
  const oneBad = await raw(s.port, { path: '/k/v1/records.json?app=1', headers: { 'x-cybozu-api-token': `${TOKENS.view1},nope` } });
  assert.equal(oneBad.json.code, 'GAIA_IA02');
  // the app list shows only the token's apps
  const apps = await raw(s.port, { path: '/k/v1/apps.json', headers: { 'x-cybozu-api-token': TOKENS.add2 } });
  assert.deepEqual(apps.json.apps.map((a) => a.appId), ['2']);
  s.proc.kill('SIGKILL');
});

test('Host and Origin: DNS rebinding and foreign pages are refused; CORS only for --cors-origin', { skip }, async () => {
  const s = await startServer(['--workspace', securedWorkspace(), '--cors-origin', 'https://example.cybozu.com']);
  const sato = pw('sato', PASSWORDS.sato);
  const p = '/k/v1/record.json?app=1&id=1';
  const plain = await raw(s.port, { path: p, headers: sato });
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['access-control-allow-origin'], undefined);
  for (const host of [`localhost:${s.port}`, `[::1]:${s.port}`]) {
    assert.equal((await raw(s.port, { path: p, headers: { ...sato, host } })).status, 200, host);
  }
  for (const host of [`evil.example:${s.port}`, 'localhost', `localhost:${s.port + 1}`, `127.0.0.1.evil.example:${s.port}`]) {
    const r = await raw(s.port, { path: p, headers: { ...sato, host } });
    assert.equal(r.status, 403, host);
    assert.equal(r.json.code, 'RINGI_HT08');
  }
  // a page on another origin: refused before anything runs, with no CORS header
  const before = await raw(s.port, { path: '/k/v1/records.json?app=2', headers: sato });
  const foreign = await raw(s.port, { method: 'POST', path: '/k/v1/record.json', headers: { ...sato, ...json, origin: 'https://attacker.example' }, body: JSON.stringify({ app: 2, record: {} }) });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.json.code, 'RINGI_HT09');
  assert.equal(foreign.headers['access-control-allow-origin'], undefined);
  assert.deepEqual((await raw(s.port, { path: '/k/v1/records.json?app=2', headers: sato })).json, before.json);
  const preflight = await raw(s.port, { method: 'OPTIONS', path: p, headers: { origin: 'https://attacker.example', 'access-control-request-method': 'PUT' } });
  assert.equal(preflight.status, 403);
  assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  // the allowed origin gets its own origin back (never *), and a pre-flight answer
  const allowed = await raw(s.port, { path: p, headers: { ...sato, origin: 'https://example.cybozu.com' } });
  assert.equal(allowed.status, 200);
  assert.equal(allowed.headers['access-control-allow-origin'], 'https://example.cybozu.com');
  assert.equal(allowed.headers.vary, 'Origin');
  const ok = await raw(s.port, { method: 'OPTIONS', path: p, headers: { origin: 'https://example.cybozu.com', 'access-control-request-method': 'PUT' } });
  assert.equal(ok.status, 204);
  assert.match(ok.headers['access-control-allow-headers'], /X-Cybozu-API-Token/);
  // the server's own origin is not foreign
  assert.equal((await raw(s.port, { path: p, headers: { ...sato, origin: `http://127.0.0.1:${s.port}` } })).status, 200);
  s.proc.kill('SIGKILL');
});

test('development workspace: warnings at start; a non-loopback --host needs passwords', { skip }, async () => {
  const s = await startServer(['--workspace', WORKSPACE]);
  assert.match(s.output(), /warning: no password, so any password signs in as: sato, suzuki, Administrator/);
  assert.match(s.output(), /warning: no app declares apiTokens, so any X-Cybozu-API-Token acts as Administrator/);
  const any = await raw(s.port, { path: '/k/v1/records.json?app=2', headers: { 'x-cybozu-api-token': 'whatever' } });
  assert.equal(any.status, 200, any.text);
  s.proc.kill('SIGKILL');

  const data = path.join(dir, 'open');
  const r = await runRingi(['serve', '--port', '0', '--host', '0.0.0.0', '--workspace', WORKSPACE, '--data', data]);
  assert.equal(r.code, 1, r.output);
  assert.match(r.output, /--host 0\.0\.0\.0 is not a loopback address: every user needs a "password".*none: sato, suzuki, Administrator/);
  assert.equal(existsSync(data), false, 'nothing written');

  const bad = await runRingi(['serve', '--port', '0', '--cors-origin', 'https://a.example/path']);
  assert.equal(bad.code, 2);
  assert.match(bad.output, /--cors-origin https:\/\/a\.example\/path: give an origin/);
  const badToken = JSON.parse(readFileSync(WORKSPACE, 'utf8'));
  badToken.apps[0].apiTokens = [{ token: 'shortTok', viewRecords: true }];
  const file = path.join(dir, 'bad-token.json');
  writeFileSync(file, JSON.stringify(badToken));
  const refused = await runRingi(['serve', '--port', '0', '--workspace', file]);
  assert.equal(refused.code, 1);
  assert.match(refused.output, /apps\[0\]\.apiTokens\[0\]\.viewRecords is not a token setting/);
});
