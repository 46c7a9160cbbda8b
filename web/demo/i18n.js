// @ts-check
// The demo's words in English, Japanese and Chinese, and the formats of its numbers and dates.
// One place for every string a person reads; the engine's own messages come in the same language
// (createKintone({language})).

/** @typedef {'en'|'ja'|'zh'} Lang */

const STATES = {
  en: { queued: 'queued', running: 'running', completed: 'completed', partially_completed: 'some failed', cancelled: 'cancelled' },
  ja: { queued: '待機中', running: '処理中', completed: '完了', partially_completed: '一部失敗', cancelled: '取消済み' },
  zh: { queued: '排队中', running: '处理中', completed: '已完成', partially_completed: '部分失败', cancelled: '已取消' },
};

/** @type {Record<Lang, Record<string, any>>} */
const STRINGS = {
  en: {
    pageTitle: 'Ringi — batch approval', title: 'Ringi', appName: 'Expense report', language: 'Language', user: 'User',
    reset: 'Reset demo data', resetQuestion: 'Reset the demo data? Every record, comment and batch of every user goes back to the start.',
    resetConfirm: 'Reset', cancel: 'Cancel', skip: 'Skip to the task list',
    myTasks: 'My tasks', search: 'Search', filterApp: 'App', filterStatus: 'Status', all: 'All', sort: 'Sort',
    sortNewest: 'Newest first', sortOldest: 'Oldest first', sortAmountDesc: 'Amount, high to low', sortAmountAsc: 'Amount, low to high', sortTitle: 'Subject',
    selectPage: 'Select every task on this page', selectTask: (id) => `Select record ${id}`,
    record: 'Record', subject: 'Subject', amount: 'Amount', applicant: 'Applicant', assignee: 'Assignee', date: 'Date', status: 'Status', check: 'Check',
    prev: 'Previous', next: 'Next', pageOf: (p, n, total) => `Page ${p} of ${n} · ${total} task(s)`, pager: 'Pages',
    actionBar: 'Act on the selected tasks', action: 'Action', nextAssignee: 'Next assignee', chooseAssignee: 'Choose the next assignee', choose: 'Choose…', comment: 'Comment',
    commentHint: 'Posted on every record the action changes', selectSupported: 'Select all that can run', clear: 'Clear selection',
    run: (action, n) => `${action}: ${n} task(s)`, none: 'No open tasks.', noMatch: 'No task matches.',
    tasks: (n) => `${n} open task(s)`, selected: (n) => `${n} selected`, supported: 'OK', checking: 'Checking…',
    batchLog: 'Batch log', noBatches: 'No batches yet.', approve: 'Approve',
    batchTitle: (action, total, time) => `${action} · ${total} task(s) · ${time}`,
    counts: (b) => `${b.processed} of ${b.total} processed, ${b.succeeded} succeeded, ${b.failed} failed`,
    progressOf: (action) => `Progress of “${action}”`, retryOf: 'Retry of an earlier batch',
    failures: 'Failed tasks', exportCsv: 'Export CSV', retryFailed: 'Retry failed',
    submitted: (action, n) => `“${action}” submitted for ${n} task(s).`,
    finished: (action, b) => `“${action}” finished: ${b.succeeded} succeeded, ${b.failed} failed.`,
    finishedAway: (action, b) => `“${action}” finished while the page was closed: ${b.succeeded} succeeded, ${b.failed} failed.`,
    noRetry: 'None of the failed tasks is still open.',
    close: 'Close', fields: 'Fields', actions: 'Actions', noActions: 'No action you can run on this record now.',
    comments: 'Comments', noComments: 'No comments yet.', older: 'Older comments', post: 'Post comment', history: 'Status history', by: 'by',
    done: (action, id) => `“${action}” done on record ${id}.`, posted: 'Comment posted.',
    loading: 'Loading the engine…', ready: 'Ready.', loaded: 'Demo data loaded.', offline: 'Offline: working from this device.',
    states: STATES.en,
  },
  ja: {
    pageTitle: '稟議 — 一括承認', title: '稟議', appName: '経費精算', language: '言語', user: 'ユーザー',
    reset: 'デモデータを初期化', resetQuestion: 'デモデータを初期化しますか？ すべてのユーザーのレコード、コメント、バッチが最初の状態に戻ります。',
    resetConfirm: '初期化', cancel: 'キャンセル', skip: 'タスク一覧へ移動',
    myTasks: '自分のタスク', search: '検索', filterApp: 'アプリ', filterStatus: 'ステータス', all: 'すべて', sort: '並び順',
    sortNewest: '新しい順', sortOldest: '古い順', sortAmountDesc: '金額の高い順', sortAmountAsc: '金額の低い順', sortTitle: '件名',
    selectPage: 'このページのタスクをすべて選択', selectTask: (id) => `レコード ${id} を選択`,
    record: 'レコード', subject: '件名', amount: '金額', applicant: '申請者', assignee: '作業者', date: '日付', status: 'ステータス', check: 'チェック',
    prev: '前へ', next: '次へ', pageOf: (p, n, total) => `${n} ページ中 ${p} ページ · ${total} 件`, pager: 'ページ',
    actionBar: '選択したタスクの操作', action: 'アクション', nextAssignee: '次の作業者', chooseAssignee: '次の作業者を選んでください', choose: '選択…', comment: 'コメント',
    commentHint: 'アクションで変わるすべてのレコードに投稿されます', selectSupported: '実行できるものをすべて選択', clear: '選択を解除',
    run: (action, n) => `${action}（${n} 件）`, none: '未処理のタスクはありません。', noMatch: '該当するタスクはありません。',
    tasks: (n) => `未処理のタスク ${n} 件`, selected: (n) => `${n} 件選択`, supported: 'OK', checking: 'チェック中…',
    batchLog: 'バッチの記録', noBatches: 'バッチはまだありません。', approve: '承認',
    batchTitle: (action, total, time) => `${action} · ${total} 件 · ${time}`,
    counts: (b) => `${b.total} 件中 ${b.processed} 件処理、成功 ${b.succeeded} 件、失敗 ${b.failed} 件`,
    progressOf: (action) => `「${action}」の進み具合`, retryOf: '以前のバッチの再実行',
    failures: '失敗したタスク', exportCsv: 'CSV 出力', retryFailed: '失敗分を再実行',
    submitted: (action, n) => `「${action}」を ${n} 件のタスクに送信しました。`,
    finished: (action, b) => `「${action}」が終わりました。成功 ${b.succeeded} 件、失敗 ${b.failed} 件。`,
    finishedAway: (action, b) => `「${action}」はページを閉じている間に終わりました。成功 ${b.succeeded} 件、失敗 ${b.failed} 件。`,
    noRetry: '失敗したタスクに未完了のものはありません。',
    close: '閉じる', fields: '項目', actions: 'アクション', noActions: 'このレコードで今実行できるアクションはありません。',
    comments: 'コメント', noComments: 'コメントはまだありません。', older: '以前のコメント', post: 'コメントを投稿', history: 'ステータスの履歴', by: '実行者',
    done: (action, id) => `レコード ${id} で「${action}」を実行しました。`, posted: 'コメントを投稿しました。',
    loading: 'エンジンを読み込んでいます…', ready: '準備完了。', loaded: 'デモデータを読み込みました。', offline: 'オフライン: この端末のデータで動いています。',
    states: STATES.ja,
  },
  zh: {
    pageTitle: '审批 — 批量审批', title: '审批', appName: '费用报销', language: '语言', user: '用户',
    reset: '重置演示数据', resetQuestion: '要重置演示数据吗？所有用户的记录、评论和批次都将恢复到初始状态。',
    resetConfirm: '重置', cancel: '取消', skip: '跳到任务列表',
    myTasks: '我的任务', search: '搜索', filterApp: '应用', filterStatus: '状态', all: '全部', sort: '排序',
    sortNewest: '最新优先', sortOldest: '最早优先', sortAmountDesc: '金额从高到低', sortAmountAsc: '金额从低到高', sortTitle: '标题',
    selectPage: '选择本页所有任务', selectTask: (id) => `选择记录 ${id}`,
    record: '记录', subject: '标题', amount: '金额', applicant: '申请人', assignee: '处理人', date: '日期', status: '状态', check: '校验',
    prev: '上一页', next: '下一页', pageOf: (p, n, total) => `第 ${p} / ${n} 页 · 共 ${total} 个`, pager: '分页',
    actionBar: '对所选任务执行', action: '动作', nextAssignee: '下一处理人', chooseAssignee: '请选择下一处理人', choose: '请选择…', comment: '评论',
    commentHint: '将发布到此动作更改的每条记录', selectSupported: '全选可执行的任务', clear: '取消选择',
    run: (action, n) => `${action}（${n} 个）`, none: '没有待办任务。', noMatch: '没有符合条件的任务。',
    tasks: (n) => `待办任务 ${n} 个`, selected: (n) => `已选 ${n} 个`, supported: '可执行', checking: '校验中…',
    batchLog: '批次记录', noBatches: '还没有批次。', approve: '批准',
    batchTitle: (action, total, time) => `${action} · ${total} 个 · ${time}`,
    counts: (b) => `已处理 ${b.processed} / ${b.total}，成功 ${b.succeeded}，失败 ${b.failed}`,
    progressOf: (action) => `“${action}”的进度`, retryOf: '重试之前的批次',
    failures: '失败的任务', exportCsv: '导出 CSV', retryFailed: '重试失败项',
    submitted: (action, n) => `已对 ${n} 个任务提交“${action}”。`,
    finished: (action, b) => `“${action}”已完成：成功 ${b.succeeded} 个，失败 ${b.failed} 个。`,
    finishedAway: (action, b) => `“${action}”在页面关闭期间已完成：成功 ${b.succeeded} 个，失败 ${b.failed} 个。`,
    noRetry: '失败的任务中没有仍未完成的任务。',
    close: '关闭', fields: '字段', actions: '动作', noActions: '您现在无法对此记录执行任何动作。',
    comments: '评论', noComments: '还没有评论。', older: '更早的评论', post: '发表评论', history: '状态历史', by: '操作人',
    done: (action, id) => `已对记录 ${id} 执行“${action}”。`, posted: '评论已发表。',
    loading: '正在加载引擎…', ready: '就绪。', loaded: '已加载演示数据。', offline: '离线：正在使用本设备上的数据。',
    states: STATES.zh,
  },
};

export const LANGS = /** @type {Lang[]} */ (['en', 'ja', 'zh']);

/** @param {string|null|undefined} s @returns {Lang} */
export function asLang(s) {
  return s === 'ja' || s === 'zh' ? s : 'en';
}

/**
 * The words of one language.
 * @param {Lang} lang
 */
export function words(lang) {
  /** @param {string} key @param {...any} args @returns {string} */
  const t = (key, ...args) => {
    const v = STRINGS[lang][key] ?? STRINGS.en[key];
    return typeof v === 'function' ? v(...args) : v;
  };
  const numbers = new Intl.NumberFormat(lang);
  const dates = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric' });
  const times = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    t,
    /** @param {string} state */
    state: (state) => STRINGS[lang].states[state] ?? state,
    /** @param {string|number} n */
    number: (n) => (n === '' || n === null || n === undefined || Number.isNaN(Number(n)) ? String(n ?? '') : numbers.format(Number(n))),
    /** A DATE value (YYYY-MM-DD), shown as that calendar day. @param {string} d */
    date: (d) => (d ? dates.format(new Date(`${d}T00:00:00Z`)).toString() : ''),
    /** An ISO time, in the browser's time zone. @param {string} iso */
    time: (iso) => (iso ? times.format(new Date(iso)) : ''),
  };
}

/** Puts `t(key)` into every element with data-i18n="key" under `root`. @param {ParentNode} root @param {(key: string) => string} t */
export function translate(root, t) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(/** @type {string} */ (el.getAttribute('data-i18n')));
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(/** @type {string} */ (el.getAttribute('data-i18n-label'))));
}
