// @ts-check
// The batch log: the acting user's batches (GET /batch_approvals/_batches, kept by the engine, so
// it survives reloads and user switches), each with its state, counts and progress, its failures
// by record (linked to the record), CSV export and "retry failed". It says when a batch finishes,
// also one that finished while the page was closed or reloading.
import { batchCsv } from './batch-csv.js';

/** @typedef {ReturnType<typeof import('./i18n.js').words>} Words */

const SHOWN = 20;
const FINISHED = new Set(['completed', 'partially_completed', 'cancelled']);

/**
 * @param {{kintone: any, words: () => Words, user: () => string, database: string,
 *          say: (text: string, error?: boolean) => void,
 *          guard: (fn: () => Promise<void>) => () => Promise<void>,
 *          openRecord: (app: number, id: number, from: HTMLElement) => void,
 *          retried: (batchNumber: string) => Promise<void>}} ctx
 */
export function createBatchLog(ctx) {
  const list = /** @type {HTMLOListElement} */ (document.getElementById('batches'));
  const none = /** @type {HTMLElement} */ (document.getElementById('no-batches'));
  /** Batches this page has seen unfinished: their end is announced as it happens. */
  const watched = new Set();
  let refreshing = Promise.resolve();
  let again = false;

  // Batches seen unfinished, per user, kept across reloads: one that ends while the page is
  // closed is announced when it opens again.
  const pendingKey = () => `ringi-demo-pending:${ctx.database}:${ctx.user()}`;
  const loadPending = () => new Set(/** @type {string[]} */ (JSON.parse(localStorage.getItem(pendingKey()) || '[]')));
  /** @param {Set<string>} s */
  const savePending = (s) => localStorage.setItem(pendingKey(), JSON.stringify([...s]));

  /** @param {any} b */
  const actionName = (b) => b.action ?? ctx.words().t('approve');

  /** @param {string} number */
  async function details(number) {
    return ctx.kintone.api(`/batch_approvals/_submit?batch_number=${number}`, 'GET', {});
  }

  /** @param {any} b a summary @param {any|null} full its progress when it has failures */
  function entry(b, full) {
    const w = ctx.words();
    const li = document.createElement('li');
    li.className = 'batch';
    li.dataset.batch = b.batch_number;
    li.dataset.state = b.state;
    const h = document.createElement('h3');
    h.id = `batch-${b.batch_number}`;
    h.tabIndex = -1;
    h.textContent = w.t('batchTitle', actionName(b), b.total, w.time(b.created_at));
    const state = document.createElement('p');
    state.className = `state-${b.state}`;
    state.textContent = `${w.state(b.state)} — ${w.t('counts', b)}`;
    const bar = document.createElement('progress');
    bar.max = Math.max(1, b.total);
    bar.value = b.processed;
    bar.setAttribute('aria-label', w.t('progressOf', actionName(b)));
    li.append(h, state, bar);
    if (b.retry_of) {
      const p = document.createElement('p');
      p.textContent = w.t('retryOf');
      li.append(p);
    }
    if (full && full.failures.length) {
      const title = document.createElement('h4');
      title.textContent = w.t('failures');
      const ul = document.createElement('ul');
      for (const f of full.failures) {
        const item = document.createElement('li');
        if (f.record_id) {
          const a = document.createElement('a');
          a.href = `#record-${f.app}-${f.record_id}`;
          a.className = 'record';
          a.textContent = `#${f.record_id} ${f.title ?? ''}`.trim();
          a.addEventListener('click', (ev) => {
            ev.preventDefault();
            ctx.openRecord(Number(f.app), Number(f.record_id), a);
          });
          item.append(a, ` — ${f.reason}`);
        } else {
          item.textContent = `${f.task_id} — ${f.reason}`;
        }
        ul.append(item);
      }
      li.append(title, ul);
    }
    if (FINISHED.has(b.state)) {
      const buttons = document.createElement('div');
      buttons.className = 'buttons';
      buttons.append(button(w.t('exportCsv'), 'csv', () => exportCsv(b)));
      if (b.failed > 0) buttons.append(button(w.t('retryFailed'), 'retry', () => retryFailed(b)));
      li.append(buttons);
    }
    return li;
  }

  /** @param {string} label @param {string} role @param {() => Promise<void>} onClick */
  function button(label, role, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.dataset.role = role;
    b.addEventListener('click', ctx.guard(onClick));
    return b;
  }

  // A finished batch's details no longer change: read once per language (the reasons are in it),
  // not again on every progress event of the batches still running.
  /** @type {Map<string, any>} */
  let finishedDetails = new Map();
  /** @type {Words|null} */
  let detailsIn = null;
  /** @param {any} b a summary */
  async function failuresOf(b) {
    if (b.failed === 0) return null;
    if (detailsIn !== ctx.words()) {
      finishedDetails = new Map();
      detailsIn = ctx.words();
    }
    const known = finishedDetails.get(b.batch_number);
    if (known) return known;
    const d = await details(b.batch_number);
    if (FINISHED.has(d.state)) finishedDetails.set(b.batch_number, d);
    return d;
  }

  /** @param {any} b */
  async function exportCsv(b) {
    const text = batchCsv(await details(b.batch_number), actionName(b));
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `ringi-batch-${b.batch_number.slice(0, 8)}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  /** @param {any} b */
  async function retryFailed(b) {
    try {
      const { batch_number } = await ctx.kintone.api('/batch_approvals/_submit', 'POST', { retry_of: b.batch_number });
      await ctx.retried(batch_number);
    } catch (/** @type {any} */ e) {
      if (e && e.errors && e.errors.retry_of) ctx.say(ctx.words().t('noRetry'), true);
      else throw e;
    }
  }

  async function render() {
    const w = ctx.words();
    const { batches } = await ctx.kintone.api(`/batch_approvals/_batches?limit=${SHOWN}`, 'GET', {});
    const full = await Promise.all(batches.map(failuresOf));
    const pending = loadPending();
    for (const b of batches) {
      if (!FINISHED.has(b.state)) {
        if (!pending.has(b.batch_number)) pending.add(b.batch_number);
        watched.add(b.batch_number);
      } else if (pending.has(b.batch_number)) {
        pending.delete(b.batch_number);
        ctx.say(w.t(watched.has(b.batch_number) ? 'finished' : 'finishedAway', actionName(b), b));
        watched.delete(b.batch_number);
      }
    }
    savePending(pending);
    const focused = document.activeElement?.id;
    list.replaceChildren(...batches.map((/** @type {any} */ b, /** @type {number} */ i) => entry(b, full[i])));
    none.hidden = batches.length > 0;
    if (focused && focused.startsWith('batch-')) document.getElementById(focused)?.focus();
  }

  return {
    /** Reads the list again (one read at a time; calls meanwhile make one more read). */
    refresh() {
      if (again) return refreshing;
      again = true;
      refreshing = refreshing.then(ctx.guard(() => { again = false; return render(); }));
      return refreshing;
    },
    /** @param {string} number */
    focus(number) { document.getElementById(`batch-${number}`)?.focus(); },
    /** The page watches these from now on (just submitted). @param {string} number */
    watch(number) {
      watched.add(number);
      const pending = loadPending();
      pending.add(number);
      savePending(pending);
    },
  };
}
