// The JS error catalogue (web/src/errors.js): every code has its HTTP status and a message in each
// language, the codes the engine also makes read the same as the engine's (src/api/messages.cpp),
// and the Service Worker's inline fallbacks (a classic script cannot import it) match it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HOST_ERRORS, HTTP_ERRORS } from '../../web/src/errors.js';
import { makeError } from '../../web/src/protocol.js';
import { httpError } from '../../web/src/http/handler.js';

const src = (p) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

test('every code has a status and a message in en, ja and zh, and nothing else', () => {
  for (const [table, codes] of [['HOST_ERRORS', HOST_ERRORS], ['HTTP_ERRORS', HTTP_ERRORS]]) {
    for (const [code, e] of Object.entries(codes)) {
      assert.match(code, /^(CB|GAIA|RINGI)_[A-Z]{2}\d{2}$/, `${table}.${code}`);
      assert.deepEqual(Object.keys(e).sort(), ['en', 'ja', 'status', 'zh'], `${table}.${code}`);
      assert.ok(Number.isInteger(e.status) && e.status >= 400 && e.status < 600, `${table}.${code}.status`);
      for (const l of ['en', 'ja', 'zh']) assert.ok(typeof e[l] === 'string' && e[l].trim(), `${table}.${code}.${l}`);
      assert.notEqual(e.ja, e.en, `${table}.${code}: ja is not translated`);
      assert.notEqual(e.zh, e.en, `${table}.${code}: zh is not translated`);
    }
  }
  // A code in both tables is one entry, not two that could drift apart.
  for (const code of Object.keys(HOST_ERRORS)) if (code in HTTP_ERRORS) assert.equal(HOST_ERRORS[code], HTTP_ERRORS[code], code);
});

test('makeError and httpError answer from the catalogue, in the locale asked for', () => {
  const e = makeError('RINGI_EN02', 'ja');
  assert.equal(e.status, 500);
  assert.equal(e.message, HOST_ERRORS.RINGI_EN02.ja);
  const h = httpError('RINGI_HT05', 'zh-CN');
  assert.equal(h.status, 431);
  assert.equal(h.body.message, HTTP_ERRORS.RINGI_HT05.zh);
  assert.equal(makeError('RINGI_WK01').status, httpError('RINGI_WK01').status);
});

test('the codes the engine makes too read the same in both catalogues', () => {
  const cpp = src('src/api/messages.cpp');
  for (const code of ['CB_VA01', 'CB_IJ01', 'CB_AU01']) {
    const m = new RegExp(`\\{"${code}",\\s*(\\d+),\\s*\\{\\s*"([^"]*)",\\s*"([^"]*)",\\s*"([^"]*)"\\}`).exec(cpp);
    assert.ok(m, `${code} in messages.cpp`);
    const js = HOST_ERRORS[code] || HTTP_ERRORS[code];
    assert.deepEqual([js.status, js.en, js.ja, js.zh], [Number(m[1]), m[2], m[3], m[4]], code);
  }
});

test("the Service Worker's inline fallbacks say what the catalogue says", () => {
  const sw = src('web/src/http/service-worker.js');
  for (const code of ['RINGI_WK01', 'RINGI_HT03']) {
    const m = new RegExp(`errorReply\\((\\d+), '${code}', '([^']*)'\\)`).exec(sw);
    assert.ok(m, `${code} in service-worker.js`);
    assert.deepEqual([Number(m[1]), m[2]], [HTTP_ERRORS[code].status, HTTP_ERRORS[code].en], code);
  }
});
