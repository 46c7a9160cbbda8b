// Seed 003 (kintone's record status API) and seed 000 (the batch approval API), written once and
// run over every transport: in-process and `ringi serve` (tests/node/spec.test.mjs), the Web
// Worker and the Service Worker (tests/browser/spec.test.mjs). Each transport gives a scenario
//   api(method, path, body) -> Promise<{ok: boolean, body: any}>
// acting as the scenario's user on a fresh copy of its fixture (tests/fixtures/): `ok` is an HTTP
// status below 400 (kintone.api: resolved), and a failed call's body is kintone's error object
// {code, id, message, errors?}. Messages depend on the transport's locale, so only codes are
// compared; every error must still carry a message.
import assert from 'node:assert/strict';

/** @typedef {(method: string, path: string, body?: any) => Promise<{ok: boolean, body: any}>} Api */

/** A kintone error with `code`, and the rest of its shape. */
function assertError(r, code) {
  assert.equal(r.ok, false, `expected ${code}, got ${JSON.stringify(r.body)}`);
  assert.equal(r.body.code, code, JSON.stringify(r.body));
  assert.equal(typeof r.body.id, 'string');
  assert.ok(typeof r.body.message === 'string' && r.body.message.length > 0, JSON.stringify(r.body));
}

/** The answer of a call that must succeed. */
function okBody(r) {
  assert.equal(r.ok, true, JSON.stringify(r.body));
  return r.body;
}

/** Revisions of seed 003's records 1001-1003, in order. @param {Api} api */
async function seed003Revisions(api) {
  const { records } = okBody(await api('GET', '/k/v1/records.json?app=1&query=order%20by%20%24id%20asc'));
  return records.map((r) => [r.$id.value, r.$revision.value]);
}

/** @type {{name: string, fixture: string, user: string, run: (api: Api) => Promise<void>}[]} */
export const SCENARIOS = [
  {
    name: 'seed 003: one status change answers the new revision, and the record shows it',
    fixture: 'seed003_workspace.json',
    user: 'Administrator',
    async run(api) {
      const r = await api('PUT', '/k/v1/record/status.json', { app: 1, id: 1001, action: '申请', assignee: 'user1' });
      assert.deepEqual(okBody(r), { revision: '3' });
      const { record } = okBody(await api('GET', '/k/v1/record.json?app=1&id=1001'));
      assert.equal(record.状态.value, '审批中');
      assert.equal(record.$revision.value, '3');
      assert.deepEqual(record.处理人.value.map((u) => u.code), ['user1']);
    },
  },
  {
    name: 'seed 003: the bulk example changes three records',
    fixture: 'seed003_workspace.json',
    user: 'Administrator',
    async run(api) {
      const r = await api('PUT', '/k/v1/records/status.json', {
        app: 1,
        records: [
          { id: 1001, action: '申请', assignee: 'user2', revision: 1 },
          { id: 1002, action: '批准' },
          { id: 1003, action: '拒绝', revision: 5 },
        ],
      });
      assert.deepEqual(okBody(r), { records: [{ id: '1001', revision: '3' }, { id: '1002', revision: '9' }, { id: '1003', revision: '7' }] });
      assert.deepEqual(await seed003Revisions(api), [['1001', '3'], ['1002', '9'], ['1003', '7']]);
    },
  },
  {
    name: 'seed 003: a bulk change with one stale revision changes nothing (GAIA_CO02)',
    fixture: 'seed003_workspace.json',
    user: 'Administrator',
    async run(api) {
      const r = await api('PUT', '/k/v1/records/status.json', { app: 1, records: [{ id: 1002, action: '批准' }, { id: 1003, action: '拒绝', revision: 4 }] });
      assertError(r, 'GAIA_CO02');
      assert.deepEqual(await seed003Revisions(api), [['1001', '1'], ['1002', '7'], ['1003', '5']]);
    },
  },
  {
    name: 'seed 003: an action whose next status needs an assignee, without one (GAIA_SA01), changes nothing',
    fixture: 'seed003_workspace.json',
    user: 'Administrator',
    async run(api) {
      assertError(await api('PUT', '/k/v1/record/status.json', { app: 1, id: 1001, action: '申请' }), 'GAIA_SA01');
      assertError(await api('PUT', '/k/v1/record/status.json', { app: 1, id: 9999, action: '申请', assignee: 'user1' }), 'GAIA_RE01');
      assertError(await api('PUT', '/k/v1/record/status.json', { app: 1, id: 1001, action: '承認', assignee: 'user1' }), 'GAIA_IL03');
      assert.deepEqual(await seed003Revisions(api), [['1001', '1'], ['1002', '7'], ['1003', '5']]);
    },
  },
  {
    name: 'seed 000: tasks, check, submit, and progress to completion',
    fixture: 'expense_workspace.json',
    user: 'sato',
    async run(api) {
      const { tasks } = okBody(await api('GET', '/batch_approvals/_tasks?user_id=sato'));
      const byRecord = Object.fromEntries(tasks.map((t) => [t.record_id, t.task_id]));
      assert.deepEqual(Object.keys(byRecord).sort(), ['1', '2']);
      // The seed's own example id names no task; record 2's action fails its filter (金額 < 100000).
      const check = okBody(await api('POST', '/batch_approvals/_check?user_id=sato', [byRecord[1], byRecord[2], 'f787e22d0b87420d8149bda63d708cc8']));
      assert.deepEqual(check.map((c) => c.supported), [true, false, false]);
      assert.ok(check.slice(1).every((c) => typeof c.reason === 'string' && c.reason.length > 0), JSON.stringify(check));
      const { batch_number: bn } = okBody(await api('POST', '/batch_approvals/_submit?user_id=sato', [byRecord[1]]));
      assert.match(bn, /^[0-9a-f]{32}$/);
      let progress;
      for (let i = 0; i < 200; i++) {
        progress = okBody(await api('GET', `/batch_approvals/_submit?user_id=sato&batch_number=${bn}`));
        if (progress.state === 'completed' || progress.state === 'partially_completed') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal(progress.batch_number, bn);
      assert.equal(progress.state, 'completed', JSON.stringify(progress));
      assert.equal(progress.total, 1);
      assert.equal(progress.processed, 1);
      assert.deepEqual(progress.failed_tasks, []);
      const { record } = okBody(await api('GET', '/k/v1/record.json?app=1&id=1'));
      assert.equal(record.ステータス.value, '完了');
      assert.deepEqual(okBody(await api('GET', '/batch_approvals/_tasks?user_id=sato')).tasks.map((t) => t.record_id), ['2']);
    },
  },
  {
    name: 'seed 000: more than 200 task ids, or none, are refused, and nothing is submitted',
    fixture: 'expense_workspace.json',
    user: 'sato',
    async run(api) {
      const ids = Array.from({ length: 201 }, (_, i) => i.toString(16).padStart(32, '0'));
      assertError(await api('POST', '/batch_approvals/_submit?user_id=sato', ids), 'CB_VA01');
      assertError(await api('POST', '/batch_approvals/_check?user_id=sato', ids), 'CB_VA01');
      assertError(await api('POST', '/batch_approvals/_submit?user_id=sato', { task_ids: 'not a list' }), 'CB_VA01');
      assertError(await api('GET', '/batch_approvals/_submit?user_id=sato&batch_number=9dd6622a77a94542af73f9494d76d75b'), 'RINGI_BA01');
      assert.equal(okBody(await api('GET', '/batch_approvals/_tasks?user_id=sato')).tasks.length, 2);
    },
  },
  {
    name: 'seed 000: user_id may only name the caller (CB_NO02), and nothing runs',
    fixture: 'expense_workspace.json',
    user: 'li',
    async run(api) {
      const statuses = async () => okBody(await api('GET', '/k/v1/records.json?app=1&query=order%20by%20%24id%20asc')).records.map((r) => r.ステータス.value);
      const before = await statuses();
      const ids = ['0123456789abcdef0123456789abcdef'];
      assertError(await api('GET', '/batch_approvals/_tasks?user_id=sato'), 'CB_NO02');
      assertError(await api('POST', '/batch_approvals/_check?user_id=sato', ids), 'CB_NO02');
      assertError(await api('POST', '/batch_approvals/_submit?user_id=sato', ids), 'CB_NO02');
      assertError(await api('GET', '/batch_approvals/_submit?user_id=sato&batch_number=9dd6622a77a94542af73f9494d76d75b'), 'CB_NO02');
      assert.deepEqual(await statuses(), before);
      // left out, or naming li, user_id is li: li has no tasks
      assert.deepEqual(okBody(await api('GET', '/batch_approvals/_tasks')).tasks, []);
      assert.deepEqual(okBody(await api('GET', '/batch_approvals/_tasks?user_id=li')).tasks, []);
    },
  },
  {
    name: 'workbench: send back with a comment and approve with the next assignee; bad orders change nothing',
    fixture: 'workbench_workspace.json',
    user: 'sato',
    async run(api) {
      const { tasks } = okBody(await api('GET', '/batch_approvals/_tasks'));
      const byRecord = Object.fromEntries(tasks.map((t) => [t.record_id, t.task_id]));
      assert.deepEqual(tasks[0].actions, ['承認する', '差し戻す', '却下する']);
      const revisions = async () => okBody(await api('GET', '/k/v1/records.json?app=1&query=order%20by%20%24id%20asc')).records.map((r) => r.$revision.value);
      const before = await revisions();
      // Each refused before anything runs: an unknown key, a wrong type, an action the app lacks,
      // an assignee who is no choice of the next status.
      for (const bad of [
        { task_ids: [byRecord[1]], actoin: '差し戻す' },
        { task_ids: [byRecord[1]], comment: ['x'] },
        { task_ids: [byRecord[1]], action: 'Approve' },
        { task_ids: [byRecord[1]], assignee: 'smith' },
      ]) {
        assertError(await api('POST', '/batch_approvals/_check', bad), 'CB_VA01');
        assertError(await api('POST', '/batch_approvals/_submit', bad), 'CB_VA01');
      }
      assert.equal(okBody(await api('GET', '/batch_approvals/_batches')).total_count, 0);
      assert.deepEqual(await revisions(), before);

      const finished = async (bn) => {
        for (let i = 0; i < 300; i++) {
          const p = okBody(await api('GET', `/batch_approvals/_submit?batch_number=${bn}`));
          if (p.state === 'completed' || p.state === 'partially_completed') return p;
          await new Promise((r) => setTimeout(r, 10));
        }
        throw new Error(`batch ${bn} did not finish`);
      };
      const back = okBody(await api('POST', '/batch_approvals/_submit', { task_ids: [byRecord[1], byRecord[2]], action: '差し戻す', comment: '再提出してください' }));
      assert.equal((await finished(back.batch_number)).succeeded, 2);
      const check = okBody(await api('POST', '/batch_approvals/_check', [byRecord[3]]));
      assert.deepEqual([check[0].reason_code, check[0].assignees], ['assignee_required', ['tanaka', 'suzuki']]);
      const approve = okBody(await api('POST', '/batch_approvals/_submit', { task_ids: [byRecord[3]], assignee: 'tanaka' }));
      const done = await finished(approve.batch_number);
      assert.deepEqual(done.items.map((i) => [i.record_id, i.result]), [['3', 'succeeded']]);
      for (const id of [1, 2]) {
        const { comments } = okBody(await api('GET', `/k/v1/record/comments.json?app=1&record=${id}`));
        assert.deepEqual(comments.map((c) => [c.text, c.creator.code]), [['再提出してください', 'sato']]);
      }
      const { record } = okBody(await api('GET', '/k/v1/record.json?app=1&id=3'));
      assert.deepEqual([record.ステータス.value, record.作業者.value.map((u) => u.code)], ['部長承認待ち', ['tanaka']]);
      assert.deepEqual(okBody(await api('GET', '/batch_approvals/_batches')).batches.map((b) => b.action), [null, '差し戻す']);
    },
  },
];
