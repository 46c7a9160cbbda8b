// `ringi serve --data` keeps what it acknowledged, whatever happens to the process or its files:
// a damaged data folder is refused at start (exit 1, the file and the byte named, nothing
// re-imported from --workspace), `ringi repair` cuts it to its intact prefix and says so, and the
// server then starts with exactly that prefix.
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readLog } from '../../web/src/storage/file-log.js';
import { startServer, runRingi, raw, basicAuth, killAll, WORKSPACE, skipWithoutEngine as skip } from './helpers/serve-process.mjs';

const dirs = [];
after(() => {
  killAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const dataDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ringi-durable-'));
  dirs.push(d);
  return d;
};
const json = { 'content-type': 'application/json' };
const addRecord = (port, title) => raw(port, { method: 'POST', path: '/k/v1/record.json', headers: { ...basicAuth('sato'), ...json }, body: JSON.stringify({ app: 2, record: { title: { value: title } } }) });
const titles = async (port) => (await raw(port, { path: '/k/v1/records.json?app=2&query=order%20by%20%24id%20asc%20limit%20500', headers: basicAuth('sato') })).json.records.map((r) => r.title.value);

test('a damaged log: serve refuses to start and imports nothing; repair cuts it; serve starts with the intact prefix', { skip }, async () => {
  const dir = dataDir();
  let srv = await startServer(['--workspace', WORKSPACE, '--data', dir]);
  for (let i = 0; i < 10; i++) assert.equal((await addRecord(srv.port, `r${i}`)).status, 200);
  srv.proc.kill('SIGKILL');
  await srv.exited;

  // The import is record 1 of the log, the ten adds records 2..11: damage the add of r4 (record 6).
  const logFile = path.join(dir, 'changes.log');
  const bytes = readFileSync(logFile);
  const { offsets } = readLog(bytes);
  assert.equal(offsets.length, 11);
  bytes[offsets[5] + 30] ^= 0x01;
  writeFileSync(logFile, bytes);

  const refused = await startServer(['--workspace', WORKSPACE, '--data', dir]).then(() => null, (e) => e);
  assert.ok(refused, 'serve must not start on a damaged log');
  assert.equal(refused.exit.code, 1);
  assert.match(refused.output, new RegExp(`ringi: ${logFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: a record whose checksum does not match \\(record 6\\) at byte ${offsets[5]}; 5 intact records follow it\\. .*ringi repair --data`));
  assert.doesNotMatch(refused.output, /imported/);
  assert.deepEqual(readFileSync(logFile), bytes, 'the refusal left the log as it was');

  const repair = await runRingi(['repair', '--data', dir]);
  assert.equal(repair.code, 0, repair.output);
  assert.match(repair.output, /Dropped bytes \d+-\d+ \(\d+ bytes\): the bad record and the 5 intact records after it\. Kept 5 records, up to seq 5\./);
  assert.match(repair.output, /A copy of the file as it was is in .*changes\.log\.damaged-/);

  srv = await startServer(['--workspace', WORKSPACE, '--data', dir]);
  assert.match(srv.output(), /already holds data: --workspace ignored/);
  assert.deepEqual(await titles(srv.port), ['r0', 'r1', 'r2', 'r3']);
  srv.proc.kill('SIGTERM');
  await srv.exited;
});

test('a deleted snapshot is refused by serve, and repair says only a backup helps', { skip }, async () => {
  const dir = dataDir();
  // Compaction after every commit: the state lives in snapshot.json.
  let srv = await startServer(['--workspace', WORKSPACE, '--data', dir, '--compact-bytes', '1']);
  assert.equal((await addRecord(srv.port, 'kept')).status, 200);
  srv.proc.kill('SIGTERM');
  await srv.exited;
  rmSync(path.join(dir, 'snapshot.json'));
  const refused = await startServer(['--workspace', WORKSPACE, '--data', dir]).then(() => null, (e) => e);
  assert.equal(refused?.exit.code, 1);
  assert.match(refused.output, /changes\.log: the log continues the snapshot of seq 2, but snapshot\.json is missing at byte 12\. Nothing was changed\. Restore snapshot\.json from a backup\./);
  const repair = await runRingi(['repair', '--data', dir]);
  assert.equal(repair.code, 1);
  assert.match(repair.output, /snapshot\.json is missing: restore snapshot\.json from a backup\. Nothing was changed\./);
});
