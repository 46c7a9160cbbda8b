// @ts-check
// What the task list shows: the user's open tasks joined with their records, searched, filtered,
// sorted and paged, and a range selection (shift-click). Pure functions: no DOM, tested in Node
// (tests/node/demo-logic.test.mjs).

/**
 * @typedef {{task_id: string, app: string, record_id: string, status: string, actions?: string[]}} Task
 * @typedef {{task: Task, id: number, title: string, amount: number, applicant: string,
 *            assignees: string, date: string, status: string}} Row
 * @typedef {{query?: string, app?: string, status?: string, sort?: string, page?: number,
 *            pageSize?: number}} View
 */

export const PAGE_SIZE = 50;

/**
 * One row per task, from its record (kintone's REST shape) and the user names.
 * @param {Task[]} tasks @param {Map<string, any>} records by "app:id" @param {Map<string, string>} names
 * @returns {Row[]}
 */
export function toRows(tasks, records, names) {
  const name = (/** @type {any} */ u) => (u ? names.get(u.code) ?? u.name ?? u.code : '');
  return tasks.map((task) => {
    const r = records.get(`${task.app}:${task.record_id}`) ?? {};
    const value = (/** @type {string} */ code) => r[code]?.value;
    return {
      task,
      id: Number(task.record_id),
      title: String(value('件名') ?? ''),
      amount: Number(value('金額') ?? NaN),
      applicant: name(value('作成者')),
      assignees: (value('作業者') ?? []).map(name).join(', '),
      date: String(value('申請日') ?? ''),
      status: task.status,
    };
  });
}

const SORTS = {
  newest: (/** @type {Row} */ a, /** @type {Row} */ b) => b.date.localeCompare(a.date) || b.id - a.id,
  oldest: (/** @type {Row} */ a, /** @type {Row} */ b) => a.date.localeCompare(b.date) || a.id - b.id,
  amountDesc: (/** @type {Row} */ a, /** @type {Row} */ b) => (b.amount || 0) - (a.amount || 0) || a.id - b.id,
  amountAsc: (/** @type {Row} */ a, /** @type {Row} */ b) => (a.amount || 0) - (b.amount || 0) || a.id - b.id,
  title: (/** @type {Row} */ a, /** @type {Row} */ b) => a.title.localeCompare(b.title) || a.id - b.id,
};
export const SORT_KEYS = Object.keys(SORTS);

/**
 * The rows a view selects, in its order (every page), and the page asked for.
 * @param {Row[]} rows @param {View} view
 * @returns {{all: Row[], page: Row[], pageNumber: number, pages: number}}
 */
export function applyView(rows, view) {
  const q = (view.query ?? '').trim().toLowerCase();
  const matches = (/** @type {Row} */ r) => !q || [String(r.id), r.title, r.applicant, r.assignees, r.status]
    .some((s) => s.toLowerCase().includes(q));
  const all = rows
    .filter((r) => (!view.app || r.task.app === view.app) && (!view.status || r.status === view.status) && matches(r))
    .sort(SORTS[/** @type {keyof typeof SORTS} */ (view.sort)] ?? SORTS.newest);
  const size = view.pageSize ?? PAGE_SIZE;
  const pages = Math.max(1, Math.ceil(all.length / size));
  const pageNumber = Math.min(Math.max(1, view.page ?? 1), pages);
  return { all, page: all.slice((pageNumber - 1) * size, pageNumber * size), pageNumber, pages };
}

/**
 * Shift-click: every id from the anchor to the target (in the order shown) takes the target's
 * new state. Without an anchor on the list, only the target.
 * @param {Set<string>} selected @param {string[]} order @param {string|null} anchor
 * @param {string} target @param {boolean} on
 */
export function selectRange(selected, order, anchor, target, on) {
  const a = anchor === null ? -1 : order.indexOf(anchor);
  const b = order.indexOf(target);
  const [from, to] = a < 0 || b < 0 ? [b, b] : [Math.min(a, b), Math.max(a, b)];
  for (let i = from; i >= 0 && i <= to; i++) {
    if (on) selected.add(order[i]); else selected.delete(order[i]);
  }
}

/**
 * The actions every selected task offers, in the order the first one lists them; with nothing
 * selected, every action any task offers. A task offers what any task of its app and status
 * offers: an action whose condition one record fails stays on offer, and the check says which
 * records it cannot run on.
 * @param {Task[]} tasks @param {Set<string>} selected
 * @returns {string[]}
 */
export function sharedActions(tasks, selected) {
  /** @type {Map<string, string[]>} */
  const byStatus = new Map();
  const key = (/** @type {Task} */ t) => `${t.app}\u0000${t.status}`;
  for (const t of tasks) byStatus.set(key(t), [...new Set([...(byStatus.get(key(t)) ?? []), ...(t.actions ?? [])])]);
  const chosen = selected.size ? tasks.filter((t) => selected.has(t.task_id)) : tasks;
  if (!chosen.length) return [];
  const offers = chosen.map((t) => byStatus.get(key(t)) ?? []);
  if (!selected.size) return [...new Set(offers.flat())];
  return offers[0].filter((a) => offers.every((o) => o.includes(a)));
}

/**
 * The users every selected task lets the next status choose from (the _check answer's
 * `assignees`), or [] when none of them needs a choice.
 * @param {Map<string, any>} checks by task id @param {Set<string>} selected
 * @returns {string[]}
 */
export function sharedChoices(checks, selected) {
  /** @type {string[]|null} */
  let common = null;
  for (const id of selected) {
    const choices = checks.get(id)?.assignees;
    if (!choices) continue;
    common = common === null ? [...choices] : common.filter((c) => choices.includes(c));
  }
  return common ?? [];
}
