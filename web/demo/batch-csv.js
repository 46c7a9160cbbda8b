// @ts-check
// A batch's result as CSV (RFC 4180: CRLF, fields quoted when they hold a comma, a quote or a line
// break), one row per task with its outcome, with a byte-order mark so spreadsheet programs read the Japanese and
// Chinese text as UTF-8. Pure: tested in Node (tests/node/demo-logic.test.mjs).

const HEADER = ['batch_number', 'action', 'task_id', 'app', 'record_id', 'title', 'result', 'reason_code', 'reason'];

/** @param {unknown} v */
function field(v) {
  let s = v === null || v === undefined ? '' : String(v);
  // A cell that starts like a formula is kept as text by spreadsheet programs (CSV injection).
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * @param {any} progress a batch's progress (GET /batch_approvals/_submit): its items and failures
 * @param {string} actionName the action's name as shown (the approve action has none of its own)
 * @returns {string}
 */
export function batchCsv(progress, actionName) {
  const rows = [HEADER];
  const failures = [...(progress.failures ?? [])];
  for (const item of progress.items ?? []) {
    const f = item.result === 'failed' ? failures.shift() : null;
    rows.push([progress.batch_number, actionName, item.task_id, item.app, item.record_id, item.title, item.result, f?.reason_code, f?.reason]);
  }
  return '\uFEFF' + rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
