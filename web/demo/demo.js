// @ts-check
// Ringi demo: an approver's workbench. The acting user's open tasks (paged, searched, sorted,
// filtered), checked for the chosen action as soon as they load; an action bar that runs approve,
// send back or reject on the selection with one comment and the next assignee; a batch log that
// survives reloads; a record dialog with kintone's action buttons and the comments thread.
// Everything goes through kintone.api: the engine runs in a Web Worker and keeps its data in
// IndexedDB, and an app-shell Service Worker (app-shell-sw.js) lets a reload open offline. Data is
// only ever put into the page with textContent.
import { createKintone } from '../dist/ringi.js';
import { makeDemoWorkspace } from './demo-workspace.js';
import { asLang, words, translate } from './i18n.js';
import { toRows, applyView, selectRange, sharedActions, sharedChoices } from './task-view.js';
import { createRecordDialog } from './record-dialog.js';
import { createBatchLog } from './batch-log.js';

const PARAMS = new URLSearchParams(location.search);
const DB = PARAMS.get('db') || 'ringi-demo';
// Tasks per batch chunk: small, so a person can watch the progress bar move (the library's
// default is one chunk per batch); ?chunk=1 slows a batch down further, to watch it or test it.
const CHUNK = Math.max(1, Number(PARAMS.get('chunk')) || 20);
const CHECK_CHUNK = 200;  // the most one _check or _submit takes

const $ = (/** @type {string} */ sel) => /** @type {any} */ (document.querySelector(sel));
const state = {
  lang: asLang(localStorage.getItem('ringi-demo-lang')),
  user: localStorage.getItem('ringi-demo-user') || 'sato',
  /** @type {any[]} */ tasks: [],
  /** @type {import('./task-view.js').Row[]} */ rows: [],
  /** @type {Map<string, any>} */ records: new Map(),
  /** @type {Map<string, string>} user code → name */ names: new Map(),
  /** @type {Map<string, string>} app id → name */ apps: new Map(),
  /** @type {Map<string, any>} task id → _check answer for `action` */ checks: new Map(),
  checkedFor: '',
  /** @type {Set<string>} */ selected: new Set(),
  /** @type {string|null} */ anchor: null,
  action: '',
  view: { query: '', app: '', status: '', sort: 'newest', page: 1 },
};
/** @type {any} */
let kintone;
let w = words(state.lang);
const t = (/** @type {string} */ key, /** @type {any[]} */ ...args) => w.t(key, ...args);

function say(/** @type {string} */ text, error = false) {
  const el = $('#status-line');
  el.textContent = text;
  el.classList.toggle('error', error);
}
const errText = (/** @type {any} */ e) => (e && e.message ? `${e.code ? `${e.code}: ` : ''}${e.message}` : String(e));
const guard = (/** @type {(...a: any[]) => Promise<void>} */ fn) => async (/** @type {any[]} */ ...args) => {
  try { await fn(...args); } catch (e) { say(errText(e), true); }
};

const dialog = createRecordDialog({
  get kintone() { return kintone; },
  words: () => w,
  say,
  guard,
  changed: () => refreshTasks(),
  fallbackFocus: () => $('#tasks-heading'),
});
const log = createBatchLog({
  get kintone() { return kintone; },
  words: () => w,
  user: () => state.user,
  database: DB,
  say,
  guard,
  openRecord: (app, id, from) => { openRecord(app, id, from); },
  retried: async (number) => {
    log.watch(number);
    await log.refresh();
    log.focus(number);
  },
});

function applyLanguage() {
  w = words(state.lang);
  document.documentElement.lang = state.lang;
  document.title = t('pageTitle');
  translate(document, t);
  $('#lang').value = state.lang;
}

// ---- data ------------------------------------------------------------------------------------

async function loadDirectory() {
  const { users } = await kintone.api('/v1/users', 'GET', {});
  state.names = new Map(users.map((/** @type {any} */ u) => [u.code, u.name]));
  $('#user').replaceChildren(...users.map((/** @type {any} */ u) => new Option(`${u.name} (${u.code})`, u.code)));
  if (!users.some((/** @type {any} */ u) => u.code === state.user) && users.length) state.user = users[0].code;
  $('#user').value = state.user;
  const { apps } = await kintone.api('/k/v1/apps', 'GET', {});
  state.apps = new Map(apps.map((/** @type {any} */ a) => [String(a.appId), a.name]));
}

/** Every record of the apps the tasks are in, 500 at a time. */
async function loadRecords() {
  state.records.clear();
  for (const app of new Set(state.tasks.map((x) => x.app))) {
    for (let offset = 0; ; offset += 500) {
      const r = await kintone.api('/k/v1/records', 'GET', { app, query: `order by $id asc limit 500 offset ${offset}` });
      for (const rec of r.records) state.records.set(`${app}:${rec.$id.value}`, rec);
      if (r.records.length < 500) break;
    }
  }
}

async function refreshTasks() {
  const { tasks } = await kintone.api('/batch_approvals/_tasks', 'GET', {});
  state.tasks = tasks;
  const open = new Set(tasks.map((/** @type {any} */ x) => x.task_id));
  for (const id of [...state.selected]) if (!open.has(id)) state.selected.delete(id);
  await loadRecords();
  state.rows = toRows(state.tasks, state.records, state.names);
  fillFilters();
  fillActions();
  await runCheck();
}

/** _check for the chosen action, for every task (Check runs by itself: nobody selects blind). */
let checking = Promise.resolve();
function runCheck() {
  checking = checkAll();
  return checking;
}
async function checkAll() {
  state.checks.clear();
  state.checkedFor = state.action;
  renderTasks();
  const ids = state.tasks.map((x) => x.task_id);
  for (let i = 0; i < ids.length; i += CHECK_CHUNK) {
    const part = ids.slice(i, i + CHECK_CHUNK);
    const res = await kintone.api('/batch_approvals/_check', 'POST', { task_ids: part, ...(state.action ? { action: state.action } : {}) });
    res.forEach((/** @type {any} */ r, /** @type {number} */ j) => state.checks.set(part[j], r));
  }
  renderTasks();
}

/** Whether a task can run the chosen action with the chosen assignee. @param {string} id */
function canRun(id) {
  const c = state.checks.get(id);
  if (!c) return false;
  if (c.supported) return true;
  const assignee = $('#assignee').value;
  return c.reason_code === 'assignee_required' && !!assignee && (c.assignees ?? []).includes(assignee);
}

// ---- rendering -------------------------------------------------------------------------------

function fillFilters() {
  const keep = (/** @type {any} */ sel, /** @type {[string, string][]} */ options) => {
    const value = sel.value;
    sel.replaceChildren(new Option(t('all'), ''), ...options.map(([v, label]) => new Option(label, v)));
    sel.value = options.some(([v]) => v === value) ? value : '';
  };
  keep($('#filter-app'), [...new Set(state.tasks.map((x) => x.app))].map((a) => [a, state.apps.get(a) ?? a]));
  keep($('#filter-status'), [...new Set(state.tasks.map((x) => x.status))].map((s) => [s, s]));
}

function fillActions() {
  const actions = sharedActions(state.tasks, state.selected);
  if (!actions.includes(state.action)) state.action = actions[0] ?? '';
  $('#action').replaceChildren(...actions.map((a) => new Option(a, a)));
  $('#action').value = state.action;
}

function fillAssignees() {
  const choices = sharedChoices(state.checks, state.selected);
  const field = $('#assignee-field');
  const select = $('#assignee');
  const value = select.value;
  field.hidden = choices.length === 0;
  select.replaceChildren(new Option(t('choose'), ''), ...choices.map((c) => new Option(`${state.names.get(c) ?? c} (${c})`, c)));
  select.value = choices.includes(value) ? value : '';
}

/** @param {number} app @param {number} id @param {HTMLElement|null} from */
function openRecord(app, id, from) {
  dialog.open(app, id, from).catch((e) => say(errText(e), true));
}

function checkText(/** @type {string} */ id) {
  const c = state.checks.get(id);
  if (!c) return [state.checkedFor === state.action ? t('checking') : '', ''];
  if (canRun(id)) return [t('supported'), 'ok'];
  if (c.reason_code === 'assignee_required') return [t('chooseAssignee'), 'choose'];
  return [c.reason || c.reason_code || '', 'ng'];
}

function renderTasks() {
  const { all, page, pageNumber, pages } = applyView(state.rows, state.view);
  state.view.page = pageNumber;
  const order = all.map((r) => r.task.task_id);
  // Drawing the rows again must not lose the keyboard's place: the control that had focus gets
  // it back in the new row.
  const focusKey = /** @type {HTMLElement|null} */ (document.activeElement)?.dataset?.focusKey;
  $('#tasks tbody').replaceChildren(...page.map((row) => {
    const id = row.task.task_id;
    const tr = document.createElement('tr');
    tr.dataset.task = id;
    tr.classList.toggle('selected', state.selected.has(id));
    const cb = document.createElement('input');
    cb.type = 'checkbox';
    cb.checked = state.selected.has(id);
    cb.setAttribute('aria-label', t('selectTask', row.id));
    cb.dataset.focusKey = `select:${id}`;
    cb.addEventListener('click', (ev) => {
      selectRange(state.selected, order, ev.shiftKey ? state.anchor : null, id, cb.checked);
      state.anchor = id;
      afterSelection();
    });
    const link = document.createElement('a');
    link.className = 'record';
    link.href = `#record-${row.task.app}-${row.id}`;
    link.textContent = `#${row.id}`;
    link.dataset.focusKey = `open:${id}`;
    link.addEventListener('click', (ev) => {
      ev.preventDefault();
      openRecord(Number(row.task.app), row.id, link);
    });
    const [checkLabel, checkClass] = checkText(id);
    /** @type {[string|Node, string, string][]} content, class, label on narrow screens */
    const cells = [
      [cb, '', ''], [link, '', ''], [row.title, '', ''], [w.number(row.amount), 'num', ''],
      [row.applicant, '', t('applicant')], [row.assignees, '', t('assignee')], [w.date(row.date), '', t('date')],
      [row.status, '', t('status')], [checkLabel, checkClass, t('check')],
    ];
    for (const [content, cls, narrowLabel] of cells) {
      const td = document.createElement('td');
      td.append(content);
      if (cls) td.className = cls;
      if (narrowLabel) td.dataset.label = narrowLabel;
      tr.append(td);
    }
    return tr;
  }));
  if (focusKey) {
    // Its task gone (done, or filtered out): the list's heading, not <body>.
    const again = /** @type {HTMLElement|null} */ (document.querySelector(`[data-focus-key="${focusKey}"]`));
    (again ?? $('#tasks-heading')).focus();
  }
  const empty = $('#empty');
  empty.hidden = page.length > 0;
  empty.textContent = state.tasks.length ? t('noMatch') : t('none');
  $('#page-info').textContent = t('pageOf', pageNumber, pages, all.length);
  $('#prev').disabled = pageNumber <= 1;
  $('#next').disabled = pageNumber >= pages;
  const pageIds = page.map((r) => r.task.task_id);
  $('#select-page').checked = pageIds.length > 0 && pageIds.every((x) => state.selected.has(x));
  updateBar();
}

function afterSelection() {
  const before = state.action;
  fillActions();
  if (state.action !== before) { runCheck().catch((e) => say(errText(e), true)); return; }
  renderTasks();
}

function updateBar() {
  fillAssignees();
  $('#count').textContent = `${t('tasks', state.tasks.length)} · ${t('selected', state.selected.size)}`;
  const submit = $('#submit');
  submit.textContent = t('run', state.action || '—', state.selected.size);
  submit.disabled = state.selected.size === 0 || !state.action;
  // With a selection, the bar stays in view at the bottom; without, it waits below the list.
  $('#action-bar').classList.toggle('active', state.selected.size > 0);
}

// ---- acting ----------------------------------------------------------------------------------

async function submit() {
  // In the order shown (what the log and the CSV then list), then any selected but filtered out.
  const shown = applyView(state.rows, state.view).all.map((r) => r.task.task_id);
  const ids = [...new Set([...shown, ...state.tasks.map((x) => x.task_id)])].filter((id) => state.selected.has(id));
  if (!ids.length || !state.action) return;
  const choices = sharedChoices(state.checks, state.selected);
  const assignee = $('#assignee').value;
  if (choices.length && !assignee) {
    say(`${t('nextAssignee')}: ${t('choose')}`, true);
    $('#assignee').focus();
    return;
  }
  const comment = $('#comment').value.trim();
  /** @type {string[]} */
  const numbers = [];
  for (let i = 0; i < ids.length; i += CHECK_CHUNK) {
    const body = { task_ids: ids.slice(i, i + CHECK_CHUNK), action: state.action, ...(comment ? { comment } : {}), ...(choices.length ? { assignee } : {}) };
    const { batch_number } = await kintone.api('/batch_approvals/_submit', 'POST', body);
    log.watch(batch_number);
    numbers.push(batch_number);
  }
  say(t('submitted', state.action, ids.length));
  state.selected.clear();
  state.anchor = null;
  $('#comment').value = '';
  renderTasks();
  await log.refresh();
  log.focus(numbers[0]);  // focus goes to the batch just made, where its result will show
}

async function selectRunnable() {
  await checking.catch(() => {});  // "all that can run" means checked: wait for a check under way
  const { all } = applyView(state.rows, state.view);
  for (const r of all) if (canRun(r.task.task_id)) state.selected.add(r.task.task_id);
  afterSelection();
}

// ---- start -----------------------------------------------------------------------------------

let progressTimer = 0;
function onProgress(/** @type {any} */ p) {
  if (p.user !== state.user) return;  // another user's batch: not this person's to see
  clearTimeout(progressTimer);
  progressTimer = window.setTimeout(() => {
    log.refresh();
    if (p.state !== 'queued' && p.state !== 'running') refreshTasks().catch((e) => say(errText(e), true));
  }, 50);
}

async function switchUser(/** @type {string} */ code) {
  state.user = code;
  localStorage.setItem('ringi-demo-user', code);
  state.checks.clear();
  state.selected.clear();
  state.anchor = null;
  await kintone.ringi.setUser(code);
  await Promise.all([refreshTasks(), log.refresh()]);
}

function wireControls() {
  $('#lang').addEventListener('change', guard(async () => {
    state.lang = asLang($('#lang').value);
    localStorage.setItem('ringi-demo-lang', state.lang);
    kintone.ringi.setLanguage(state.lang);
    applyLanguage();
    await Promise.all([runCheck(), log.refresh()]);
  }));
  $('#user').addEventListener('change', guard(() => switchUser($('#user').value)));
  let searchTimer = 0;
  $('#search').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => { state.view.query = $('#search').value; state.view.page = 1; renderTasks(); }, 150);
  });
  for (const [sel, key] of [['#filter-app', 'app'], ['#filter-status', 'status'], ['#sort', 'sort']]) {
    $(sel).addEventListener('change', () => { /** @type {any} */ (state.view)[key] = $(sel).value; state.view.page = 1; renderTasks(); });
  }
  $('#prev').addEventListener('click', () => { state.view.page--; renderTasks(); });
  $('#next').addEventListener('click', () => { state.view.page++; renderTasks(); });
  $('#select-page').addEventListener('change', () => {
    for (const r of applyView(state.rows, state.view).page) {
      if ($('#select-page').checked) state.selected.add(r.task.task_id); else state.selected.delete(r.task.task_id);
    }
    afterSelection();
  });
  $('#action').addEventListener('change', guard(async () => { state.action = $('#action').value; await runCheck(); }));
  $('#assignee').addEventListener('change', () => renderTasks());
  $('#select-supported').addEventListener('click', guard(selectRunnable));
  $('#clear').addEventListener('click', () => { state.selected.clear(); state.anchor = null; afterSelection(); });
  $('#submit').addEventListener('click', guard(submit));
  $('#reset').addEventListener('click', () => $('#confirm-reset').showModal());
  $('#confirm-reset').addEventListener('close', guard(async () => {
    $('#reset').focus();
    if ($('#confirm-reset').returnValue !== 'reset') return;
    await kintone.ringi.load(makeDemoWorkspace());
    localStorage.removeItem(`ringi-demo-pending:${DB}:${state.user}`);
    state.selected.clear();
    await loadDirectory();
    await Promise.all([refreshTasks(), log.refresh()]);
    say(t('loaded'));
  }));
  window.addEventListener('hashchange', openFromHash);
}

function openFromHash() {
  const m = /^#record-(\d+)-(\d+)$/.exec(location.hash);
  if (m && !dialog.isOpen) openRecord(Number(m[1]), Number(m[2]), null);
}

async function main() {
  applyLanguage();
  say(t('loading'));
  // The app shell for offline reloads; the page works without it (first visit, http: origins).
  navigator.serviceWorker?.register('app-shell-sw.js').catch(() => {});
  kintone = await createKintone({ user: state.user, language: state.lang, storage: 'indexeddb', database: DB, worker: true, chunkSize: CHUNK });
  kintone.install();
  const existing = await kintone.ringi.export();
  if (!existing.apps || !existing.apps.length) {
    await kintone.ringi.load(makeDemoWorkspace());
    say(t('loaded'));
  }
  await loadDirectory();
  await kintone.ringi.setUser(state.user);
  kintone.ringi.on('progress', onProgress);
  kintone.ringi.on('changed', (/** @type {any} */ c) => { if (c.source === 'remote') refreshTasks().catch(() => {}); });
  kintone.ringi.on('error', (/** @type {any} */ e) => say(errText(e), true));
  wireControls();
  const loading = $('#status-line').textContent;
  await refreshTasks();
  // A batch that ended while the list loaded has said so (its progress event came first): that
  // stays, "Ready" does not overwrite it.
  if ($('#status-line').textContent === loading) say(navigator.onLine ? t('ready') : t('offline'));
  await log.refresh();  // after "Ready": a batch that ended while the page was closed says so
  openFromHash();
  document.body.dataset.ready = 'true';
}

main().catch((e) => { say(errText(e), true); console.error(e); });
