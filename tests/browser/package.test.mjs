// A customization that imports Ringi by name, unbundled (an import map) or bundled as its authors
// bundle it, run in Chromium with the engine in a Web Worker and the records in IndexedDB:
// esbuild as an ES module (the
// engine files copied next to the bundle, as the README says), esbuild as a classic IIFE script
// (a kintone plugin's form: `workerUrl` given), and Vite (which finds and copies the worker and
// the engine files itself). Each page approves a record, is reloaded, and finds the change kept.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic } from '../../scripts/static-server.mjs';
import { installPacked, tool } from '../package/packed.mjs';
import { CHROMIUM, requireDist } from './helpers.mjs';

let user, browserDir, context;
before(async () => {
  requireDist();
  user = installPacked();
  mkdirSync(path.join(user.dir, 'src'));
  // The customization: opens Ringi (worker + IndexedDB, the browser defaults) and shows itself.
  const main = (workerUrl) => `
    import { createKintone } from 'ringi';
    window.ringi = createKintone({ user: 'carol', database: 'expenses'${workerUrl ? `, workerUrl: ${JSON.stringify(workerUrl)}` : ''} })
      .then((kintone) => { kintone.install(); return kintone.ringi.opened; });`;
  writeFileSync(path.join(user.dir, 'src', 'main.js'), main());
  writeFileSync(path.join(user.dir, 'src', 'plugin.js'), main('./worker.js'));
  writeFileSync(path.join(user.dir, 'index.html'), '<!doctype html><html lang="en"><title>expenses</title><script type="module" src="/src/main.js"></script>');
  browserDir = mkdtempSync(path.join(tmpdir(), 'ringi-chromium-'));
  context = await chromium.launchPersistentContext(browserDir, { executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
});
after(async () => {
  await context?.close().catch(() => {});
  if (browserDir) rmSync(browserDir, { recursive: true, force: true });
  user?.cleanup();
});

const workspace = () => JSON.parse(readFileSync(path.join(user.dir, 'node_modules', 'ringi', 'examples', 'expense-approval.json'), 'utf8'));
const engineFiles = ['worker.js', 'ringi-engine.js', 'ringi-engine.wasm'];
const copyEngine = (out) => { for (const f of engineFiles) cpSync(path.join(user.dir, 'node_modules', 'ringi', 'dist', f), path.join(out, f)); };

/** Serves `out`, opens `page` twice: approve, reload, read back. */
async function runBundle(out, page = 'index.html') {
  const errors = [];
  const server = await serveStatic({ mounts: [['/', out]] });
  const tab = await context.newPage();
  tab.on('pageerror', (e) => errors.push(String(e)));
  try {
    await tab.goto(`${server.url}/${page}`);
    const opened = await tab.evaluate(() => window.ringi);
    assert.equal(opened.storage, 'indexeddb');
    assert.ok(tab.workers().some((w) => /worker|assets/.test(w.url())), `the engine runs in a Web Worker (${tab.workers().map((w) => w.url())})`);
    const revision = await tab.evaluate(async (w) => {
      await kintone.ringi.load(w);
      return (await kintone.api('/k/v1/record/status.json', 'PUT', { app: 1, id: 1, action: 'Approve' })).revision;
    }, workspace());
    assert.equal(revision, '5');
    await tab.reload();
    await tab.evaluate(() => window.ringi);
    const status = await tab.evaluate(async () => (await kintone.api('/k/v1/record.json', 'GET', { app: 1, id: 1 })).record.Status.value);
    assert.equal(status, 'Finance review', 'the approval was kept in IndexedDB');
    assert.deepEqual(errors, []);
  } finally {
    await tab.close();
    await server.close();
  }
}

test('no bundler: a plain page maps "ringi" to the installed package with an import map', async () => {
  writeFileSync(path.join(user.dir, 'plain.html'), `<!doctype html><html lang="en"><title>expenses</title>
    <script type="importmap">{"imports": {"ringi": "/node_modules/ringi/dist/ringi.js"}}</script>
    <script type="module">${readFileSync(path.join(user.dir, 'src', 'main.js'), 'utf8')}</script>`);
  await runBundle(user.dir, 'plain.html');
});

test('esbuild, ES module: the bundle, with the engine files copied next to it', async () => {
  const out = path.join(user.dir, 'out-esbuild');
  tool('esbuild', ['src/main.js', '--bundle', '--format=esm', '--platform=browser', '--minify', `--outdir=${out}`], user.dir);
  copyEngine(out);
  writeFileSync(path.join(out, 'index.html'), '<!doctype html><html lang="en"><title>expenses</title><script type="module" src="./main.js"></script>');
  assert.doesNotMatch(readFileSync(path.join(out, 'main.js'), 'utf8'), /node:(fs|module|path|url)/, 'no node: module in a browser bundle');
  await runBundle(out);
});

test('esbuild, classic IIFE script (a kintone plugin): workerUrl names the copied worker', async () => {
  const out = path.join(user.dir, 'out-plugin');
  tool('esbuild', ['src/plugin.js', '--bundle', '--format=iife', '--platform=browser', '--minify', '--log-level=error', `--outdir=${out}`], user.dir);
  copyEngine(out);
  writeFileSync(path.join(out, 'index.html'), '<!doctype html><html lang="en"><title>expenses</title><script src="./plugin.js"></script>');
  await runBundle(out);
});

test('Vite: it bundles the worker and copies the engine files it finds', async () => {
  writeFileSync(path.join(user.dir, 'vite.config.js'), "export default { logLevel: 'error', worker: { format: 'es' }, build: { outDir: 'out-vite' } };\n");
  tool('vite', ['build'], user.dir);
  const out = path.join(user.dir, 'out-vite');
  const assets = readdirSync(path.join(out, 'assets'));
  assert.ok(assets.some((f) => /^ringi-engine-.*\.wasm$/.test(f)), `wasm emitted: ${assets}`);
  await runBundle(out);
});
