// Batch approval in the worker: check -> submit -> progress events to completion; persistence
// across reload; a reload mid-batch resumes it and applies every task exactly once.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openRingi, readStore, waitFor } from './helpers.mjs';
import { approvalWorkspace, schema3Rows, createSchema3Database } from '../fixtures/workspaces.mjs';

let env;
before(async () => { env = await setup(); });
after(() => env?.close());

const approveCount = (rec) => (rec.history || []).filter((h) => h.action === 'Approve').length;

test('check -> submit -> progress to completion, then reload: everything as it was', async () => {
  const page = await env.page();
  // 50-task chunks (the default is one chunk per batch), so progress arrives in several steps.
  await openRingi(page, { user: 'sato', database: 'batch1', chunkSize: 50 });
  const r = await page.evaluate(async (ws) => {
    await kintone.ringi.load(ws);
    const { tasks } = await kintone.api('/batch_approvals/_tasks?user_id=sato', 'GET', {});
    const ids = tasks.map((t) => t.task_id);
    const check = await kintone.api('/batch_approvals/_check?user_id=sato', 'POST', ids.slice(0, 200));
    const check2 = await kintone.api('/batch_approvals/_check?user_id=sato', 'POST', ids.slice(200));
    const b1 = await kintone.api('/batch_approvals/_submit?user_id=sato', 'POST', ids.slice(0, 200));
    const b2 = await kintone.api('/batch_approvals/_submit?user_id=sato', 'POST', ids.slice(200));
    return { n: tasks.length, supported: [...check, ...check2].filter((c) => c.supported).length, b1: b1.batch_number, b2: b2.batch_number };
  }, approvalWorkspace(300));
  assert.equal(r.n, 300);
  assert.equal(r.supported, 300);
  await waitFor(() => page.evaluate(([a, b]) => [a, b].every((bn) => window.__progress.some((p) => p.batch_number === bn && p.state === 'completed')), [r.b1, r.b2]));
  const progress = await page.evaluate(() => window.__progress);
  const p1 = progress.filter((p) => p.batch_number === r.b1).map((p) => p.processed);
  assert.ok(p1.length >= 2, `several progress events: ${p1}`);
  assert.deepEqual([...p1].sort((a, b) => a - b), p1, 'processed only grows');
  assert.equal(p1.at(-1), 200);
  const final = progress.filter((p) => p.batch_number === r.b1).at(-1);
  assert.deepEqual(final.failed_tasks, []);
  assert.equal(final.total, 200);

  await page.reload();
  await openRingi(page, { user: 'sato', database: 'batch1' });
  const after = await page.evaluate(async ([b1]) => ({
    tasks: (await kintone.api('/batch_approvals/_tasks?user_id=sato', 'GET', {})).tasks.length,
    progress: await kintone.api(`/batch_approvals/_submit?user_id=sato&batch_number=${b1}`, 'GET', {}),
    record: (await kintone.api('/k/v1/record', 'GET', { app: 1, id: 17 })).record,
    login: kintone.getLoginUser(),  // from the open reply, read with the restored directory
  }), [r.b1]);
  assert.equal(after.login.name, 'Sato');
  assert.equal(after.tasks, 0);
  assert.equal(after.progress.processed, 200);
  assert.equal(after.progress.total, 200);
  assert.equal(after.record.Status.value, 'Approved');
  assert.equal(after.record.$revision.value, '5');
  const rows = await readStore(page, 'records', 'batch1');
  assert.equal(rows.length, 300);
  for (const row of rows) assert.equal(approveCount(row), 1, `record ${row.id}`);
  await page.close();
});

test('reload mid-batch: the batch resumes and each task is applied exactly once', async () => {
  const page = await env.page();
  await openRingi(page, { user: 'sato', database: 'resume', chunkSize: 20 });
  const batches = await page.evaluate(async (ws) => {
    await kintone.ringi.load(ws);
    const { tasks } = await kintone.api('/batch_approvals/_tasks?user_id=sato', 'GET', {});
    const ids = tasks.map((t) => t.task_id);
    const out = [];
    for (let i = 0; i < ids.length; i += 200) out.push((await kintone.api('/batch_approvals/_submit?user_id=sato', 'POST', ids.slice(i, i + 200))).batch_number);
    return out;
  }, approvalWorkspace(1000));
  await waitFor(() => page.evaluate(() => window.__progress.some((p) => p.processed >= 20)), { interval: 5 });
  await page.reload(); // the worker dies with the page, mid-batch
  const mid = await readStore(page, 'batches', 'resume');
  const processedAtReload = mid.reduce((s, b) => s + b.processed, 0);
  assert.ok(processedAtReload < 1000, `interrupted at ${processedAtReload}`);
  await openRingi(page, { user: 'sato', database: 'resume', chunkSize: 20 });
  const finals = await waitFor(() => page.evaluate(async (bns) => {
    const ps = [];
    for (const bn of bns) ps.push(await kintone.api(`/batch_approvals/_submit?user_id=sato&batch_number=${bn}`, 'GET', {}));
    return ps.every((p) => p.state === 'completed') ? ps : null;
  }, batches), { timeout: 120000, interval: 200 });
  assert.equal(finals.reduce((s, p) => s + p.processed, 0), 1000);
  assert.ok(finals.every((p) => p.failed_tasks.length === 0));
  const rows = await readStore(page, 'records', 'resume');
  assert.equal(rows.length, 1000);
  for (const row of rows) {
    assert.equal(approveCount(row), 1, `record ${row.id}`);
    assert.equal(row.revision, 5, `record ${row.id}`);
  }
  await page.close();
});

test('snapshot: an idle page leaves one; the reload restores from it; after a commit, from it plus the journal; after a delete, from the rows', async () => {
  const page = await env.page();
  await openRingi(page, { user: 'sato', database: 'snap1' });
  const first = await page.evaluate(async (ws) => {
    await kintone.ringi.load(ws);
    await kintone.api('/k/v1/record/status', 'PUT', { app: 1, id: 3, action: 'Approve' });
    return kintone.ringi.opened.restoredFrom;
  }, approvalWorkspace(120));
  assert.equal(first, 'rows', 'a new database has no snapshot');
  // written about a second after the last commit (host.js snapshotDelay), with the current generation
  const snap = await waitFor(async () => (await readStore(page, 'snapshot', 'snap1'))[0], { timeout: 15000, interval: 100 });
  const [gen] = await readStore(page, 'sync', 'snap1');
  assert.equal(snap.generation, gen.value);
  const rowsInSnapshot = await page.evaluate(() => new Promise((resolve, reject) => {
    const r = indexedDB.open('snap1');
    r.onsuccess = () => {
      const g = r.result.transaction('snapshot').objectStore('snapshot').get('rows');
      g.onsuccess = () => {
        r.result.close();
        try {
          // the engine's rows pieces: each a rows document of its own
          const pieces = g.result.bytes;
          if (!Array.isArray(pieces) || !pieces.every((p) => p instanceof Uint8Array)) throw new Error('not a list of Uint8Array');
          resolve(pieces.reduce((n, p) => n + (JSON.parse(new TextDecoder().decode(p)).records?.length ?? 0), 0));
        } catch (e) { reject(e); }
      };
      g.onerror = () => reject(g.error);
    };
    r.onerror = () => reject(r.error);
  }));
  assert.equal(rowsInSnapshot, 120);

  await page.reload();
  await openRingi(page, { user: 'sato', database: 'snap1' });
  const fromSnapshot = await page.evaluate(async () => ({
    opened: kintone.ringi.opened,
    status: (await kintone.api('/k/v1/record', 'GET', { app: 1, id: 3 })).record.Status.value,
    tasks: (await kintone.api('/batch_approvals/_tasks?user_id=sato', 'GET', {})).tasks.length,
  }));
  assert.equal(fromSnapshot.opened.restoredFrom, 'snapshot');
  assert.equal(fromSnapshot.opened.restored.records, 120);
  // The worker's breakdown of that open, in order: the snapshot is read once the database is open,
  // restored once the engine is loaded as well, and the reply comes last.
  const t = fromSnapshot.opened.timings;
  assert.ok(t.storageOpen <= t.stateRead && t.stateRead <= t.restored && t.engineReady <= t.restored && t.restored <= t.ready, JSON.stringify(t));
  assert.equal(fromSnapshot.status, 'Approved');
  assert.equal(fromSnapshot.tasks, 119);

  // A commit, then a reload at once (before the page is idle): the snapshot is stale, and the
  // journal names the rows that commit wrote, so the open reads those by key, not every row.
  await page.evaluate(() => kintone.api('/k/v1/record/status', 'PUT', { app: 1, id: 4, action: 'Approve' }));
  await page.reload();
  await openRingi(page, { user: 'sato', database: 'snap1' });
  const fromJournal = await page.evaluate(async () => ({
    opened: kintone.ringi.opened,
    status: (await kintone.api('/k/v1/record', 'GET', { app: 1, id: 4 })).record.Status.value,
    tasks: (await kintone.api('/batch_approvals/_tasks?user_id=sato', 'GET', {})).tasks.length,
  }));
  assert.equal(fromJournal.opened.restoredFrom, 'snapshot+journal');
  assert.equal(fromJournal.opened.restored.records, 120);
  assert.equal(fromJournal.status, 'Approved');
  assert.equal(fromJournal.tasks, 118);

  // A delete is not in what the journal can replay: every row is read.
  await page.evaluate(() => kintone.api('/k/v1/records', 'DELETE', { app: 1, ids: [5] }));
  await page.reload();
  await openRingi(page, { user: 'sato', database: 'snap1' });
  const fromRows = await page.evaluate(async () => ({
    opened: kintone.ringi.opened,
    gone: await kintone.api('/k/v1/record', 'GET', { app: 1, id: 5 }).then(() => false, (e) => e.code === 'GAIA_RE01'),
  }));
  assert.equal(fromRows.opened.restoredFrom, 'rows');
  assert.equal(fromRows.opened.restored.records, 119);
  assert.equal(fromRows.gone, true);
  await page.close();
});

test('a schema-3 database (every task a row of its own) opens in Chromium as schema 5, rewrites nothing, reads as the same state, and goes on working', async () => {
  const page = await env.page();
  await openRingi(page, { user: 'sato', database: 'src3', snapshotDelay: -1 });
  await page.evaluate(async (ws) => {
    await kintone.ringi.load(ws);
    await kintone.api('/k/v1/record/status', 'PUT', { app: 1, id: 1, action: 'Approve' });
    await kintone.api('/k/v1/records', 'DELETE', { app: 1, ids: [2] });
    await kintone.ringi.close();
  }, approvalWorkspace(40));
  // The same rows as schema 3 kept them: each task in `tasks`, with its app and record.
  const rows = {};
  for (const store of ['users', 'organizations', 'groups', 'apps', 'records', 'tasks', 'batches', 'meta', 'sync']) rows[store] = await readStore(page, store, 'src3');
  const legacy = schema3Rows(rows);
  assert.equal(legacy.tasks.length, 40);
  await page.evaluate(([create, all]) => (0, eval)(`(${create})`)(indexedDB, 'legacy3', all), [createSchema3Database.toString(), legacy]);

  await page.reload();
  await openRingi(page, { user: 'sato', database: 'legacy3' });
  const opened = await page.evaluate(async () => ({
    opened: kintone.ringi.opened,
    tasks: (await kintone.api('/batch_approvals/_tasks?user_id=sato', 'GET', {})).tasks.map((t) => t.task_id),
    version: await new Promise((resolve) => { const r = indexedDB.open('legacy3'); r.onsuccess = () => { resolve(r.result.version); r.result.close(); }; }),
  }));
  assert.equal(opened.version, 5);
  assert.equal(opened.opened.restoredFrom, 'rows');
  assert.equal(opened.opened.restored.records, 39);
  assert.equal(opened.opened.restored.tasks, 40);
  assert.equal(opened.tasks.length, 38, 'the open tasks: not record 1 (approved) nor 2 (deleted)');
  assert.equal((await readStore(page, 'tasks', 'legacy3')).length, 40, 'the upgrade rewrote nothing');

  // A batch over the upgraded rows, then a reload: each record approved once, nothing left open.
  const bn = await page.evaluate(async (ids) => (await kintone.api('/batch_approvals/_submit?user_id=sato', 'POST', ids)).batch_number, opened.tasks);
  await waitFor(() => page.evaluate((b) => window.__progress.some((p) => p.batch_number === b && p.state === 'completed'), bn));
  await page.reload();
  await openRingi(page, { user: 'sato', database: 'legacy3' });
  assert.equal(await page.evaluate(async () => (await kintone.api('/batch_approvals/_tasks?user_id=sato', 'GET', {})).tasks.length), 0);
  // The batch wrote every record but 1 (approved before) with its task inside, and deleted their
  // old task rows: left are record 1's (not written since) and the deleted record 2's.
  assert.deepEqual((await readStore(page, 'tasks', 'legacy3')).map((t) => t.record).sort(), [1, 2]);
  for (const row of await readStore(page, 'records', 'legacy3')) {
    assert.equal(approveCount(row), 1, `record ${row.id}`);
    assert.deepEqual(row.tasks?.map((t) => [t.state, t.record]), row.id === 1 ? undefined : [['closed', undefined]], `record ${row.id}`);
  }
  await page.close();
});
