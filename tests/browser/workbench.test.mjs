// The demo as an approver's workbench, in Chromium with the real Worker and IndexedDB: the list
// checked on load, shift-click ranges, approve with the next assignee and a comment, send back
// with a comment on every record, the batch log across a reload mid-batch and a user switch, CSV
// export, the record dialog's single action by keyboard, an offline reload that opens and
// approves, the 390 px layout, the UI language in the engine's messages, and axe-core on each
// screen with no serious or critical violation.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setup, waitFor } from './helpers.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let env;
before(async () => { env = await setup(); });
after(() => env?.close());

/** The demo on its own database, as `user` in `lang`, ready and checked. */
async function openDemo(db, { user = 'sato', lang = 'en', width = 1280, chunk = 20 } = {}) {
  const page = await env.page(`/?db=${db}&chunk=${chunk}`);
  await page.setViewportSize({ width, height: 900 });
  await page.evaluate(([u, l]) => { localStorage.setItem('ringi-demo-user', u); localStorage.setItem('ringi-demo-lang', l); }, [user, lang]);
  await page.reload();
  await ready(page);
  return page;
}
async function ready(page) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  await page.waitForFunction(() => document.querySelectorAll('#tasks tbody tr').length === 0
    || [...document.querySelectorAll('#tasks tbody tr td:last-child')].every((td) => td.textContent !== '' && !/…/.test(td.textContent)));
}
const rowIds = (page) => page.$$eval('#tasks tbody a.record', (as) => as.map((a) => Number(a.textContent.slice(1))));
const api = (page, path, method, params) => page.evaluate(([p, m, b]) => window.kintone.api(p, m, b), [path, method, params]);
const finishedBatch = (page) => page.waitForFunction(() => /completed|cancelled/.test(document.querySelector('#batches li')?.dataset.state ?? ''), null, { timeout: 60000 });

/** axe-core on the page as it is: nothing serious or critical. */
async function axe(page, what) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  assert.deepEqual(violations, [], `${what}: ${violations.join('\n')}`);
}

test('the list is checked on load; shift-click selects a range; approve takes the next assignee and a comment; CSV export', async () => {
  const page = await openDemo('wb-approve');
  assert.equal(await page.locator('#tasks tbody tr').count(), 50, 'paged 50 at a time');
  assert.match(await page.textContent('#page-info'), /Page 1 of 3 · 150/);
  // Checked without asking: every row says OK, "choose", or why not.
  const checks = await page.$$eval('#tasks tbody td:last-child', (tds) => tds.map((td) => td.textContent));
  assert.ok(checks.every((c) => c), 'every row checked');
  assert.ok(checks.some((c) => /condition/.test(c)), 'the records of 100,000 or more say why');

  const boxes = page.locator('#tasks tbody input[type=checkbox]');
  await boxes.nth(0).click();
  await boxes.nth(5).click({ modifiers: ['Shift'] });
  assert.match(await page.textContent('#count'), /6 selected/);
  const chosen = (await rowIds(page)).slice(0, 6);
  const runnable = [];
  for (let i = 0; i < 6; i++) if (!/condition/.test(await page.locator('#tasks tbody td:last-child').nth(i).textContent())) runnable.push(chosen[i]);
  assert.equal(await page.locator('#assignee-field').isVisible(), true, 'the next status asks for an assignee');
  assert.deepEqual(await page.$$eval('#assignee option', (os) => os.map((o) => o.value)), ['', 'tanaka', 'wang', 'jones']);
  await page.selectOption('#assignee', 'wang');
  await page.fill('#comment', 'Receipts checked, "OK", thanks');
  assert.match(await page.textContent('#submit'), /承認する: 6 task/);
  await page.click('#submit');
  // Focus goes to the new batch in the log, where its result shows.
  await page.waitForFunction(() => /^batch-[0-9a-f]{32}$/.test(document.activeElement.id));
  await finishedBatch(page);
  await waitFor(async () => /finished/.test(await page.textContent('#status-line')));
  for (const id of runnable) {
    const { record } = await api(page, '/k/v1/record', 'GET', { app: 1, id });
    assert.equal(record['ステータス'].value, '部長承認');
    assert.deepEqual(record['作業者'].value.map((u) => u.code), ['wang']);
    const { comments } = await api(page, '/k/v1/record/comments', 'GET', { app: 1, record: id });
    assert.equal(comments[0].text, 'Receipts checked, "OK", thanks');
  }
  // The failure is named by its record, linked to it.
  const failed = chosen.filter((id) => !runnable.includes(id));
  assert.deepEqual(await page.$$eval('#batches li.batch:first-child ul a.record', (as) => as.map((a) => a.getAttribute('href'))),
    failed.map((id) => `#record-1-${id}`));

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#batches li.batch:first-child button[data-role=csv]')]);
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  assert.equal(lines[0], 'batch_number,action,task_id,app,record_id,title,result,reason_code,reason');
  assert.equal(lines.length, 7);
  assert.deepEqual(lines.slice(1).map((l) => Number(l.split(',')[4])), chosen);
  assert.equal(lines.filter((l) => l.includes(',succeeded,')).length, runnable.length);
  assert.ok(lines.filter((l) => l.includes(',failed,condition_not_met,')).length === failed.length);
  await axe(page, 'list after a batch, 1280 px');
  // Retry failed: a new batch of the failures still open, linked to the first; it fails again
  // (the condition still does not hold), and says so.
  await page.click('#batches li.batch:first-child button[data-role=retry]');
  await waitFor(async () => (await page.locator('#batches li.batch').count()) === 2);
  await page.waitForFunction(() => /^batch-/.test(document.activeElement.id));
  assert.match(await page.textContent('#batches li.batch:first-child'), /Retry of an earlier batch/);
  await finishedBatch(page);
  assert.match(await page.textContent('#batches li.batch:first-child'), new RegExp(`${failed.length} of ${failed.length} processed, 0 succeeded, ${failed.length} failed`));
  await page.close();
});

test('send back with one comment lands on every record; the batch log keeps it across a reload mid-batch and a user switch', async () => {
  const page = await openDemo('wb-sendback', { lang: 'ja', chunk: 1 });  // one task per chunk: slow enough to reload mid-batch
  await page.selectOption('#action', '差し戻す');
  // At once, while the check for 差し戻す runs: it waits for the check, not selects nothing.
  await page.click('#select-supported');  // every task of every page that can run it
  await waitFor(async () => /150 件選択/.test(await page.textContent('#count')));
  assert.match(await page.textContent('#count'), /150 件選択/);
  await page.fill('#comment', '領収書を添付してください');
  await page.click('#submit');
  await page.waitForSelector('#batches li.batch');
  assert.match(await page.getAttribute('#batches li.batch', 'data-state'), /queued|running/);
  await page.reload();  // mid-batch: it resumes, and the page says when it ends
  await ready(page);
  await finishedBatch(page);
  await waitFor(async () => /「差し戻す」が終わりました。成功 150 件、失敗 0 件。/.test(await page.textContent('#status-line')));
  assert.match(await page.textContent('#batches li.batch:first-child'), /差し戻す · 150 件/);
  assert.match(await page.textContent('#batches li.batch:first-child p'), /完了 — 150 件中 150 件処理、成功 150 件、失敗 0 件/);
  // What is left is the applications sato wrote himself, back in 下書き for him.
  assert.deepEqual(new Set(await page.$$eval('#tasks tbody td[data-label=Status], #tasks tbody td[data-label=ステータス]', (tds) => tds.map((t) => t.textContent))), new Set(['下書き']));
  const { records } = await api(page, '/k/v1/records', 'GET', { app: 1, query: 'ステータス in ("下書き") limit 500' });
  assert.equal(records.length, 150);
  for (const r of records.slice(0, 10)) {
    const { comments } = await api(page, '/k/v1/record/comments', 'GET', { app: 1, record: r.$id.value });
    assert.equal(comments[0].text, '領収書を添付してください');
    assert.equal(comments[0].creator.code, 'sato');
  }
  // li sees none of sato's batches; back as sato, the log is there.
  await page.selectOption('#user', 'li');
  await waitFor(async () => (await page.locator('#batches li.batch').count()) === 0 && (await page.locator('#tasks tbody tr').count()) === 50);
  assert.equal(await page.isVisible('#no-batches'), true);
  await page.selectOption('#user', 'sato');
  await waitFor(async () => (await page.locator('#batches li.batch').count()) === 1);
  await page.close();
});

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`. */
async function tabTo(page, selector, { back = false, max = 200 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('keyboard only: select and reject a task; a record link opens the dialog, one action with a comment runs in it, focus comes back', async () => {
  const page = await openDemo('wb-keyboard');
  // The skip link leads to the list.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  await page.keyboard.press('Enter');
  const rejected = (await rowIds(page))[0];
  await tabTo(page, '#tasks tbody tr:first-child input[type=checkbox]');
  await page.keyboard.press('Space');
  assert.match(await page.textContent('#count'), /1 selected/);
  // The list was drawn again, and the checkbox still has focus.
  assert.equal(await page.evaluate(() => document.activeElement.matches('#tasks tbody tr:first-child input[type=checkbox]')), true);
  await tabTo(page, '#action');
  await page.keyboard.press('End');  // the last action: 却下する
  await page.waitForFunction(() => document.querySelector('#action').value === '却下する');
  await ready(page);
  await tabTo(page, '#submit');
  assert.match(await page.textContent('#submit'), /却下する: 1 task/);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^batch-/.test(document.activeElement.id));
  await finishedBatch(page);
  await waitFor(async () => !(await rowIds(page)).includes(rejected));

  const first = (await rowIds(page))[0];
  await tabTo(page, '#tasks tbody tr:first-child a.record', { back: true });
  await page.keyboard.press('Enter');
  await page.waitForSelector('#record-dialog[open]');
  assert.equal(await page.evaluate(() => document.getElementById('record-dialog').contains(document.activeElement)), true, 'focus inside the dialog');
  // Labels, formatted values, no $id / $revision.
  const terms = await page.$$eval('#record-fields dt', (dts) => dts.map((d) => d.textContent));
  assert.ok(terms.includes('金額') && terms.includes('申請日') && !terms.some((t) => t.startsWith('$')), terms.join());
  assert.match(await page.textContent('#record-fields'), /Dec|Nov/);  // a date, formatted for en
  await axe(page, 'record dialog');
  // Focus stays in the dialog: Tab from its last control comes round to its first.
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.getElementById('record-dialog').contains(document.activeElement) || document.activeElement === document.body), true);
  }
  const buttons = await page.$$eval('#record-actions button', (bs) => bs.map((b) => b.textContent));
  assert.deepEqual(buttons, ['承認する', '差し戻す', '却下する']);
  await tabTo(page, '#record-comment');
  await page.keyboard.type('Please split this into two reports');
  await tabTo(page, '#record-actions button:nth-child(2)', { back: true });
  await page.keyboard.press('Enter');
  await waitFor(async () => /差し戻す/.test(await page.textContent('#status-line')));
  assert.match(await page.textContent('#record-comments'), /Please split this into two reports/);
  assert.match(await page.textContent('#record-fields'), /下書き/);
  await page.keyboard.press('Escape');
  await waitFor(async () => !(await page.evaluate(() => document.getElementById('record-dialog').open)));
  // The link it came from is gone (its task closed and the list was drawn again): focus goes to
  // the list's heading, whichever happened first, the close or the new list.
  await page.waitForFunction(() => document.activeElement.id === 'tasks-heading');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tasks-heading');
  const { record } = await api(page, '/k/v1/record', 'GET', { app: 1, id: first });
  assert.equal(record['ステータス'].value, '下書き');
  await page.close();
});

test('offline: a reload with the network off opens the demo and its data, and approves', async () => {
  const page = await openDemo('wb-offline');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await waitFor(() => page.evaluate(() => !!navigator.serviceWorker.controller));
  const before = await page.locator('#tasks tbody tr').count();
  await env.context.setOffline(true);
  try {
    await page.reload();
    await ready(page);
    assert.match(await page.textContent('#status-line'), /Offline/);
    assert.equal(await page.locator('#tasks tbody tr').count(), before);
    await page.selectOption('#action', '却下する');
    await ready(page);
    await page.locator('#tasks tbody input[type=checkbox]').first().click();
    await page.click('#submit');
    await finishedBatch(page);
    assert.equal(await page.getAttribute('#batches li.batch', 'data-state'), 'completed');
  } finally {
    await env.context.setOffline(false);
  }
  await page.close();
});

test('390 px in en, ja and zh: no sideways scroll, tap targets of 24 px, the dialog fits; axe finds nothing serious', async () => {
  for (const lang of ['en', 'ja', 'zh']) {
    const page = await openDemo(`wb-narrow-${lang}`, { lang, width: 390 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(await overflow(), 0, `${lang}: page scrolls sideways`);
    await page.locator('#tasks tbody input[type=checkbox]').first().click();
    assert.equal(await overflow(), 0, `${lang}: with the action bar`);
    const small = await page.$$eval('button, select, input, a.record, textarea', (els) => els
      .filter((e) => e.offsetParent !== null)
      .map((e) => [e.id || e.textContent.trim().slice(0, 20), e.getBoundingClientRect()])
      .filter(([, r]) => r.width < 24 || r.height < 24).map(([n, r]) => `${n} ${Math.round(r.width)}x${Math.round(r.height)}`));
    assert.deepEqual(small, [], `${lang}: tap targets under 24 px`);
    // No button or label wraps one character per line: each is at least 2 characters wide.
    const squeezed = await page.$$eval('button, label > span', (els) => els.filter((e) => e.offsetParent !== null && e.textContent.trim().length > 2
      && e.getBoundingClientRect().width < 28).map((e) => e.textContent));
    assert.deepEqual(squeezed, [], `${lang}: squeezed controls`);
    assert.equal(await page.title(), { en: 'Ringi — batch approval', ja: '稟議 — 一括承認', zh: '审批 — 批量审批' }[lang]);
    await axe(page, `list, 390 px, ${lang}`);
    await page.locator('#tasks tbody a.record').first().click();
    await page.waitForSelector('#record-dialog[open]');
    const box = await page.evaluate(() => { const r = document.getElementById('record-dialog').getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom, innerWidth, innerHeight]; });
    assert.ok(box[0] >= 0 && box[1] <= box[4] && box[2] >= 0 && box[3] <= box[5], `${lang}: dialog ${box}`);
    assert.equal(await overflow(), 0);
    await axe(page, `dialog, 390 px, ${lang}`);
    await page.keyboard.press('Escape');
    await page.close();
  }
});

test('the UI language drives the engine\'s messages, the status line and the title', async () => {
  const page = await openDemo('wb-lang', { user: 'sato', lang: 'en' });
  const reasons = () => page.$$eval('#tasks tbody td.ng', (tds) => [...new Set(tds.map((t) => t.textContent))]);
  assert.deepEqual(await reasons(), ["The record does not meet the action's condition."]);
  assert.equal(await page.textContent('#status-line'), 'Ready.');
  await page.selectOption('#lang', 'zh');
  await waitFor(async () => (await reasons()).join() === '记录不满足动作的执行条件');
  assert.equal(await page.title(), '审批 — 批量审批');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh');
  assert.equal(await page.evaluate(() => window.kintone.getLoginUser().language), 'zh');
  // An engine error in the page's language, not sato's Japanese.
  const message = await page.evaluate(() => window.kintone.api('/k/v1/record', 'GET', { app: 1, id: 99999 }).catch((e) => e.message));
  assert.equal(message, '指定的记录（ID: 99999）不存在。');
  await axe(page, 'list, zh');
  await page.close();
});

test('reset asks first; cancelling keeps everything', async () => {
  const page = await openDemo('wb-reset');
  await page.selectOption('#action', '却下する');
  await ready(page);
  await page.locator('#tasks tbody input[type=checkbox]').first().click();
  await page.click('#submit');
  await finishedBatch(page);
  await page.click('#reset');
  await page.waitForSelector('#confirm-reset[open]');
  await axe(page, 'reset confirmation');
  await page.keyboard.press('Escape');
  await waitFor(async () => !(await page.evaluate(() => document.getElementById('confirm-reset').open)));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'reset');
  assert.equal(await page.locator('#batches li.batch').count(), 1, 'cancel keeps the data');
  await page.click('#reset');
  await page.click('#confirm-reset button[value=reset]');
  await waitFor(async () => (await page.locator('#batches li.batch').count()) === 0);
  await ready(page);
  assert.equal(await page.locator('#tasks tbody tr').count(), 50);
  assert.match(await page.textContent('#page-info'), /150/);
  assert.deepEqual(env.errors.filter((e) => !/favicon/.test(e)), []);
  await page.close();
});
