// Workspaces for the browser tests.

/** Seed 003's examples: app 1 with 申请 / 批准 / 拒绝 and records 1001–1003. */
export function seed003Workspace() {
  const u = (code) => ({ entity: { type: 'USER', code }, includeSubs: false });
  return {
    users: [
      { code: 'Administrator', name: 'Administrator', locale: 'zh' },
      { code: 'user1', name: 'User 1', locale: 'zh' },
      { code: 'user2', name: 'User 2', locale: 'zh' },
    ],
    organizations: [],
    groups: [],
    apps: [{
      app: 1,
      name: '费用报销',
      locale: 'zh',
      fields: {
        标题: { type: 'SINGLE_LINE_TEXT', code: '标题', label: '标题' },
        状态: { type: 'STATUS', code: '状态', label: '状态', enabled: true },
        处理人: { type: 'STATUS_ASSIGNEE', code: '处理人', label: '处理人', enabled: true },
      },
      status: {
        enable: true,
        states: {
          未处理: { name: '未处理', index: '0', assignee: { type: 'ONE', entities: [] } },
          审批中: { name: '审批中', index: '1', assignee: { type: 'ONE', entities: [u('user1'), u('user2')] } },
          已批准: { name: '已批准', index: '2', assignee: { type: 'ONE', entities: [] } },
          已拒绝: { name: '已拒绝', index: '3', assignee: { type: 'ONE', entities: [] } },
        },
        actions: [
          { name: '申请', from: '未处理', to: '审批中', filterCond: '', type: 'PRIMARY' },
          { name: '批准', from: '审批中', to: '已批准', filterCond: '', type: 'PRIMARY' },
          { name: '拒绝', from: '审批中', to: '已拒绝', filterCond: '', type: 'PRIMARY' },
        ],
        revision: '1',
      },
      batch_approval: { enabled: true, actions: { 审批中: '批准' } },
      records: [
        { $id: { value: '1001' }, $revision: { value: '1' }, 标题: { value: '出差' }, 状态: { value: '未处理' }, 处理人: { value: [{ code: 'Administrator' }] } },
        { $id: { value: '1002' }, $revision: { value: '7' }, 标题: { value: '住宿' }, 状态: { value: '审批中' }, 处理人: { value: [{ code: 'Administrator' }] } },
        { $id: { value: '1003' }, $revision: { value: '5' }, 标题: { value: '餐费' }, 状态: { value: '审批中' }, 处理人: { value: [{ code: 'Administrator' }] } },
      ],
    }],
  };
}

/**
 * An approval app with `n` records waiting for `approver` (ANY) and nothing after approval.
 * @param {number} n
 */
export function approvalWorkspace(n, approver = 'sato') {
  const records = [];
  for (let i = 1; i <= n; i++) {
    records.push({ $id: { value: String(i) }, $revision: { value: '3' }, title: { value: `expense <i>${i}</i>` }, amount: { value: String(1000 + i) }, Status: { value: 'Waiting' }, Assignee: { value: [{ code: approver }] } });
  }
  return {
    users: [{ code: approver, name: 'Sato', locale: 'en' }, { code: 'li', name: '李', locale: 'zh' }],
    organizations: [],
    groups: [],
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
          Waiting: { name: 'Waiting', index: '1', assignee: { type: 'ANY', entities: [{ entity: { type: 'USER', code: approver }, includeSubs: false }] } },
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

/**
 * Rows as storage schema 3 kept them (before a record's tasks moved into its row): each task a
 * row of `tasks` with its app and record. @param {Record<string, any[]>} rows schema-4 rows
 */
export function schema3Rows(rows) {
  const out = { ...rows, records: [], tasks: [...(rows.tasks || [])] };
  for (const { tasks, ...record } of rows.records) {
    for (const t of tasks || []) out.tasks.push({ id: t.id, app: record.app, record: record.id, ...t });
    out.records.push(record);
  }
  return out;
}

/**
 * An approval app whose records can go round: Submit (Draft -> Waiting), Send back (Waiting ->
 * Draft), so a record can gather a long history. @param {number} n
 */
export function loopWorkspace(n, approver = 'sato') {
  const ws = approvalWorkspace(n, approver);
  ws.apps[0].status.actions.push({ name: 'Send back', from: 'Waiting', to: 'Draft', filterCond: '', type: 'PRIMARY' });
  return ws;
}

/**
 * Rows as storage schema 4 kept them (before history rows): each record's whole history and
 * every task of it in its row, no `historyFrom`, no `history` store. @param {Record<string, any[]>} rows
 */
export function schema4Rows(rows) {
  const { history = [], ...out } = rows;
  out.records = rows.records.map(({ historyFrom, history: own, tasks, ...record }) => {
    const chunks = history.filter((h) => h.app === record.app && h.record === record.id).sort((a, b) => a.from - b.from);
    return { ...record, history: [...chunks.flatMap((c) => c.entries), ...own], tasks: [...chunks.flatMap((c) => c.tasks), ...tasks] };
  });
  return out;
}

/**
 * Creates database `name` at schema 3 (or 4: the same stores) with `rows` in it, through
 * `factory` (fake-indexeddb's, or a page's `indexedDB`). Self-contained, so a page can run it from
 * its source text.
 */
export function createSchema3Database(factory, name, rows, version = 3) {
  return new Promise((resolve, reject) => {
    const req = factory.open(name, version);
    req.onupgradeneeded = () => {
      const d = req.result;
      for (const [store, keyPath] of Object.entries({ users: 'code', organizations: 'code', groups: 'code', apps: 'app', records: ['app', 'id'], tasks: 'id', batches: 'batch_number', meta: 'key', sync: 'key', snapshot: 'key' })) d.createObjectStore(store, { keyPath });
      d.createObjectStore('journal', { autoIncrement: true });
      for (const [store, list] of Object.entries(rows)) for (const row of list) req.transaction.objectStore(store).put(row);
    };
    req.onsuccess = () => { req.result.close(); resolve(undefined); };
    req.onerror = () => reject(req.error);
  });
}
