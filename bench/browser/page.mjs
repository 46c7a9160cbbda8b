// The bench page's side of the browser benchmarks (bench/README.md says what each figure times).
// bench/run.mjs drives it through window.bench.*; every function returns plain data.
import { createKintone } from '/dist/ringi.js';
import { approvalWorkspace, loopWorkspace, APPROVAL_QUERY } from '/bench/node/workload.mjs';

/** @type {any} */
let k = null;
/** @type {any[]} the ChangeSets Ringi committed during the last runBatches() */
let lastCommits = [];
/** batch_number -> {t: performance.now() when its final progress event arrived, p: the event} */
const finished = new Map();
const finishWaiters = new Map();

// ── control channel to bench/browser/ringi-worker.mjs ─────────────────────────────────────────
const ctl = new BroadcastChannel('ringi-bench');
let ctlId = 0;
const ctlWaiters = new Map();
ctl.onmessage = (ev) => {
  const w = ctlWaiters.get(ev.data?.id);
  if (!w || !ev.data.reply) return;
  ctlWaiters.delete(ev.data.id);
  if (ev.data.error) w.reject(new Error(ev.data.error)); else w.resolve(ev.data);
};
function control(cmd, extra = {}) {
  const id = ++ctlId;
  return new Promise((resolve, reject) => { ctlWaiters.set(id, { resolve, reject }); ctl.postMessage({ id, cmd, ...extra }); });
}

// ── the plain-IndexedDB baseline worker ─────────────────────────────────────────────────────
let idbWorker = null;
function idb(msg) {
  if (!idbWorker) idbWorker = new Worker('/bench/browser/idb-worker.mjs', { type: 'module' });
  return new Promise((resolve, reject) => {
    idbWorker.onmessage = (ev) => (ev.data.error ? reject(new Error(ev.data.error)) : resolve(ev.data));
    idbWorker.postMessage(msg);
  });
}

function waitFinished(bn) {
  if (finished.has(bn)) return Promise.resolve(finished.get(bn));
  return new Promise((resolve) => finishWaiters.set(bn, resolve));
}

async function open({ database, storage = 'indexeddb', chunkSize }) {
  if (k) await k.ringi.close();
  k = await createKintone({ user: 'sato', worker: true, storage, database, chunkSize, workerUrl: '/bench/browser/ringi-worker.mjs' });
  k.ringi.on('progress', (p) => {
    if (p.state !== 'completed' && p.state !== 'partially_completed' && p.state !== 'cancelled') return;
    const e = { t: performance.now(), p };
    finished.set(p.batch_number, e);
    finishWaiters.get(p.batch_number)?.(e);
    finishWaiters.delete(p.batch_number);
  });
  return { database, storage };
}

async function load(kind, n) {
  const ws = kind === 'loop' ? loopWorkspace(n) : approvalWorkspace(n);
  const t0 = performance.now();
  const r = await k.ringi.load(ws);
  return { ...r, ms: performance.now() - t0 };
}

async function openTaskIds() {
  const { tasks } = await k.api('/batch_approvals/_tasks?user_id=sato', 'GET', {});
  return tasks.map((t) => t.task_id);
}

/**
 * Submit the groups back to back and wait for every batch's final progress event.
 * Timed: from just before the first kintone.api('_submit') to the arrival of the last batch's
 * final ('completed') progress event; the worker posts that event only after the chunk's
 * IndexedDB transaction completed (durability 'strict').
 */
async function runBatches(groups, { watchMainThread = false } = {}) {
  await control('record');
  let longTasks = [];
  let maxLate = 0;
  let observer = null;
  let ticking = false;
  if (watchMainThread) {
    observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); });
    observer.observe({ type: 'longtask' });
    ticking = true;
    const PERIOD = 10;
    // A 10 ms timer chain: lateness = when the callback ran - when it was due.
    const arm = () => { const due = performance.now() + PERIOD; setTimeout(() => tick(due), PERIOD); };
    const tick = (due) => {
      if (!ticking) return;
      maxLate = Math.max(maxLate, performance.now() - due);
      arm();
    };
    arm();
    await new Promise((r) => setTimeout(r, 50)); // the first ticks run before the clock starts
    maxLate = 0;
  }
  const t0 = performance.now();
  const bns = [];
  for (const g of groups) bns.push((await k.api('/batch_approvals/_submit?user_id=sato', 'POST', g)).batch_number);
  const ends = await Promise.all(bns.map(waitFinished));
  const t1 = Math.max(...ends.map((e) => e.t));
  ticking = false;
  if (observer) { observer.takeRecords().forEach((e) => longTasks.push(e.duration)); observer.disconnect(); }
  const { commits, profile, snapshots } = await control('recorded');
  const tasks = groups.reduce((n, g) => n + g.length, 0);
  const succeeded = ends.reduce((n, e) => n + (e.p.succeeded ?? e.p.processed - e.p.failed_tasks.length), 0);
  let rows = 0;
  for (const c of commits) for (const part of [c.put || {}, c.delete || {}]) for (const v of Object.values(part)) rows += v.length;
  lastCommits = commits;
  return {
    ms: t1 - t0, tasks, succeeded, states: [...new Set(ends.map((e) => e.p.state))],
    txs: commits.length, rows, longTasks, maxLateMs: maxLate, profile, snapshots,
  };
}

/** Replays the last run's commits with plain IndexedDB in its own worker; timed from postMessage to reply. */
async function baseline(database) {
  await idb({ cmd: 'load', database, commits: lastCommits });
  const t0 = performance.now();
  const r = await idb({ cmd: 'run' });
  return { ms: performance.now() - t0, rows: r.rows, txs: r.txs, putMs: r.putMs, perTx: r.perTx };
}

/** Makes database `to` a copy of `from` for the baseline to replay into (idb-worker.mjs `twin`). */
async function twin(from, to) {
  return (await idb({ cmd: 'twin', from, to })).rows;
}

/** A fresh Waiting record id range for single updates. */
async function apiRoundtrips(ids, action = 'Approve') {
  const ms = [];
  for (const id of ids) {
    const t0 = performance.now();
    await k.api('/k/v1/record/status', 'PUT', { app: 1, id, action });
    ms.push(performance.now() - t0);
  }
  return ms;
}

/**
 * `n` single status changes of record `id` (the loop workspace's 承認する), each answered after
 * its IndexedDB commit: {ms: [per change], bytes: [the JSON of the rows each commit stored]}.
 */
async function statusChanges(id, n) {
  await control('record');
  const ms = await apiRoundtrips(Array.from({ length: n }, () => id), '承認する');
  const { commits } = await control('recorded');
  return { ms, bytes: commits.map((c) => JSON.stringify(c.put || {}).length + JSON.stringify(c.delete || {}).length) };
}

async function query(runs) {
  const body = { app: 1, query: APPROVAL_QUERY, totalCount: true };
  const request = JSON.stringify({ user: 'sato', method: 'GET', path: '/k/v1/records.json', body });
  // Untimed first: V8 runs new wasm code on its baseline compiler and optimises hot functions in
  // the background, so the first calls after the load measure the JIT, not the query.
  await control('call', { request, runs: 5 });
  const inWorker = await control('call', { request, runs });
  const page = [];
  let total = null, returned = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = await k.api('/k/v1/records', 'GET', body);
    page.push(performance.now() - t0);
    total = r.totalCount; returned = r.records.length;
  }
  return { workerMs: inWorker.ms, status: inWorker.status, pageMs: page, totalCount: total, returned };
}

async function heap() { return control('heap'); }
async function restoreHeap() { return control('restoreHeap'); }

async function readCount(database, store, pred) {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(database);
    r.onsuccess = () => {
      const g = r.result.transaction(store, 'readonly').objectStore(store).getAll();
      g.onsuccess = () => { resolve(g.result.filter(pred ? new Function('x', `return ${pred}`) : () => true).length); r.result.close(); };
      g.onerror = () => reject(g.error);
    };
    r.onerror = () => reject(r.error);
  });
}

/** Delete the cold-start snapshot of `database` (raw IndexedDB), so the next open reads every row. */
function dropSnapshot(database) {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(database);
    r.onerror = () => reject(r.error);
    r.onsuccess = () => {
      const tx = r.result.transaction('snapshot', 'readwrite');
      tx.objectStore('snapshot').clear();
      tx.oncomplete = () => { r.result.close(); resolve(undefined); };
      tx.onerror = () => reject(tx.error);
    };
  });
}

async function close() { if (k) await k.ringi.close(); k = null; idbWorker?.terminate(); idbWorker = null; }

window.bench = { open, load, openTaskIds, runBatches, baseline, twin, apiRoundtrips, statusChanges, query, heap, restoreHeap, readCount, dropSnapshot, close };
window.benchReady = true;
