// Workspaces and requests shared by every Ringi benchmark (bench/README.md). ONE generator, so the
// native driver, the Node (wasm) driver and the browser benchmarks load byte-identical documents.
//
//   loopWorkspace(n)      ja app, 申請中 (ANY sato) --承認する--> 承認待ち (ANY sato) --承認する--> 申請中:
//                         a two-state loop, so a transition workload can run forever on n records
//                         (odd ids start in 承認待ち, even ids in 申請中; as bench/native/engine_bench.cpp)
//   approvalWorkspace(n)  en app, n records in Waiting (ANY sato), Approve -> Approved (no assignee):
//                         the batch-approval workload; one approval = 1 record row + 1 task row
//   transitionRequests(n, m)  m engine requests {user, method, path, body} cycling over ids 1..n

const sato = (code = 'sato') => ({ entity: { type: 'USER', code }, includeSubs: false });

export function loopWorkspace(n) {
  const records = new Array(n);
  for (let i = 1; i <= n; i++) {
    records[i - 1] = {
      $id: { value: String(i) }, $revision: { value: '1' },
      件名: { value: `出張 ${i}` }, 金額: { value: String(1000 + (i % 90000)) }, 種別: { value: '交通費' },
      日付: { value: '2026-11-22' }, 備考: { value: '東京→大阪' },
      ステータス: { value: i % 2 ? '承認待ち' : '申請中' }, 作業者: { value: [{ code: 'sato' }] },
    };
  }
  const text = (code) => ({ type: 'SINGLE_LINE_TEXT', code, label: code });
  return {
    users: [{ code: 'sato', name: '佐藤', locale: 'ja' }, { code: 'li', name: '李', locale: 'zh' }],
    organizations: [], groups: [],
    apps: [{
      app: 1, name: '経費精算', locale: 'ja',
      fields: { 件名: text('件名'), 金額: { type: 'NUMBER', code: '金額', label: '金額' }, 種別: text('種別'), 日付: text('日付'), 備考: text('備考') },
      status: {
        enable: true,
        states: {
          申請中: { name: '申請中', index: '0', assignee: { type: 'ANY', entities: [sato()] } },
          承認待ち: { name: '承認待ち', index: '1', assignee: { type: 'ANY', entities: [sato()] } },
          完了: { name: '完了', index: '2', assignee: { type: 'ONE', entities: [] } },
        },
        actions: [
          { name: '承認する', from: '申請中', to: '承認待ち', filterCond: '', type: 'PRIMARY' },
          { name: '承認する', from: '承認待ち', to: '申請中', filterCond: '', type: 'PRIMARY' },
        ],
        revision: '1',
      },
      batch_approval: { enabled: true, actions: { 承認待ち: '承認する' } },
      records,
    }],
  };
}

export function approvalWorkspace(n, approver = 'sato') {
  const records = new Array(n);
  for (let i = 1; i <= n; i++) {
    records[i - 1] = { $id: { value: String(i) }, $revision: { value: '3' }, title: { value: `expense ${i}` }, amount: { value: String(1000 + i) }, Status: { value: 'Waiting' }, Assignee: { value: [{ code: approver }] } };
  }
  return {
    users: [{ code: approver, name: 'Sato', locale: 'en' }, { code: 'li', name: '李', locale: 'zh' }],
    organizations: [], groups: [],
    apps: [{
      app: 1, name: 'Expense report', locale: 'en',
      fields: {
        title: { type: 'SINGLE_LINE_TEXT', code: 'title', label: 'Title' },
        amount: { type: 'NUMBER', code: 'amount', label: 'Amount' },
      },
      status: {
        enable: true,
        states: {
          Draft: { name: 'Draft', index: '0', assignee: { type: 'ONE', entities: [] } },
          Waiting: { name: 'Waiting', index: '1', assignee: { type: 'ANY', entities: [sato(approver)] } },
          Approved: { name: 'Approved', index: '2', assignee: { type: 'ONE', entities: [] } },
        },
        actions: [
          { name: 'Submit', from: 'Draft', to: 'Waiting', filterCond: '', type: 'PRIMARY' },
          { name: 'Approve', from: 'Waiting', to: 'Approved', filterCond: '', type: 'PRIMARY' },
        ],
        revision: '1',
      },
      batch_approval: { enabled: true, actions: { Waiting: 'Approve' } },
      records,
    }],
  };
}

/** The engine request (ringiCall / Service::handleJson) of one single status update. */
export function statusRequest(id) {
  return JSON.stringify({ user: 'sato', method: 'PUT', path: '/k/v1/record/status.json', body: { app: 1, id, action: '承認する' } });
}

export const APPROVAL_QUERY = 'ステータス in ("承認待ち") and 作業者 in (LOGINUSER())';

/** Median / min / max of a list of numbers. */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: m, min: s[0], max: s[s.length - 1], runs: s.length };
}
