// Kill chaos: `ringi serve --data` under a client loop of status changes, bulk status changes,
// batch submits and reopenings is killed with SIGKILL at random moments and started again, many
// times. A ledger holds every acknowledged write; after each restart:
//   - every acknowledged change is there (status and revision of every record);
//   - a write cut off by the kill either happened whole or not at all: a bulk change is never
//     half-applied, a batch either exists (and then runs) or does not;
//   - every batch runs to its end and each of its items exactly once (status Done, revision +2).
// Then the data folder is damaged (a cut inside the last record, a flipped byte, garbage
// appended): serve either refuses, naming changes.log and the byte, or starts with the intact
// prefix and says what it cut. Never silent loss.
// RINGI_CHAOS_KILLS (default 8 in npm test; `npm run chaos` runs 60) and RINGI_CHAOS_SEED.
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readLog } from '../../web/src/engine/storage/file-log.js';
import { rng } from '../../web/demo/demo-workspace.js';  // seeded: RINGI_CHAOS_SEED repeats a run
import { basicAuth, killAll, raw, runRingi, skipWithoutEngine as skip, startServer } from './helpers/serve-process.mjs';

const KILLS = Number(process.env.RINGI_CHAOS_KILLS || 8);
const SEED = Number(process.env.RINGI_CHAOS_SEED || Date.now() % 1e9);
const N = 24;  // records per app

const dir = mkdtempSync(path.join(tmpdir(), 'ringi-chaos-'));
after(() => { killAll(); rmSync(dir, { recursive: true, force: true }); });

/** App 1 toggles A <-> B (no assignees); app 2 is approved by sato (batch approval) and reopened. */
function workspace() {
  const none = { type: 'ONE', entities: [] };
  const sato = { type: 'ANY', entities: [{ entity: { type: 'USER', code: 'sato' }, includeSubs: false }] };
  const fields = { title: { type: 'SINGLE_LINE_TEXT', code: 'title', label: 'Title' } };
  return {
    users: [{ code: 'sato', name: 'Sato', locale: 'en' }, { code: 'Administrator', name: 'Administrator', locale: 'en' }],
    apps: [
      {
        app: 1, name: 'Toggle', locale: 'en', fields,
        status: {
          enable: true,
          states: { A: { name: 'A', index: '0', assignee: none }, B: { name: 'B', index: '1', assignee: none } },
          actions: [{ name: 'forward', from: 'A', to: 'B', filterCond: '', type: 'PRIMARY' }, { name: 'back', from: 'B', to: 'A', filterCond: '', type: 'PRIMARY' }],
        },
        records: Array.from({ length: N }, (_, i) => ({ $id: { value: String(i + 1) }, title: { value: `t${i + 1}` }, Status: { value: 'A' } })),
      },
      {
        app: 2, name: 'Approvals', locale: 'en', fields,
        status: {
          enable: true,
          states: { Waiting: { name: 'Waiting', index: '0', assignee: sato }, Done: { name: 'Done', index: '1', assignee: none } },
          actions: [{ name: 'Approve', from: 'Waiting', to: 'Done', filterCond: '', type: 'PRIMARY' }, { name: 'Reopen', from: 'Done', to: 'Waiting', filterCond: '', type: 'PRIMARY' }],
        },
        batch_approval: { enabled: true, actions: { Waiting: 'Approve' } },
        records: Array.from({ length: N }, (_, i) => ({ $id: { value: String(i + 1) }, title: { value: `w${i + 1}` }, Status: { value: 'Waiting' }, Assignee: { value: [{ code: 'sato' }] } })),
      },
    ],
  };
}

const auth = basicAuth('sato');
const json = { 'content-type': 'application/json' };
const call = (port, method, p, body) => raw(port, { method, path: p, headers: body === undefined ? auth : { ...auth, ...json }, body: body === undefined ? undefined : JSON.stringify(body) });

/** {id: {status, rev}} of an app, as the server has it. */
async function statesOf(port, app) {
  const r = await call(port, 'GET', `/k/v1/records.json?app=${app}&query=${encodeURIComponent('order by $id asc limit 500')}`);
  assert.equal(r.status, 200, r.text);
  return Object.fromEntries(r.json.records.map((x) => [x.$id.value, { status: x.Status.value, rev: Number(x.$revision.value) }]));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test(`kill -9 at random moments loses nothing acknowledged (${KILLS} kills, seed ${SEED})`, { skip, timeout: 30 * 60 * 1000 }, async () => {
  const rand = rng(SEED);
  const pick = (n) => Math.floor(rand() * n);
  const data = path.join(dir, 'data');
  const wsFile = path.join(dir, 'chaos-workspace.json');
  writeFileSync(wsFile, JSON.stringify(workspace()));

  // The ledger: what the server acknowledged. A record whose last write was cut off by a kill is
  // `maybe` (either state is fine, nothing else); a batch is {records: {id: revAtSubmit}}.
  /** @type {Record<number, Record<string, {status: string, rev: number, maybe?: {status: string, rev: number}[]}>>} */
  const ledger = { 1: {}, 2: {} };
  for (let i = 1; i <= N; i++) { ledger[1][i] = { status: 'A', rev: 1 }; ledger[2][i] = { status: 'Waiting', rev: 1 }; }
  /** @type {{number: string|null, records: Record<string, number>, acked: boolean}[]} */
  let batches = [];
  /** bulk writes cut off: their records must all have moved, or none. */
  let cutBulks = [];
  const inBatch = new Set();
  const counts = { single: 0, bulk: 0, batch: 0, reopen: 0, cut: 0, batchItems: 0 };

  const expectState = (app, id, actual, label) => {
    const want = ledger[app][id];
    const ok = want.maybe ? want.maybe.some((m) => m.status === actual.status && m.rev === actual.rev) : (want.status === actual.status && want.rev === actual.rev);
    assert.ok(ok, `${label}: app ${app} record ${id} is ${JSON.stringify(actual)}, the ledger says ${JSON.stringify(want)}`);
    ledger[app][id] = { status: actual.status, rev: actual.rev };
  };

  /** After a start: the ledger holds, cut-off writes are whole or absent, batches finish once. */
  async function verify(port, label) {
    // Batches run between requests after a restart: wait until every acknowledged or possible
    // batch is over (their records no longer Waiting at the submit revision, or proven absent).
    const s1 = await statesOf(port, 1);
    for (let i = 1; i <= N; i++) expectState(1, i, s1[i], label);
    for (const b of cutBulks) {
      const moved = b.ids.map((id) => ledger[1][id].rev !== b.revs[id]);
      assert.ok(moved.every(Boolean) || !moved.some(Boolean), `${label}: a bulk change was half-applied: ${JSON.stringify({ b, moved })}`);
    }
    cutBulks = [];
    for (let tries = 0; ; tries++) {
      const s2 = await statesOf(port, 2);
      let pending = false;
      for (const b of batches) {
        const states = Object.entries(b.records).map(([id, rev]) => s2[id].rev === rev ? 'before' : (s2[id].status === 'Done' && s2[id].rev === rev + 2) ? 'once' : 'wrong');
        assert.ok(!states.includes('wrong'), `${label}: batch ${b.number} ran an item other than once: ${JSON.stringify({ records: b.records, now: Object.keys(b.records).map((id) => s2[id]) })}`);
        if (states.includes('before')) {
          if (b.acked && b.number) {
            const p = await call(port, 'GET', `/batch_approvals/_submit?batch_number=${b.number}`);
            assert.equal(p.status, 200, `${label}: acknowledged batch ${b.number} is gone: ${p.text}`);
          }
          pending = true;
        }
      }
      if (!pending || tries > 200) {
        for (const b of batches) {
          const done = Object.entries(b.records).every(([id, rev]) => s2[id].rev === rev + 2);
          const none = Object.entries(b.records).every(([id, rev]) => s2[id].rev === rev);
          assert.ok(done || (!b.acked && none), `${label}: batch ${b.number ?? '(cut off)'} ${b.acked ? 'acknowledged but did not finish' : 'half there'}: ${JSON.stringify(b)}`);
          for (const [id, rev] of Object.entries(b.records)) {
            ledger[2][id] = done ? { status: 'Done', rev: rev + 2 } : { status: 'Waiting', rev };
            inBatch.delete(id);
          }
          if (done) counts.batchItems += Object.keys(b.records).length;
        }
        batches = [];
        for (let i = 1; i <= N; i++) expectState(2, i, s2[i], label);
        return;
      }
      await sleep(25);
    }
  }

  /** One random write; resolves false when the server went away before answering. */
  async function step(port) {
    const kind = pick(10);
    try {
      if (kind < 4) {  // a single status change on app 1
        const id = String(1 + pick(N));
        const cur = ledger[1][id];
        const action = cur.status === 'A' ? 'forward' : 'back';
        const next = { status: cur.status === 'A' ? 'B' : 'A', rev: cur.rev + 2 };
        ledger[1][id] = { ...cur, maybe: [cur, next] };
        const r = await call(port, 'PUT', '/k/v1/record/status.json', { app: 1, id, action, revision: cur.rev });
        assert.equal(r.status, 200, r.text);
        assert.equal(Number(r.json.revision), next.rev);
        ledger[1][id] = next;
        counts.single++;
      } else if (kind < 7) {  // a bulk status change of 2-6 records on app 1
        const ids = [...new Set(Array.from({ length: 2 + pick(5) }, () => String(1 + pick(N))))];
        const revs = Object.fromEntries(ids.map((id) => [id, ledger[1][id].rev]));
        const records = ids.map((id) => ({ id, action: ledger[1][id].status === 'A' ? 'forward' : 'back', revision: ledger[1][id].rev }));
        const before = Object.fromEntries(ids.map((id) => [id, ledger[1][id]]));
        const after = Object.fromEntries(ids.map((id) => [id, { status: before[id].status === 'A' ? 'B' : 'A', rev: before[id].rev + 2 }]));
        for (const id of ids) ledger[1][id] = { ...before[id], maybe: [before[id], after[id]] };
        cutBulks.push({ ids, revs });
        const r = await call(port, 'PUT', '/k/v1/records/status.json', { app: 1, records });
        cutBulks.pop();
        assert.equal(r.status, 200, r.text);
        for (const id of ids) ledger[1][id] = after[id];
        counts.bulk++;
      } else if (kind < 9) {  // a batch of up to 5 of sato's tasks on app 2
        const t = await call(port, 'GET', '/batch_approvals/_tasks?app=2');
        assert.equal(t.status, 200, t.text);
        const free = t.json.tasks.filter((x) => !inBatch.has(x.record_id) && ledger[2][x.record_id].status === 'Waiting' && !ledger[2][x.record_id].maybe);
        if (free.length === 0) return true;
        const chosen = free.slice(0, 1 + pick(5));
        const b = { number: null, records: Object.fromEntries(chosen.map((x) => [x.record_id, ledger[2][x.record_id].rev])), acked: false };
        for (const x of chosen) inBatch.add(x.record_id);
        batches.push(b);
        const r = await call(port, 'POST', '/batch_approvals/_submit', chosen.map((x) => x.task_id));
        assert.equal(r.status, 200, r.text);
        b.number = r.json.batch_number;
        b.acked = true;
        counts.batch++;
      } else {  // reopen a Done record of app 2
        const done = Object.keys(ledger[2]).filter((id) => ledger[2][id].status === 'Done' && !ledger[2][id].maybe && !inBatch.has(id));
        if (done.length === 0) return true;
        const id = done[pick(done.length)];
        const cur = ledger[2][id];
        const next = { status: 'Waiting', rev: cur.rev + 2 };
        ledger[2][id] = { ...cur, maybe: [cur, next] };
        const r = await call(port, 'PUT', '/k/v1/record/status.json', { app: 2, id, action: 'Reopen', revision: cur.rev });
        assert.equal(r.status, 200, r.text);
        ledger[2][id] = next;
        counts.reopen++;
      }
      return true;
    } catch (e) {
      if (e && /** @type {any} */ (e).code && /ECONNRESET|ECONNREFUSED|EPIPE|socket hang up/.test(`${/** @type {any} */ (e).code} ${/** @type {any} */ (e).message}`)) {
        counts.cut++;
        return false;
      }
      throw e;
    }
  }

  let srv = await startServer(['--workspace', wsFile, '--data', data]);
  for (let kill = 0; kill < KILLS; kill++) {
    await verify(srv.port, `after start ${kill}`);
    let alive = true;
    const timer = setTimeout(() => { alive = false; srv.proc.kill('SIGKILL'); }, 40 + pick(400));
    while (alive) if (!(await step(srv.port))) break;
    clearTimeout(timer);
    if (srv.proc.exitCode === null && srv.proc.signalCode === null) srv.proc.kill('SIGKILL');
    await srv.exited;
    srv = await startServer(['--data', data]);
  }
  await verify(srv.port, 'at the end');
  console.log(`chaos (seed ${SEED}): ${KILLS} kills, ${JSON.stringify(counts)}`);
  assert.ok(counts.single + counts.bulk + counts.batch > KILLS, JSON.stringify(counts));

  // Damage: three copies of the folder, each damaged one way.
  srv.proc.kill('SIGTERM');
  await srv.exited;
  const log = readFileSync(path.join(data, 'changes.log'));
  const { offsets } = readLog(log);
  assert.ok(offsets.length > 2, 'the log holds records');
  const damages = [
    ['a cut inside the last record', (d) => writeFileSync(path.join(d, 'changes.log'), log.subarray(0, log.length - 7))],
    ['a flipped byte in the middle', (d) => { const b = Buffer.from(log); b[offsets[Math.floor(offsets.length / 2)] + 12] ^= 0x10; writeFileSync(path.join(d, 'changes.log'), b); }],
    ['garbage appended', (d) => appendFileSync(path.join(d, 'changes.log'), Buffer.from('\u0007garbage after the last record'.repeat(5)))],
  ];
  const outcomes = [];
  for (const [name, damage] of damages) {
    const copy = path.join(dir, `damaged-${name.replace(/\W+/g, '-')}`);
    cpSync(data, copy, { recursive: true });
    damage(copy);
    const started = await startServer(['--data', copy]).catch((e) => e);
    if (started instanceof Error) {
      const out = /** @type {any} */ (started).output;
      assert.match(out, /changes\.log: .* at byte \d+/, `${name}: a refusal names the file and the byte`);
      outcomes.push(`${name}: refused`);
      continue;
    }
    assert.match(started.output(), /cut|dropped|torn/, `${name}: started without saying what it cut:\n${started.output()}`);
    const s1 = await statesOf(started.port, 1);
    for (let i = 1; i <= N; i++) assert.ok(['A', 'B'].includes(s1[i].status) && s1[i].rev <= ledger[1][i].rev, `${name}: record ${i}`);
    started.proc.kill('SIGKILL');
    outcomes.push(`${name}: started, cut`);
  }
  console.log(`damaged folders: ${outcomes.join('; ')}`);
  assert.ok(outcomes[0].endsWith('cut') && outcomes[1].endsWith('refused'), outcomes.join('; '));
});
