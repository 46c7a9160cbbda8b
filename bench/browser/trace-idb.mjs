#!/usr/bin/env node
// Chromium's IndexedDB backend during batch200 and its baseline (bench/README.md, batch200,
// round 10): `node bench/browser/trace-idb.mjs [iterations=4]` (needs dist/ and Chromium).
// Warms up with three iterations, then traces the IndexedDB categories over the next ones and
// prints, per transaction: who wrote it (Ringi's _submit / chunk, or the baseline's replay of
// the same ChangeSets), its puts, their bytes, and the backend's time running its tasks.
// The raw trace is left in /tmp/ringi-idb-trace.json (load it in chrome://tracing).
// `--pretouch`: before each traced iteration, rewrite the rows Ringi is about to overwrite (the
// records and tasks of its 200 tasks) with their own values, so that both sides overwrite rows
// written a moment earlier.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic, ROOT } from '../../scripts/static-server.mjs';

const N = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) || 4);
const PRETOUCH = process.argv.includes('--pretouch');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const server = await serveStatic({ mounts: [['/dist/', path.join(ROOT, 'dist')], ['/bench/', path.join(ROOT, 'bench')]] });
const profile = mkdtempSync(path.join(tmpdir(), 'ringi-trace-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.RINGI_CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS });
try {
  const page = await context.newPage();
  await page.goto(`${server.url}/bench/browser/bench.html`);
  await page.waitForFunction(() => window.benchReady);
  await page.evaluate(() => bench.open({ database: 'bench-batch' }));
  await page.evaluate(() => bench.load('approval', 10000));
  const ids = await page.evaluate(() => bench.openTaskIds());
  let next = 0;
  const pretouch = (taskIds) => page.evaluate((want) => new Promise((resolve, reject) => {
    const open = indexedDB.open('bench-batch');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['tasks', 'records'], 'readwrite');
      for (const id of want) {
        const t = tx.objectStore('tasks').get(id);
        t.onsuccess = () => {
          tx.objectStore('tasks').put(t.result);
          const r = tx.objectStore('records').get([t.result.app, t.result.record]);
          r.onsuccess = () => tx.objectStore('records').put(r.result);
        };
      }
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), taskIds);
  const iteration = async (touch = false) => {
    if (touch) await pretouch(ids.slice(next, next + 200));
    const r = await page.evaluate((g) => bench.runBatches([g]), ids.slice(next, (next += 200)));
    const b = await page.evaluate(() => bench.baseline('bench-batch'));
    return { ringi: r.ms, base: b.ms };
  };
  for (let i = 0; i < 3; i++) await iteration();
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'IndexedDB,leveldb', transferMode: 'ReportEvents' });
  const runs = [];
  for (let i = 0; i < N; i++) runs.push(await iteration(PRETOUCH));
  await cdp.send('Tracing.end');
  await complete;
  writeFileSync('/tmp/ringi-idb-trace.json', JSON.stringify({ traceEvents: events }));
  // Each iteration is four transactions in order: Ringi's _submit and chunk, the baseline's two
  // (after the pretouch's own, with --pretouch).
  const tx = new Map();
  for (const e of events) {
    const id = e.args?.txn_id;
    if (e.ph !== 'X' || id === undefined) continue;
    const t = tx.get(id) ?? { puts: 0, bytes: 0, putMs: 0, runMs: 0 };
    if (e.name === 'Database::PutOperation') { t.puts++; t.bytes += e.args.size ?? 0; t.putMs += e.dur / 1000; }
    if (e.name === 'Transaction::RunTasks') t.runMs += e.dur / 1000;
    tx.set(id, t);
  }
  const roles = [...(PRETOUCH ? ['pretouch'] : []), 'ringi _submit', 'ringi chunk', 'baseline tx 1', 'baseline tx 2'];
  [...tx.keys()].sort((a, b) => a - b).forEach((id, i) => {
    const t = tx.get(id);
    console.log(`${roles[i % roles.length].padEnd(14)} txn ${id}: ${t.puts} puts, ${t.bytes} B, puts ${t.putMs.toFixed(1)} ms, backend tasks ${t.runMs.toFixed(1)} ms`);
  });
  for (const r of runs) console.log(`batch200 ${r.ringi.toFixed(1)} ms, baseline ${r.base.toFixed(1)} ms`);
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
