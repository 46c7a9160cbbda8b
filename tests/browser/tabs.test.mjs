// Two tabs on one database: each tab has its own worker and engine; Web Locks + the generation
// token make them take turns and reload when the other one wrote. No lost update, no task twice.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openRingi, readStore, waitFor } from './helpers.mjs';
import { approvalWorkspace } from '../fixtures/workspaces.mjs';

let env;
before(async () => { env = await setup(); });
after(() => env?.close());

test('two tabs: concurrent record adds lose nothing; the same tasks submitted twice apply once', async () => {
  const a = await env.page();
  const b = await env.page();
  await openRingi(a, { user: 'sato', database: 'tabs' });
  await a.evaluate((ws) => kintone.ringi.load(ws), approvalWorkspace(200));
  await openRingi(b, { user: 'sato', database: 'tabs' });
  const add = (page, tag) => page.evaluate(async (t) => {
    const ids = [];
    for (let i = 0; i < 25; i++) ids.push((await kintone.api('/k/v1/record', 'POST', { app: 1, record: { title: { value: `${t}${i}` } } })).id);
    return ids;
  }, tag);
  const [ia, ib] = await Promise.all([add(a, 'A'), add(b, 'B')]);
  const all = new Set([...ia, ...ib]);
  assert.equal(all.size, 50, 'every add got its own id');
  const rows = await readStore(a, 'records', 'tabs');
  assert.equal(rows.length, 250, 'no add was lost');

  const ids = await a.evaluate(async () => (await kintone.api('/batch_approvals/_tasks?user_id=sato', 'GET', {})).tasks.map((t) => t.task_id).slice(0, 200));
  const submit = (page) => page.evaluate(async (x) => {
    try { return { ok: (await kintone.api('/batch_approvals/_submit?user_id=sato', 'POST', x)).batch_number }; } catch (e) { return { error: e }; }
  }, ids);
  const [sa, sb] = await Promise.all([submit(a), submit(b)]);
  assert.ok(sa.ok || sb.ok, JSON.stringify({ sa, sb }));
  for (const s of [sa, sb]) if (s.error) assert.equal(typeof s.error.code, 'string');
  const bns = [sa.ok, sb.ok].filter(Boolean);
  const finals = await waitFor(() => a.evaluate(async (list) => {
    const ps = [];
    for (const bn of list) ps.push(await kintone.api(`/batch_approvals/_submit?user_id=sato&batch_number=${bn}`, 'GET', {}));
    return ps.every((p) => !['queued', 'running'].includes(p.state)) ? ps : null;
  }, bns), { timeout: 90000, interval: 200 });
  const succeeded = finals.reduce((s, p) => s + (p.processed - p.failed_tasks.length), 0);
  assert.equal(succeeded, 200, 'each task succeeded in exactly one batch');
  const after = await readStore(b, 'records', 'tabs');
  for (const row of after) {
    const n = (row.history || []).filter((h) => h.action === 'Approve').length;
    if (row.id <= 200) assert.equal(n, 1, `record ${row.id}`);
  }
  // Tab B's engine sees tab A's results (it reloads when the generation changed).
  const seenByB = await b.evaluate(async () => (await kintone.api('/k/v1/record', 'GET', { app: 1, id: 5 })).record.Status.value);
  assert.equal(seenByB, 'Approved');
  await a.close();
  await b.close();
});
