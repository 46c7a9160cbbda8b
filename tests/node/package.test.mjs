// Ringi as an npm package, tried as its users would: `npm pack`, installed from the tarball into a
// new project, imported by name in Node 20 (the engine found through the package's own files,
// an example workspace loaded), and type-checked from TypeScript through its `types`.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { installPacked, tool, built, ROOT } from '../package/packed.mjs';

const skip = !built && 'dist/ missing: run `npm run build`';
let user;
before(() => { if (built) user = installPacked(); });
after(() => user?.cleanup());

test('the tarball holds the package and nothing of the build or the tests', { skip }, () => {
  for (const f of ['package.json', 'README.md', 'dist/ringi.js', 'dist/ringi.d.ts', 'dist/worker.js', 'dist/ringi-engine.js', 'dist/ringi-engine.wasm',
    'dist/service-worker.js', 'bin/ringi.mjs', 'web/src/engine/node-platform.js', 'examples/seed-003.json', 'examples/expense-approval.json']) {
    assert.ok(user.files.includes(f), `${f} is packed`);
  }
  for (const f of user.files) assert.doesNotMatch(f, /^(src|tests|build|bench|scripts|node_modules)\//, `${f} should not be packed`);
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
  assert.deepEqual(Object.keys(pkg.exports['.']), ['types', 'browser', 'node', 'default']);
});

test('import { createKintone } from "ringi" runs in Node 20 with an example workspace', { skip }, () => {
  const app = path.join(user.dir, 'app.mjs');
  writeFileSync(app, `
    import { createKintone } from 'ringi';
    import { readFile } from 'node:fs/promises';
    import { createRequire } from 'node:module';
    const workspace = JSON.parse(await readFile(createRequire(import.meta.url).resolve('ringi/package.json').replace(/package\\.json$/, 'examples/expense-approval.json'), 'utf8'));
    const kintone = await createKintone({ user: 'carol' });
    await kintone.ringi.load(workspace);
    const { records } = await kintone.api('/k/v1/records.json', 'GET', { app: 1, query: 'Status in ("Manager review") order by $id asc' });
    const { revision } = await kintone.api('/k/v1/record/status.json', 'PUT', { app: 1, id: 1, action: 'Approve' });
    await kintone.ringi.close();
    console.log(JSON.stringify({ ids: records.map((r) => r.$id.value), revision }));`);
  const out = JSON.parse(execFileSync(process.execPath, [app], { cwd: user.dir, encoding: 'utf8' }).trim());
  assert.deepEqual(out, { ids: ['1', '2', '3'], revision: '5' });
});

test('`npx ringi serve` from the installed package answers the REST API', { skip }, async () => {
  const { spawn } = await import('node:child_process');
  const proc = spawn(path.join(user.dir, 'node_modules', '.bin', 'ringi'), ['serve', '--port', '0', '--workspace', path.join(user.dir, 'node_modules', 'ringi', 'examples', 'seed-003.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      proc.stdout.on('data', (d) => { out += d; const m = /listening on (http:\/\/\S+)/.exec(out); if (m) resolve(m[1]); });
      proc.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const res = await fetch(new URL('/k/v1/record.json?app=1&id=1001', url), { headers: { 'x-cybozu-authorization': Buffer.from('Administrator:x').toString('base64') } });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).record.$id.value, '1001');
  } finally {
    proc.kill('SIGTERM');
  }
});

test('a TypeScript customization type-checks against the installed types', { skip }, () => {
  writeFileSync(path.join(user.dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], skipLibCheck: false, types: [] },
    include: ['*.ts'],
  }));
  writeFileSync(path.join(user.dir, 'good.ts'), `
    import { createKintone, type Kintone } from 'ringi';
    export async function approveFirst(): Promise<string> {
      const kintone: Kintone = await createKintone({ user: 'carol', storage: 'indexeddb', database: 'expenses', worker: true });
      const r = await kintone.api('/k/v1/record/status.json', 'PUT', { app: 1, id: 1, action: 'Approve' });
      await kintone.ringi.close();
      return String(r.revision);
    }`);
  tool('tsc', ['-p', '.'], user.dir);
  // And a misuse is caught: the types are really read, not `any`.
  writeFileSync(path.join(user.dir, 'bad.ts'), `
    import { createKintone } from 'ringi';
    export const k = createKintone({ storage: 'floppy' });`);
  assert.throws(() => tool('tsc', ['-p', '.'], user.dir), (e) => /bad\.ts.*floppy|Type '"floppy"'/s.test(String(e.stdout)));
});
