// history_log_*: what a status change costs in changes.log (`ringi serve --data`) on a record with
// few earlier actions and on one with 1,000, measured in turn in one process (node ... history.mjs
// <dist> <runs>). Prints JSON {runs: [{short: {bytes, ms}, long: {bytes, ms}}]}: per run, the mean
// bytes appended and ms per change over 32 changes (four history rows' worth) of each record.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loopWorkspace } from './workload.mjs';
import { FileStorage } from '../../web/src/engine/storage/file.js';

const [dist, runsArg] = process.argv.slice(2);
const RUNS = Number(runsArg) || 5;
const PER_RUN = 32, LONG = 1000, SHORT = 10;
const { Host, loadEngine } = await import(pathToFileURL(path.join(dist, 'worker.js')).href);

const dir = mkdtempSync(path.join(tmpdir(), 'ringi-bench-history-'));
const storage = new FileStorage(dir, { compactBytes: 1 << 30 });
await storage.open('bench');
const host = new Host({ engine: await loadEngine(), storage, database: 'bench-history', broadcast: false, snapshotDelay: -1 });
await host.open();
// Record 1 is the long-lived one; records 2.. each serve one run as the short one.
await host.request('load', { workspace: loopWorkspace(1 + RUNS) });
const change = async (id) => {
  const r = await host.request('call', { user: 'sato', method: 'PUT', path: '/k/v1/record/status.json', body: { app: 1, id, action: '承認する' } });
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
};
const measure = async (id) => {
  const size0 = statSync(storage.logFile).size;
  const t0 = performance.now();
  for (let i = 0; i < PER_RUN; i++) await change(id);
  return { ms: (performance.now() - t0) / PER_RUN, bytes: (statSync(storage.logFile).size - size0) / PER_RUN };
};
for (let i = 0; i < LONG; i++) await change(1);
const runs = [];
for (let r = 0; r < RUNS; r++) {
  for (let i = 0; i < SHORT; i++) await change(2 + r);
  const short = await measure(2 + r);
  const long = await measure(1);
  runs.push({ short, long });
}
await host.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ runs, perRun: PER_RUN, short: SHORT, long: LONG }));
