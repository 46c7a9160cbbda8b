// Ringi is a good guest in a Node program: it installs no process-wide handlers (emscripten's glue
// would add uncaughtException / unhandledRejection listeners per engine), so the host's own
// unhandled rejection ends the process as Node would without Ringi (exit 1, the host's error, no
// engine code dumped), and create/close cycles leave no listener and no growing memory.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = new URL(process.env.RINGI_DIST ? `file://${process.env.RINGI_DIST}/` : '../../dist/', import.meta.url);
const ready = existsSync(fileURLToPath(new URL('ringi-engine.wasm', dist)));
const run = (code, args = []) => spawnSync(process.execPath, [...args, '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 120000 });

test('a host\'s own unhandled rejection exits 1 with its own error, as without Ringi', { skip: !ready && 'dist/ missing' }, () => {
  const host = `
    const { createKintone } = await import(${JSON.stringify(new URL('ringi.js', dist).href)});
    const k = await createKintone({ user: 'x' });
    await k.ringi.load({ users: [{ code: 'x', name: 'x' }], apps: [] });
    await k.api('/v1/users', 'GET', {});
    Promise.reject(new Error('my bug'));`;
  const withRingi = run(host);
  const without = run(`Promise.reject(new Error('my bug'));`);
  assert.equal(without.status, 1);
  assert.equal(withRingi.status, without.status, withRingi.stderr.slice(0, 500));
  assert.match(withRingi.stderr, /Error: my bug/);
  assert.ok(withRingi.stderr.length < 2000, `stderr is ${withRingi.stderr.length} bytes: ${withRingi.stderr.slice(0, 300)}`);
  // And an uncaught exception: exit 1 with the host's stack, not the engine's.
  const thrown = run(`
    const { createKintone } = await import(${JSON.stringify(new URL('ringi.js', dist).href)});
    await createKintone({ user: 'x' });
    setTimeout(() => { throw new Error('my other bug'); });`);
  assert.equal(thrown.status, 1);
  assert.match(thrown.stderr, /my other bug/);
  assert.ok(thrown.stderr.length < 2000, thrown.stderr.slice(0, 300));
});

test('50 create/close cycles leave no process listener and no growing memory', { skip: !ready && 'dist/ missing' }, () => {
  const r = run(`
    const { createKintone } = await import(${JSON.stringify(new URL('ringi.js', dist).href)});
    const listeners = () => ['uncaughtException', 'unhandledRejection', 'exit', 'warning'].map((e) => process.listenerCount(e));
    const before = listeners();
    const warnings = [];
    const onWarning = (w) => warnings.push(w.name);
    process.on('warning', onWarning);
    const heap = [];
    for (let i = 0; i < 50; i++) {
      const k = await createKintone({ user: 'sato', database: 'cycle-' + i });
      await k.ringi.load({ users: [{ code: 'sato', name: 'sato' }], apps: [] });
      await k.ringi.close();
      if (i === 9 || i === 49) { globalThis.gc(); globalThis.gc(); heap.push(process.memoryUsage().heapUsed + process.memoryUsage().external + process.memoryUsage().arrayBuffers); }
    }
    process.off('warning', onWarning);
    console.log(JSON.stringify({ before, after: listeners(), warnings, heap }));`, ['--expose-gc']);
  assert.equal(r.status, 0, r.stderr.slice(0, 1000));
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.deepEqual(out.after, out.before, 'listeners left behind');
  assert.deepEqual(out.warnings, []);
  // 40 more cycles after the 10th may not keep their engines: less than 1 MB per cycle between.
  const grown = out.heap[1] - out.heap[0];
  assert.ok(grown < 40 * 1024 * 1024, `memory grew ${(grown / 1048576).toFixed(1)} MB over 40 cycles`);
});
