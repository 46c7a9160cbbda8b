// @ts-check
/**
 * The demo's sample workspace (DESIGN §2 format): one expense-approval app
 * (経費精算) with a two-step approval and several hundred records waiting for sato (ja), li (zh),
 * smith (en) and, one step later, for a manager each.
 *
 *   下書き (the applicant) --申請する--> 承認待ち (ANY: sato, li, smith)
 *   承認待ち --承認する [金額 < 100000]--> 部長承認 (ONE of the managers: the approver chooses)
 *   承認待ち --差し戻す--> 下書き        承認待ち --却下する--> 却下
 *   部長承認 --承認する--> 完了          部長承認 --差し戻す--> 下書き
 * Batch approval: 承認待ち → 承認する, 部長承認 → 承認する. Records of 100,000 or more cannot be
 * approved (the action's condition), so the check reports them; send back and reject still work.
 */

const user = (code) => ({ entity: { type: 'USER', code }, includeSubs: false });

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32); the tests use it too. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TITLES = {
  ja: ['大阪出張 交通費', '顧客訪問 タクシー代', '研修 宿泊費', '展示会 備品購入', '懇親会 会議費'],
  zh: ['上海出差 交通费', '客户拜访 出租车费', '培训 住宿费', '展会 物品采购', '团队聚餐 会议费'],
  en: ['Trip to Osaka – train', 'Client visit – taxi', 'Training – hotel', 'Trade fair – supplies', 'Team dinner – <b>meeting</b> & co'],
};

/**
 * @param {{perUser?: number, managerRecords?: number, doneRecords?: number, seed?: number}} [o]
 */
export function makeDemoWorkspace(o = {}) {
  const perUser = o.perUser ?? 150;
  const managerRecords = o.managerRecords ?? 60;
  const doneRecords = o.doneRecords ?? 20;
  const rand = rng(o.seed ?? 20240501);
  const users = [
    { code: 'sato', name: '佐藤 一郎', locale: 'ja' },
    { code: 'li', name: '李 娜', locale: 'zh' },
    { code: 'smith', name: 'John Smith', locale: 'en' },
    { code: 'tanaka', name: '田中 部長', locale: 'ja' },
    { code: 'wang', name: '王 经理', locale: 'zh' },
    { code: 'jones', name: 'Mary Jones', locale: 'en' },
    { code: 'kato', name: '加藤 花子', locale: 'ja' },
  ];
  const fields = {
    件名: { type: 'SINGLE_LINE_TEXT', code: '件名', label: '件名' },
    金額: { type: 'NUMBER', code: '金額', label: '金額' },
    種別: { type: 'DROP_DOWN', code: '種別', label: '種別', options: { 交通費: { label: '交通費', index: '0' }, 宿泊費: { label: '宿泊費', index: '1' }, 会議費: { label: '会議費', index: '2' }, 備品: { label: '備品', index: '3' } } },
    申請日: { type: 'DATE', code: '申請日', label: '申請日' },
    ステータス: { type: 'STATUS', code: 'ステータス', label: 'ステータス', enabled: true },
    作業者: { type: 'STATUS_ASSIGNEE', code: '作業者', label: '作業者', enabled: true },
    作成者: { type: 'CREATOR', code: '作成者', label: '作成者' },
  };
  const status = {
    enable: true,
    states: {
      下書き: { name: '下書き', index: '0', assignee: { type: 'ONE', entities: [{ entity: { type: 'FIELD_ENTITY', code: '作成者' }, includeSubs: false }] } },
      承認待ち: { name: '承認待ち', index: '1', assignee: { type: 'ANY', entities: [user('sato'), user('li'), user('smith')] } },
      部長承認: { name: '部長承認', index: '2', assignee: { type: 'ONE', entities: [{ entity: { type: 'GROUP', code: 'managers' }, includeSubs: false }] } },
      完了: { name: '完了', index: '3', assignee: { type: 'ONE', entities: [] } },
      却下: { name: '却下', index: '4', assignee: { type: 'ONE', entities: [] } },
    },
    actions: [
      { name: '申請する', from: '下書き', to: '承認待ち', filterCond: '', type: 'PRIMARY' },
      { name: '承認する', from: '承認待ち', to: '部長承認', filterCond: '金額 < 100000', type: 'PRIMARY' },
      { name: '差し戻す', from: '承認待ち', to: '下書き', filterCond: '', type: 'PRIMARY' },
      { name: '却下する', from: '承認待ち', to: '却下', filterCond: '', type: 'PRIMARY' },
      { name: '承認する', from: '部長承認', to: '完了', filterCond: '', type: 'PRIMARY' },
      { name: '差し戻す', from: '部長承認', to: '下書き', filterCond: '', type: 'PRIMARY' },
    ],
    revision: '1',
  };
  const kinds = ['交通費', '宿泊費', '会議費', '備品'];
  const applicants = ['kato', 'sato', 'li', 'smith'];
  /** @type {any[]} */
  const records = [];
  let id = 1;
  const rec = (state, assignees, locale) => {
    const t = TITLES[locale];
    const big = rand() < 0.1;
    const amount = big ? 100000 + Math.floor(rand() * 400) * 1000 : 1000 + Math.floor(rand() * 90) * 1000;
    const creator = applicants[Math.floor(rand() * applicants.length)];
    const day = new Date(Date.UTC(2026, 10, 1) + Math.floor(rand() * 36) * 86400000).toISOString().slice(0, 10);
    records.push({
      $id: { value: String(id) },
      $revision: { value: '3' },
      件名: { value: `${t[id % t.length]} #${id}` },
      金額: { value: String(amount) },
      種別: { value: kinds[id % kinds.length] },
      申請日: { value: day },
      ステータス: { value: state },
      作業者: { value: assignees.map((code) => ({ code })) },
      作成者: { value: { code: creator } },
    });
    id++;
  };
  for (let i = 0; i < perUser; i++) {
    rec('承認待ち', ['sato'], 'ja');
    rec('承認待ち', ['li'], 'zh');
    rec('承認待ち', ['smith'], 'en');
  }
  const managers = ['tanaka', 'wang', 'jones'];
  for (let i = 0; i < managerRecords; i++) rec('部長承認', [managers[i % 3]], ['ja', 'zh', 'en'][i % 3]);
  for (let i = 0; i < doneRecords; i++) rec('完了', [], ['ja', 'zh', 'en'][i % 3]);
  return {
    users,
    organizations: [{ code: 'hq', name: 'Head office', parent: null, members: ['sato', 'li', 'smith', 'kato'] }],
    groups: [{ code: 'managers', name: 'Managers', members: ['tanaka', 'wang', 'jones'] }],
    apps: [{
      app: 1,
      name: '経費精算',
      locale: 'ja',
      fields,
      status,
      batch_approval: { enabled: true, actions: { 承認待ち: '承認する', 部長承認: '承認する' } },
      records,
    }],
  };
}
