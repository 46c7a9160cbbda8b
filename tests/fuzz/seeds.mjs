// Seed corpora for the libFuzzer harnesses, from the fixtures (tests/fixtures/) and the requests
// the seeds document: node tests/fuzz/seeds.mjs OUT_DIR writes OUT_DIR/<harness>/<n> files.
// (fuzz_rows writes its own seeds: rows only the engine can write; see fuzz_rows.cpp.)
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '..', 'fixtures');
const out = process.argv[2];
if (!out) { console.error('usage: node tests/fuzz/seeds.mjs OUT_DIR'); process.exit(2); }

const J = JSON.stringify;
/** [method, path, body] requests as the docs and seeds make them, against expense_workspace. */
const REQUESTS = [
  ['GET', '/k/v1/record.json?app=1&id=1', ''],
  ['GET', '/k/v1/records.json?app=1&query=金額 > 1000 order by $id desc limit 2&fields[0]=$id', ''],
  ['PUT', '/k/v1/record/status.json', J({ app: 1, id: 1, action: '承認する', revision: 3 })],
  ['PUT', '/k/v1/records/status.json', J({ app: 1, records: [{ id: 1, action: '承認する' }, { id: 2, action: '承認する', revision: 3 }] })],
  ['PUT', '/k/v1/record/assignees.json', J({ app: 1, id: 1, assignees: ['sato'] })],
  ['POST', '/k/v1/record.json', J({ app: 1, record: { 件名: { value: 'x' }, 金額: { value: '5' } } })],
  ['PUT', '/k/v1/record.json', J({ app: 1, id: 3, record: { 金額: { value: '7' } }, revision: 1 })],
  ['DELETE', '/k/v1/records.json?app=1&ids[0]=3', ''],
  ['POST', '/k/v1/bulkRequest.json', J({ requests: [{ method: 'PUT', api: '/k/v1/record/status.json', payload: { app: 1, id: 1, action: '承認する' } }, { method: 'DELETE', api: '/k/v1/records.json', payload: { app: 1, ids: [3] } }] })],
  ['GET', '/k/v1/app/status.json?app=1', ''],
  ['PUT', '/k/v1/preview/app/status.json', J({ app: 1, enable: true, actions: [{ name: '承認する', from: '承認待ち', to: '完了', filterCond: '金額 < 10' }] })],
  ['POST', '/k/v1/preview/app/deploy.json', J({ apps: [{ app: 1 }] })],
  ['GET', '/v1/users.json?codes[0]=sato', ''],
  ['GET', '/batch_approvals/_tasks?user_id=sato', ''],
  ['POST', '/batch_approvals/_check?user_id=sato', J(['0123456789abcdef0123456789abcdef'])],
  ['POST', '/batch_approvals/_submit', J({ task_ids: ['0123456789abcdef0123456789abcdef'] })],
  ['GET', '/batch_approvals/_submit?batch_number=0123456789abcdef0123456789abcdef', ''],
  ['POST', '/batch_approvals/_submit', J({ task_ids: ['0123456789abcdef0123456789abcdef'], action: '承認する', comment: 'OK', assignee: 'sato' })],
  ['POST', '/batch_approvals/_submit', J({ retry_of: '0123456789abcdef0123456789abcdef' })],
  ['GET', '/batch_approvals/_batches?limit=10&offset=0', ''],
  ['POST', '/k/v1/record/comment.json', J({ app: 1, record: 1, comment: { text: 'x', mentions: [{ code: 'sato', type: 'USER' }] } })],
  ['GET', '/k/v1/record/comments.json?app=1&record=1&order=asc&offset=0&limit=10', ''],
  ['DELETE', '/k/v1/record/comment.json', J({ app: 1, record: 1, comment: 1 })],
];

const write = (harness, name, text) => {
  mkdirSync(path.join(out, harness), { recursive: true });
  writeFileSync(path.join(out, harness, name), text);
};
REQUESTS.forEach(([m, p, b], i) => write('fuzz_request', `r${i}`, `${m}\n${p}\n${b}`));
const doc = ([m, p, b], user = 'sato') => J({ user, method: m, path: p, ...(b ? { body: JSON.parse(b) } : {}) });
REQUESTS.forEach((r, i) => write('fuzz_sequence', `one${i}`, doc(r)));
write('fuzz_sequence', 'batch', [doc(REQUESTS[13]), doc(['POST', '/batch_approvals/_submit', J([])]), 'RUN', doc(REQUESTS[1])].join('\n'));
write('fuzz_sequence', 'comments', [doc(REQUESTS[20]), doc(REQUESTS[20], 'li'), doc(REQUESTS[21]), doc(REQUESTS[22], 'li'), doc(REQUESTS[22])].join('\n'));
write('fuzz_sequence', 'token', [J({ user: 'sato', method: 'GET', path: '/k/v1/record.json?app=1&id=1', apiToken: { 1: ['view'] } }), doc(REQUESTS[2], 'li')].join('\n'));
for (const f of readdirSync(fixtures).filter((n) => n.endsWith('.json'))) write('fuzz_json', f, readFileSync(path.join(fixtures, f)));
REQUESTS.filter((r) => r[2]).forEach((r, i) => write('fuzz_json', `body${i}`, r[2]));
['0', '-0.0e+1', '"\\ud83d\\ude00"', '[1e308, -1e-320, 18446744073709551615, -9223372036854775808]', '{"a":1,"a":2}', '"\u00e9\u0000"'].forEach((t, i) => write('fuzz_json', `edge${i}`, t));
