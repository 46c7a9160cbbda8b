// @ts-check
// Ringi demo: a person's open approval tasks, Check, Submit, live progress, failures, a record with
// its status history. Everything goes through kintone.api (the engine runs in a Web Worker and
// keeps its data in IndexedDB, so a reload shows everything as it was). Data is only ever put into
// the page with textContent.
import { createKintone } from '../dist/ringi.js';
import { makeDemoWorkspace } from './demo-workspace.js';

const DB = new URLSearchParams(location.search).get('db') || 'ringi-demo';
const APP = 1;

const STRINGS = {
  en: {
    title: 'Ringi', appName: 'Expense report', language: 'Language', user: 'User', reset: 'Reset demo data',
    refresh: 'Refresh', check: 'Check', selectSupported: 'Select all supported', submit: 'Approve selected',
    record: 'Record', subject: 'Subject', amount: 'Amount', status: 'Status', noTasks: 'No open tasks.',
    history: 'Status history', close: 'Close', loading: 'Loading the engine…', ready: 'Ready.',
    tasks: (n) => `${n} open task(s)`, selected: (n) => `${n} selected`, supported: 'OK',
    progress: (p) => `Batch ${p.batch_number.slice(0, 8)}: ${p.processed} / ${p.total} processed, ${p.failed_tasks.length} failed (${{ queued: 'queued', running: 'running', completed: 'completed', partially_completed: 'partially completed', cancelled: 'cancelled' }[p.state] ?? p.state})`,
    failed: 'Failed', loaded: 'Demo data loaded.', by: 'by',
  },
  ja: {
    title: '稟議', appName: '経費精算', language: '言語', user: 'ユーザー', reset: 'デモデータを初期化',
    refresh: '再読み込み', check: 'チェック', selectSupported: '一括承認できるものを全選択', submit: '選択したものを承認',
    record: 'レコード', subject: '件名', amount: '金額', status: 'ステータス', noTasks: '未処理のタスクはありません。',
    history: 'ステータスの履歴', close: '閉じる', loading: 'エンジンを読み込んでいます…', ready: '準備完了。',
    tasks: (n) => `未処理のタスク ${n} 件`, selected: (n) => `${n} 件選択`, supported: 'OK',
    progress: (p) => `バッチ ${p.batch_number.slice(0, 8)}: ${p.total} 件中 ${p.processed} 件処理、失敗 ${p.failed_tasks.length} 件（${({ queued: '待機中', running: '処理中', completed: '完了', partially_completed: '一部失敗', cancelled: '取消済み' })[p.state] ?? p.state}）`,
    failed: '失敗', loaded: 'デモデータを読み込みました。', by: '実行者',
  },
  zh: {
    title: '审批', appName: '费用报销', language: '语言', user: '用户', reset: '重置演示数据',
    refresh: '刷新', check: '校验', selectSupported: '全选可批量审批的任务', submit: '批量审批所选',
    record: '记录', subject: '标题', amount: '金额', status: '状态', noTasks: '没有待办任务。',
    history: '状态历史', close: '关闭', loading: '正在加载引擎…', ready: '就绪。',
    tasks: (n) => `待办任务 ${n} 个`, selected: (n) => `已选 ${n} 个`, supported: '支持',
    progress: (p) => `批次 ${p.batch_number.slice(0, 8)}：已处理 ${p.processed} / ${p.total}，失败 ${p.failed_tasks.length}（${({ queued: '排队中', running: '处理中', completed: '已完成', partially_completed: '部分失败', cancelled: '已取消' })[p.state] ?? p.state}）`,
    failed: '失败', loaded: '已加载演示数据。', by: '操作人',
  },
};

const $ = (sel) => /** @type {any} */ (document.querySelector(sel));
const state = {
  lang: localStorage.getItem('ringi-demo-lang') || 'en',
  user: localStorage.getItem('ringi-demo-user') || 'sato',
  /** @type {any[]} */ tasks: [],
  /** @type {Map<string, any>} */ checks: new Map(),
  /** @type {Map<number, any>} */ records: new Map(),
  /** @type {Set<string>} */ selected: new Set(),
  /** @type {Map<string, any>} */ batches: new Map(),
};
/** @type {any} */
let kintone;

const t = (key, ...args) => {
  const v = STRINGS[state.lang][key] ?? STRINGS.en[key];
  return typeof v === 'function' ? v(...args) : v;
};

function applyLanguage() {
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.getAttribute('data-i18n'));
  $('#lang').value = state.lang;
  renderTasks();
  renderProgress();
}

function say(text, error = false) {
  const el = $('#status-line');
  el.textContent = text;
  el.classList.toggle('error', error);
}

const errText = (e) => (e && e.message ? `${e.code}: ${e.message}` : String(e));

async function fillUsers() {
  const { users } = await kintone.api('/v1/users', 'GET', {});
  const sel = $('#user');
  sel.replaceChildren(...users.map((u) => {
    const o = document.createElement('option');
    o.value = u.code;
    o.textContent = `${u.name} (${u.code})`;
    return o;
  }));
  if (!users.some((u) => u.code === state.user) && users.length) state.user = users[0].code;
  sel.value = state.user;
}

async function loadRecords() {
  state.records.clear();
  for (let offset = 0; ; offset += 500) {
    const r = await kintone.api('/k/v1/records', 'GET', { app: APP, query: `order by $id asc limit 500 offset ${offset}` });
    for (const rec of r.records) state.records.set(Number(rec.$id.value), rec);
    if (r.records.length < 500) break;
  }
}

async function refresh() {
  const r = await kintone.api(`/batch_approvals/_tasks?user_id=${encodeURIComponent(state.user)}`, 'GET', { app: APP });
  state.tasks = r.tasks;
  const open = new Set(state.tasks.map((x) => x.task_id));
  for (const id of [...state.selected]) if (!open.has(id)) state.selected.delete(id);
  await loadRecords();
  renderTasks();
}

function renderTasks() {
  const tbody = $('#tasks tbody');
  const rows = state.tasks.map((task) => {
    const tr = document.createElement('tr');
    tr.dataset.task = task.task_id;
    const rec = state.records.get(Number(task.record_id));
    const cb = document.createElement('input');
    cb.type = 'checkbox';
    cb.checked = state.selected.has(task.task_id);
    cb.addEventListener('change', () => {
      if (cb.checked) state.selected.add(task.task_id); else state.selected.delete(task.task_id);
      updateCount();
    });
    const link = document.createElement('a');
    link.className = 'record';
    link.textContent = `#${task.record_id}`;
    link.addEventListener('click', () => openRecord(Number(task.record_id)));
    const check = state.checks.get(task.task_id);
    const cells = [
      cb, link,
      rec?.件名?.value ?? '',
      rec?.金額?.value ? Number(rec.金額.value).toLocaleString(state.lang) : '',
      task.status,
      check ? (check.supported ? t('supported') : check.reason || check.reason_code || '') : '',
    ];
    cells.forEach((c, i) => {
      const td = document.createElement('td');
      if (typeof c === 'string') td.textContent = c; else td.append(c);
      if (i === 3) td.className = 'amount';
      if (i === 5 && check) td.className = check.supported ? 'ok' : 'ng';
      tr.append(td);
    });
    return tr;
  });
  tbody.replaceChildren(...rows);
  $('#empty').hidden = state.tasks.length > 0;
  updateCount();
}

function updateCount() {
  $('#count').textContent = `${t('tasks', state.tasks.length)} · ${t('selected', state.selected.size)}`;
  $('#submit').disabled = state.selected.size === 0;
}

async function runCheck() {
  const ids = state.tasks.map((x) => x.task_id);
  for (let i = 0; i < ids.length; i += 200) {
    const part = ids.slice(i, i + 200);
    const res = await kintone.api(`/batch_approvals/_check?user_id=${encodeURIComponent(state.user)}`, 'POST', part);
    res.forEach((r, j) => state.checks.set(part[j], r));
  }
  renderTasks();
}

function selectSupported(on) {
  state.selected.clear();
  if (on) for (const task of state.tasks) if (state.checks.get(task.task_id)?.supported) state.selected.add(task.task_id);
  renderTasks();
}

async function submit() {
  const ids = [...state.selected];
  for (let i = 0; i < ids.length; i += 200) {
    const { batch_number } = await kintone.api(`/batch_approvals/_submit?user_id=${encodeURIComponent(state.user)}`, 'POST', ids.slice(i, i + 200));
    state.batches.set(batch_number, { batch_number, total: Math.min(200, ids.length - i), processed: 0, failed_tasks: [], state: 'queued', failures: [] });
  }
  state.selected.clear();
  $('#select-all').checked = false;
  renderProgress();
  updateCount();
}

function renderProgress() {
  const box = $('#progress-box');
  const list = [...state.batches.values()];
  box.hidden = list.length === 0;
  if (!list.length) return;
  const total = list.reduce((s, b) => s + b.total, 0);
  const processed = list.reduce((s, b) => s + b.processed, 0);
  $('#progress').max = total || 1;
  $('#progress').value = processed;
  $('#progress-text').textContent = list.map((b) => t('progress', b)).join(' · ');
  // The language-independent states, for scripts and tests: "completed running" etc.
  box.dataset.states = list.map((b) => b.state).join(' ');
  const failures = list.flatMap((b) => (b.failures && b.failures.length ? b.failures : b.failed_tasks.map((task_id) => ({ task_id }))));
  $('#failures').replaceChildren(...failures.map((f) => {
    const li = document.createElement('li');
    li.textContent = `${t('failed')}: ${f.task_id} ${f.reason ?? f.reason_code ?? ''}`;
    return li;
  }));
}

async function openRecord(id) {
  const { record } = await kintone.api('/k/v1/record', 'GET', { app: APP, id });
  $('#record-title').textContent = `#${id} ${record.件名?.value ?? ''}`;
  const dl = $('#record-fields');
  dl.replaceChildren();
  for (const [code, f] of Object.entries(record)) {
    const dt = document.createElement('dt');
    dt.textContent = code;
    const dd = document.createElement('dd');
    const v = f.value;
    dd.textContent = Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? x.name || x.code : x)).join(', ')
      : v && typeof v === 'object' ? v.name || v.code || JSON.stringify(v) : String(v ?? '');
    dl.append(dt, dd);
  }
  const { history } = await kintone.api(`/batch_approvals/_history?user_id=${encodeURIComponent(state.user)}`, 'GET', { app: APP, id });
  $('#record-history').replaceChildren(...history.reverse().map((h) => {  // oldest first
    const li = document.createElement('li');
    const actor = h.actor?.name || h.actor?.code;
    li.textContent = `${new Date(h.changedAt).toLocaleString(state.lang)} — ${h.action ? `${h.action} → ` : ''}${h.status}${actor ? ` (${t('by')} ${actor})` : ''}`;
    return li;
  }));
  $('#record-dialog').showModal();
}

const guard = (fn) => async (...args) => {
  try { await fn(...args); } catch (e) { say(errText(e), true); }
};

async function main() {
  say(t('loading'));
  applyLanguage();
  // Small chunks so a person can watch the progress bar move (the default is one chunk per batch).
  kintone = await createKintone({ user: state.user, storage: 'indexeddb', database: DB, worker: true, chunkSize: 20 });
  kintone.install();
  const existing = await kintone.ringi.export();
  if (!existing.apps || !existing.apps.length) {
    await kintone.ringi.load(makeDemoWorkspace());
    say(t('loaded'));
  }
  await fillUsers();
  await kintone.ringi.setUser(state.user);
  kintone.ringi.on('progress', (p) => {
    const prev = state.batches.get(p.batch_number);
    if (prev || p.user === undefined || p.user === state.user) state.batches.set(p.batch_number, p);
    renderProgress();
    if (p.state !== 'queued' && p.state !== 'running') refresh().catch(() => {});
  });
  kintone.ringi.on('changed', (c) => { if (c.source === 'remote') refresh().catch(() => {}); });
  kintone.ringi.on('error', (e) => say(errText(e), true));

  $('#lang').addEventListener('change', () => {
    state.lang = $('#lang').value;
    localStorage.setItem('ringi-demo-lang', state.lang);
    applyLanguage();
  });
  $('#user').addEventListener('change', guard(async () => {
    state.user = $('#user').value;
    localStorage.setItem('ringi-demo-user', state.user);
    state.checks.clear();
    state.selected.clear();
    state.batches.clear();
    await kintone.ringi.setUser(state.user);
    renderProgress();
    await refresh();
  }));
  $('#refresh').addEventListener('click', guard(refresh));
  $('#check').addEventListener('click', guard(runCheck));
  $('#select-all').addEventListener('change', () => selectSupported($('#select-all').checked));
  $('#submit').addEventListener('click', guard(submit));
  $('#reset').addEventListener('click', guard(async () => {
    await kintone.ringi.load(makeDemoWorkspace());
    state.checks.clear();
    state.selected.clear();
    state.batches.clear();
    renderProgress();
    await fillUsers();
    await refresh();
    say(t('loaded'));
  }));
  await refresh();
  // Batches of this user that are still running (e.g. after a reload) show up again.
  say(t('ready'));
  document.body.dataset.ready = 'true';
}

main().catch((e) => { say(errText(e), true); console.error(e); });
