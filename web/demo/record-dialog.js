// @ts-check
// The record dialog: the record's fields by label with formatted values, kintone's action buttons
// for the acting user (with a comment and the next assignee where one is chosen), the record's
// comments and its status history. A modal <dialog>: focus stays inside until it closes, then
// goes back to what opened it. Data only ever reaches the page as textContent.

/** @typedef {ReturnType<typeof import('./i18n.js').words>} Words */

const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));
const HIDDEN_TYPES = new Set(['__ID__', '__REVISION__']);
const USER_TYPES = new Set(['USER_SELECT', 'STATUS_ASSIGNEE', 'CREATOR', 'MODIFIER']);
const TIME_TYPES = new Set(['DATETIME', 'CREATED_TIME', 'UPDATED_TIME']);
const COMMENTS_PAGE = 10;

/**
 * @param {{kintone: any, words: () => Words, say: (text: string, error?: boolean) => void,
 *          guard: (fn: () => Promise<void>) => () => Promise<void>,
 *          changed: () => Promise<void>, fallbackFocus: () => HTMLElement}} ctx
 *   guard: the page's way to run an action and show its error in the status line
 */
export function createRecordDialog(ctx) {
  const dialog = $('record-dialog');
  /** @type {{app: number, id: number}|null} */
  let current = null;
  /** @type {HTMLElement|null} */
  let opener = null;
  /** @type {Map<number, any>} fields API properties by app */
  const fieldsOf = new Map();
  let commentsShown = 0;

  dialog.addEventListener('close', () => {
    current = null;
    if (location.hash.startsWith('#record-')) history.replaceState(null, '', location.pathname + location.search);
    const back = opener && opener.isConnected ? opener : ctx.fallbackFocus();
    back.focus();
  });
  $('record-post').addEventListener('click', ctx.guard(async () => {
    if (!current) return;
    const text = $('record-comment').value.trim();
    if (!text) { $('record-comment').focus(); return; }
    await ctx.kintone.api('/k/v1/record/comment', 'POST', { app: current.app, record: current.id, comment: { text } });
    $('record-comment').value = '';
    ctx.say(ctx.words().t('posted'));
    await renderComments(true);
  }));
  $('record-older').addEventListener('click', ctx.guard(() => renderComments(false)));

  /** @param {number} app */
  async function fields(app) {
    if (!fieldsOf.has(app)) fieldsOf.set(app, (await ctx.kintone.api('/k/v1/app/form/fields', 'GET', { app })).properties);
    return fieldsOf.get(app);
  }

  /** @param {any} f a field of a record (kintone's REST shape) @param {string} type @param {Words} w */
  function format(f, type, w) {
    const v = f.value;
    const person = (/** @type {any} */ u) => (u ? u.name || u.code : '');
    if (USER_TYPES.has(type)) return Array.isArray(v) ? v.map(person).join(', ') : person(v);
    if (type === 'NUMBER' || type === 'CALC') return w.number(v);
    if (type === 'DATE') return w.date(v);
    if (TIME_TYPES.has(type)) return w.time(v);
    if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? person(x) : x)).join(', ');
    return v === null || v === undefined ? '' : String(v);
  }

  async function renderRecord() {
    if (!current) return;
    const w = ctx.words();
    const { app, id } = current;
    const [{ record }, props] = await Promise.all([ctx.kintone.api('/k/v1/record', 'GET', { app, id }), fields(app)]);
    const titleField = Object.values(props).find((p) => p.type === 'SINGLE_LINE_TEXT');
    $('record-title').textContent = `#${id} ${titleField ? record[titleField.code]?.value ?? '' : ''}`;
    const rows = [];
    for (const [code, p] of Object.entries(props)) {
      const f = record[code];
      if (!f || HIDDEN_TYPES.has(f.type)) continue;
      const dt = document.createElement('dt');
      dt.textContent = p.label || code;
      const dd = document.createElement('dd');
      dd.textContent = format(f, f.type || p.type, w);
      rows.push(dt, dd);
    }
    $('record-fields').replaceChildren(...rows);
  }

  async function renderActions() {
    if (!current) return;
    const w = ctx.words();
    const { app, id } = current;
    const { actions } = await ctx.kintone.api(`/batch_approvals/_actions?app=${app}&id=${id}`, 'GET', {});
    const choosing = actions.find((/** @type {any} */ a) => a.nextStatus.type === 'ONE' && a.nextStatus.assignees.length > 1);
    const select = $('record-assignee');
    $('record-assignee-field').hidden = !choosing;
    if (choosing) {
      const options = [new Option(w.t('choose'), ''), ...choosing.nextStatus.assignees.map((/** @type {any} */ u) => new Option(`${u.name} (${u.code})`, u.code))];
      select.replaceChildren(...options);
    }
    const buttons = actions.map((/** @type {any} */ a) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = a.name;
      b.className = 'primary';
      b.addEventListener('click', ctx.guard(() => run(a)));
      return b;
    });
    if (!buttons.length) {
      const p = document.createElement('p');
      p.textContent = w.t('noActions');
      buttons.push(p);
    }
    $('record-actions').replaceChildren(...buttons);
  }

  /** @param {any} action one of _actions' answer */
  async function run(action) {
    if (!current) return;
    const { app, id } = current;
    /** @type {any} */
    const body = { app, id, action: action.name };
    if (action.nextStatus.type === 'ONE' && action.nextStatus.assignees.length > 1) {
      const chosen = $('record-assignee').value;
      if (!chosen) { $('record-assignee').focus(); ctx.say(`${ctx.words().t('nextAssignee')}: ${ctx.words().t('choose')}`, true); return; }
      body.assignee = chosen;
    } else if (action.nextStatus.type === 'ONE' && action.nextStatus.assignees.length === 1) {
      body.assignee = action.nextStatus.assignees[0].code;  // kintone asks for it; there is one choice
    }
    await ctx.kintone.api('/k/v1/record/status', 'PUT', body);
    const text = $('record-comment').value.trim();
    if (text) {
      await ctx.kintone.api('/k/v1/record/comment', 'POST', { app, record: id, comment: { text } });
      $('record-comment').value = '';
    }
    ctx.say(ctx.words().t('done', action.name, id));
    await Promise.all([renderRecord(), renderActions(), renderComments(true), renderHistory()]);
    await ctx.changed();
    $('record-title').focus();
  }

  /** @param {boolean} fromStart */
  async function renderComments(fromStart) {
    if (!current) return;
    const w = ctx.words();
    if (fromStart) commentsShown = 0;
    const { app, id } = current;
    const page = await ctx.kintone.api('/k/v1/record/comments', 'GET', { app, record: id, order: 'desc', offset: commentsShown, limit: COMMENTS_PAGE });
    const items = page.comments.map((/** @type {any} */ c) => {
      const li = document.createElement('li');
      const meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = `${c.creator.name} · ${w.time(c.createdAt)}`;
      li.append(c.text, meta);
      return li;
    });
    if (fromStart) {
      if (!items.length) {
        const li = document.createElement('li');
        li.textContent = w.t('noComments');
        items.push(li);
      }
      $('record-comments').replaceChildren(...items);
    } else {
      $('record-comments').append(...items);
    }
    commentsShown += page.comments.length;
    $('record-older').hidden = !page.older;
  }

  async function renderHistory() {
    if (!current) return;
    const w = ctx.words();
    const { app, id } = current;
    const { history } = await ctx.kintone.api('/batch_approvals/_history', 'GET', { app, id });
    $('record-history').replaceChildren(...history.reverse().map((/** @type {any} */ h) => {  // oldest first
      const li = document.createElement('li');
      const actor = h.actor?.name || h.actor?.code;
      li.textContent = `${w.time(h.changedAt)} — ${h.action ? `${h.action} → ` : ''}${h.status}${actor ? ` (${w.t('by')} ${actor})` : ''}`;
      return li;
    }));
  }

  return {
    /** @param {number} app @param {number} id @param {HTMLElement|null} from */
    async open(app, id, from) {
      opener = from;
      current = { app, id };
      $('record-comment').value = '';
      await Promise.all([renderRecord(), renderActions(), renderComments(true), renderHistory()]);
      if (!dialog.open) dialog.showModal();
    },
    get isOpen() { return /** @type {boolean} */ (dialog.open); },
  };
}
