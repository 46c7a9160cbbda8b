// The demo page: tasks, Check, Submit, live progress, a record with its history, values escaped,
// and a reload shows everything as it was.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, waitFor } from './helpers.mjs';

let env;
before(async () => { env = await setup(); });
after(() => env?.close());

test('demo: check, submit, progress, record history, escaping, persistence', async () => {
  const page = await env.page('/?db=demo-test');
  await page.evaluate(() => { localStorage.setItem('ringi-demo-user', 'smith'); localStorage.setItem('ringi-demo-lang', 'ja'); });
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  assert.equal(await page.textContent('[data-i18n="check"]'), 'チェック');
  const before = await page.locator('#tasks tbody tr').count();
  assert.equal(before, 150);
  // A title with markup is shown as text, not parsed.
  assert.equal(await page.locator('#tasks tbody b').count(), 0);
  assert.ok((await page.locator('#tasks tbody').textContent()).includes('<b>meeting</b>'));
  await page.click('#check');
  await page.waitForFunction(() => [...document.querySelectorAll('#tasks tbody tr td:last-child')].every((td) => td.textContent !== ''));
  const ng = await page.locator('#tasks tbody td.ng').count();
  assert.ok(ng > 0 && ng < 150, `unsupported: ${ng}`);
  await page.check('#select-all');
  await page.click('#submit');
  await page.waitForFunction(() => /completed/.test(document.querySelector('#progress-box').dataset.states ?? ''), null, { timeout: 60000 });
  assert.match(await page.textContent('#progress-text'), /（(完了|一部失敗)）/);  // the state in the page's language
  await waitFor(async () => (await page.locator('#tasks tbody tr').count()) === ng);
  // A record and its status history.
  await page.locator('#tasks tbody a.record').first().click();
  await page.waitForSelector('#record-dialog[open]');
  assert.ok((await page.locator('#record-fields dd').count()) > 3);
  // its status history, read through the engine (GET /batch_approvals/_history)
  await page.waitForFunction(() => document.querySelectorAll('#record-history li').length > 0);
  assert.match(await page.locator('#record-history li').first().textContent(), /承認待ち|部長承認|下書き/);
  await page.keyboard.press('Escape');
  // Reload: still the same state (IndexedDB).
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  assert.equal(await page.locator('#tasks tbody tr').count(), ng);
  assert.equal(await page.inputValue('#user'), 'smith');
  assert.deepEqual(env.errors.filter((e) => !/favicon/.test(e)), []);
  await page.close();
});
