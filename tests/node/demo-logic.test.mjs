// The demo's pure parts: the task list's view (search, filters, sort, pages), shift-click ranges,
// the actions a selection shares, and the batch CSV (quoting, formulas kept as text, order).
import test from 'node:test';
import assert from 'node:assert/strict';
import { toRows, applyView, selectRange, sharedActions, sharedChoices } from '../../web/demo/task-view.js';
import { batchCsv } from '../../web/demo/batch-csv.js';

const task = (id, status = '承認待ち', actions = ['承認する', '差し戻す']) => ({ task_id: `t${id}`, app: '1', record_id: String(id), status, actions });
const record = (id, title, amount, date, creator = 'li') => ({
  件名: { value: title }, 金額: { value: String(amount) }, 申請日: { value: date },
  作成者: { value: { code: creator, name: creator } }, 作業者: { value: [{ code: 'sato', name: '佐藤' }] },
});

test('the view searches, filters, sorts and pages the rows', () => {
  const tasks = [task(1), task(2), task(3, '部長承認'), task(4)];
  const records = new Map([
    ['1:1', record(1, 'Trip to Osaka', 12000, '2026-11-02')],
    ['1:2', record(2, 'Hotel', 300000, '2026-11-05', 'smith')],
    ['1:3', record(3, 'Taxi', 5000, '2026-11-01')],
    ['1:4', record(4, 'Osaka hotel', 8000, '2026-11-05')],
  ]);
  const rows = toRows(tasks, records, new Map([['li', '李 娜'], ['smith', 'John Smith']]));
  assert.deepEqual(rows.map((r) => [r.id, r.applicant, r.assignees]), [[1, '李 娜', '佐藤'], [2, 'John Smith', '佐藤'], [3, '李 娜', '佐藤'], [4, '李 娜', '佐藤']]);
  const ids = (v) => applyView(rows, v).all.map((r) => r.id);
  assert.deepEqual(ids({}), [4, 2, 1, 3], 'newest first, then the higher record number');
  assert.deepEqual(ids({ sort: 'oldest' }), [3, 1, 2, 4]);
  assert.deepEqual(ids({ sort: 'amountDesc' }), [2, 1, 4, 3]);
  assert.deepEqual(ids({ query: 'osaka' }), [4, 1], 'case-insensitive, in the title');
  assert.deepEqual(ids({ query: 'john' }), [2], 'in the applicant');
  assert.deepEqual(ids({ status: '部長承認' }), [3]);
  assert.deepEqual(ids({ app: '2' }), []);
  const paged = applyView(rows, { pageSize: 3, page: 2 });
  assert.deepEqual([paged.page.map((r) => r.id), paged.pageNumber, paged.pages], [[3], 2, 2]);
  assert.equal(applyView(rows, { pageSize: 3, page: 9 }).pageNumber, 2, 'a page past the end shows the last');
});

test('shift-click selects or clears the range from the anchor, in the order shown', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];
  const s = new Set(['a']);
  selectRange(s, order, 'a', 'd', true);
  assert.deepEqual([...s].sort(), ['a', 'b', 'c', 'd']);
  selectRange(s, order, 'd', 'b', false);
  assert.deepEqual([...s].sort(), ['a']);
  selectRange(s, order, null, 'e', true);
  assert.deepEqual([...s].sort(), ['a', 'e'], 'no anchor: only the target');
  selectRange(s, order, 'gone', 'c', true);
  assert.deepEqual([...s].sort(), ['a', 'c', 'e'], 'an anchor no longer shown: only the target');
});

test('a selection offers the actions its tasks share; a status offers what any of its tasks offers', () => {
  const tasks = [task(1), task(2, '承認待ち', ['差し戻す']), task(3, '部長承認', ['承認する'])];
  assert.deepEqual(sharedActions(tasks, new Set()), ['承認する', '差し戻す']);
  // task 2 fails 承認する's condition, but its status offers it: the check says it cannot run
  assert.deepEqual(sharedActions(tasks, new Set(['t1', 't2'])), ['承認する', '差し戻す']);
  assert.deepEqual(sharedActions(tasks, new Set(['t2', 't3'])), ['承認する']);
  assert.deepEqual(sharedActions([], new Set()), []);
  const checks = new Map([['t1', { assignees: ['tanaka', 'wang'] }], ['t2', { assignees: ['wang', 'jones'] }], ['t3', { supported: true }]]);
  assert.deepEqual(sharedChoices(checks, new Set(['t1', 't2', 't3'])), ['wang']);
  assert.deepEqual(sharedChoices(checks, new Set(['t3'])), []);
});

test('the batch CSV: every task with its outcome, quoted where needed, formulas kept as text', () => {
  const progress = {
    batch_number: 'b1',
    items: [
      { task_id: 't1', app: '1', record_id: '10', title: 'Trip, "Osaka"', result: 'succeeded' },
      { task_id: 't2', app: '1', record_id: '11', title: '=HYPERLINK("x")', result: 'failed' },
      { task_id: 't3', app: null, record_id: null, title: null, result: 'failed' },
      { task_id: 't4', app: '1', record_id: '12', title: '二行\n目', result: 'pending' },
    ],
    failures: [
      { task_id: 't2', reason_code: 'condition_not_met', reason: 'The record does not meet the action\'s condition.' },
      { task_id: 't3', reason_code: 'task_not_found', reason: 'The task was not found.' },
    ],
  };
  const csv = batchCsv(progress, '承認する');
  assert.ok(csv.startsWith('\uFEFF'));
  assert.equal(csv.slice(1), [
    'batch_number,action,task_id,app,record_id,title,result,reason_code,reason',
    'b1,承認する,t1,1,10,"Trip, ""Osaka""",succeeded,,',
    'b1,承認する,t2,1,11,"\'=HYPERLINK(""x"")",failed,condition_not_met,The record does not meet the action\'s condition.',
    'b1,承認する,t3,,,,failed,task_not_found,The task was not found.',
    'b1,承認する,t4,1,12,"二行\n目",pending,,',
    '',
  ].join('\r\n'));
});
