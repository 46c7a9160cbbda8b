// A 2,000-task batch runs in the worker: the page's main thread has no long task (> 50 ms).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openRingi, waitFor } from './helpers.mjs';
import { approvalWorkspace } from '../fixtures/workspaces.mjs';

let env;
before(async () => { env = await setup(); });
after(() => env?.close());

test('no main-thread long task during a 2,000-task batch', async () => {
  const page = await env.page();
  // 20-task chunks: 100 chunks keep the worker busy long enough for the page's questions to
  // arrive between them (with the default, one chunk per batch, it is over in well under a second).
  await openRingi(page, { user: 'sato', database: 'longtask', chunkSize: 20 });
  await page.evaluate(async (ws) => { await kintone.ringi.load(ws); }, approvalWorkspace(2000));
  const bns = await page.evaluate(async () => {
    window.__long = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });
    const { tasks } = await kintone.api('/batch_approvals/_tasks?user_id=sato', 'GET', {});
    const ids = tasks.map((t) => t.task_id);
    const out = [];
    for (let i = 0; i < ids.length; i += 200) out.push((await kintone.api('/batch_approvals/_submit?user_id=sato', 'POST', ids.slice(i, i + 200))).batch_number);
    return out;
  });
  assert.equal(bns.length, 10);
  // Meanwhile the page keeps asking questions (the seed's progress query: small answers, so the
  // test itself puts no heavy work on the main thread); they are answered between chunks.
  let answered = 0;
  const last = bns[bns.length - 1];
  await waitFor(async () => {
    await page.evaluate((bn) => kintone.api(`/batch_approvals/_submit?user_id=sato&batch_number=${bn}`, 'GET', {}), last);
    answered++;
    return page.evaluate((list) => list.every((bn) => window.__progress.some((p) => p.batch_number === bn && p.state === 'completed')), bns);
  }, { timeout: 180000, interval: 100 });
  const long = await page.evaluate(() => window.__long);
  assert.deepEqual(long, [], `long tasks: ${long.join(', ')} ms`);
  assert.ok(answered > 1);
  const left = await page.evaluate(async () => (await kintone.api('/batch_approvals/_tasks?user_id=sato', 'GET', {})).tasks.length);
  assert.equal(left, 0);
  await page.close();
});
