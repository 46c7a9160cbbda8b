// The Service Worker answers API calls, never navigations: with Ringi's Service Worker controlling
// the whole site, a tab sent to /k/v1/... (a link or a form from another site, a typed URL) goes
// to the network as if no Service Worker were there, while the page's own fetch is answered by
// its engine.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup } from './helpers.mjs';
import { seed003Workspace } from '../fixtures/workspaces.mjs';

let env, host;
before(async () => {
  env = await setup();
  host = await env.page('/tests/browser/pages/sw/');
  await host.evaluate(async (ws) => {
    const { createKintone } = await import('/dist/ringi.js');
    const k = await createKintone({
      user: 'Administrator', worker: true, storage: 'indexeddb', database: 'sw-nav',
      serviceWorker: { url: '/tests/browser/pages/sw/ringi-sw.js', scope: '/' },
    });
    await k.ringi.load(ws);
    k.install();
  }, seed003Workspace());
});
after(() => env?.close());

test('a navigation to an API path is left to the network; the page\'s fetch of it is answered by the engine', async () => {
  const fetched = await host.evaluate(async () => {
    const r = await fetch('/k/v1/record.json?app=1&id=1001');
    return { status: r.status, json: await r.json() };
  });
  assert.equal(fetched.status, 200);
  assert.equal(fetched.json.record.$id.value, '1001');

  const tab = await env.context.newPage();
  const nav = await tab.goto(`${env.server.url}/k/v1/record.json?app=1&id=1001`);
  assert.equal(nav.status(), 404, 'the static test server answered, not the engine');
  assert.equal(await nav.text(), 'not found\n');  // the static server's own answer
  assert.equal(nav.fromServiceWorker(), false);
  // A form posted to the API from a page (as another site's would be) is not answered either.
  await tab.setContent('<form method="post" action="/k/v1/record.json"><input name="app" value="1"></form>');
  const [posted] = await Promise.all([tab.waitForNavigation(), tab.evaluate(() => document.forms[0].submit())]);
  assert.equal(posted.status(), 405, 'the static test server refused it, not the engine');
  assert.equal(posted.fromServiceWorker(), false);
  await tab.close();
  assert.equal((await host.evaluate(() => kintone.api('/k/v1/records', 'GET', { app: 1 }))).records.length, 3, 'nothing was added');
});

test('a page on another origin cannot reach the engine through the Service Worker', async () => {
  const selfOrigin = new URL(env.server.url).origin;
  const otherUrl = env.server.url.replace('127.0.0.1', 'localhost');
  assert.notEqual(new URL(otherUrl).origin, selfOrigin);
  const other = await env.context.newPage();
  await other.goto(`${otherUrl}/tests/browser/pages/harness.html`);
  const tried = await other.evaluate(async (target) => {
    const out = {};
    try {
      const r = await fetch(`${target}/k/v1/record.json?app=1&id=1001`, { headers: { 'x-requested-with': 'XMLHttpRequest' } });
      out.read = `answered ${r.status}`;
    } catch (e) {
      out.read = `refused: ${e.name}`;
    }
    // A write that needs no pre-flight: the browser sends it, and only the network sees it.
    const w = await fetch(`${target}/k/v1/record.json`, { method: 'POST', mode: 'no-cors', body: new Blob([JSON.stringify({ app: 1, record: {} })]) });
    out.write = w.type;
    return out;
  }, selfOrigin);
  assert.equal(tried.read, 'refused: TypeError', 'no engine answer is readable from another origin');
  assert.equal(tried.write, 'opaque');
  await other.close();
  assert.equal((await host.evaluate(() => kintone.api('/k/v1/records', 'GET', { app: 1 }))).records.length, 3, 'nothing was added');
});
