// A `ringi serve` that refuses to start leaves --data exactly as it was: the workspace is read and
// loaded into a scratch engine, and the port bound, before anything is written; a start refused
// after the folder was opened removes what it added. The next start then imports --workspace.
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, runRingi, raw, basicAuth, killAll, WORKSPACE, skipWithoutEngine as skip } from './helpers/serve-process.mjs';

const dirs = [];
after(() => {
  killAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ringi-start-'));
  dirs.push(d);
  return d;
};
/** Every file under `dir` with its bytes, to compare a folder before and after. */
const snapshot = (dir) => Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(path.join(dir, n)).toString('base64')]));

/** A workspace the engine refuses: one process with two states of one name. */
function badWorkspace() {
  const w = JSON.parse(readFileSync(WORKSPACE, 'utf8'));
  const app = w.apps.find((a) => a.status?.enable);
  const first = Object.values(app.status.states)[0];
  app.status.states = { ...app.status.states, twin: { ...first } };
  const file = path.join(tempDir(), 'bad.json');
  writeFileSync(file, JSON.stringify(w));
  return file;
}

test('a workspace the engine refuses: exit 1 naming the file, no --data folder made', { skip }, async () => {
  const data = path.join(tempDir(), 'data');
  const bad = badWorkspace();
  const r = await runRingi(['serve', '--port', '0', '--workspace', bad, '--data', data]);
  assert.equal(r.code, 1, r.output);
  assert.match(r.output, new RegExp(`workspace ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*CB_VA01`));
  assert.ok(!existsSync(data), '--data was created');
});

test('a workspace that is not JSON: exit 1 naming the file, no --data folder made', { skip }, async () => {
  const data = path.join(tempDir(), 'data');
  const file = path.join(tempDir(), 'broken.json');
  writeFileSync(file, '{"users": [');
  const r = await runRingi(['serve', '--port', '0', '--workspace', file, '--data', data]);
  assert.equal(r.code, 1, r.output);
  assert.match(r.output, /workspace .*broken\.json: not JSON/);
  assert.ok(!existsSync(data));
});

test('a missing workspace file: exit 1, no --data folder made', { skip }, async () => {
  const data = path.join(tempDir(), 'data');
  const r = await runRingi(['serve', '--port', '0', '--workspace', path.join(tempDir(), 'nope.json'), '--data', data]);
  assert.equal(r.code, 1, r.output);
  assert.match(r.output, /ENOENT.*nope\.json/);
  assert.ok(!existsSync(data));
});

test('a port in use: exit 1, --data untouched (absent stays absent, a kept folder keeps its bytes)', { skip }, async () => {
  const blocker = createServer();
  await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
  const port = String(/** @type {any} */ (blocker.address()).port);
  try {
    const data = path.join(tempDir(), 'data');
    const r = await runRingi(['serve', '--port', port, '--workspace', WORKSPACE, '--data', data]);
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, /EADDRINUSE/);
    assert.ok(!existsSync(data), '--data was created');

    // A folder with data: a refused start changes no byte of it.
    const kept = path.join(tempDir(), 'kept');
    const srv = await startServer(['--workspace', WORKSPACE, '--data', kept]);
    const add = await raw(srv.port, { method: 'POST', path: '/k/v1/record.json', headers: { ...basicAuth('sato'), 'content-type': 'application/json' }, body: JSON.stringify({ app: 2, record: { title: { value: 'kept' } } }) });
    assert.equal(add.status, 200);
    srv.proc.kill('SIGTERM');
    await srv.exited;
    const before = snapshot(kept);
    const again = await runRingi(['serve', '--port', port, '--workspace', WORKSPACE, '--data', kept]);
    assert.equal(again.code, 1, again.output);
    assert.deepEqual(snapshot(kept), before);
  } finally {
    blocker.close();
  }
});

test('after a refused start, the next start imports --workspace', { skip }, async () => {
  const data = path.join(tempDir(), 'data');
  const r = await runRingi(['serve', '--port', '0', '--workspace', badWorkspace(), '--data', data]);
  assert.equal(r.code, 1);
  const srv = await startServer(['--workspace', WORKSPACE, '--data', data]);
  try {
    assert.match(srv.output(), /imported/);
    const apps = await raw(srv.port, { path: '/k/v1/apps.json', headers: basicAuth('sato') });
    assert.equal(apps.status, 200);
    assert.ok(apps.json.apps.length >= 2);
  } finally {
    srv.proc.kill('SIGTERM');
    await srv.exited;
  }
});

test('a folder that holds data ignores --workspace, even one the engine would refuse: no scratch load', { skip }, async () => {
  const data = path.join(tempDir(), 'data');
  const first = await startServer(['--workspace', WORKSPACE, '--data', data]);
  first.proc.kill('SIGTERM');
  await first.exited;
  const srv = await startServer(['--workspace', badWorkspace(), '--data', data]);
  try {
    assert.match(srv.output(), /already holds data: --workspace ignored/);
    assert.equal((await raw(srv.port, { path: '/k/v1/apps.json', headers: basicAuth('sato') })).status, 200);
  } finally {
    srv.proc.kill('SIGTERM');
    await srv.exited;
  }
});
