#!/usr/bin/env node
// The README's screenshots of the demo (docs/screenshots/), taken in Debian's chromium at 1280 and
// 390 px: the workbench with a selection, its batch log, and the record dialog. Needs dist/
// (`npm run build`) and, for Japanese and Chinese text, Debian's fonts-noto-cjk.
//   node scripts/screenshots.mjs
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setup } from '../tests/browser/helpers.mjs';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const env = await setup();
try {
  for (const [width, height, lang] of [[1280, 860, 'en'], [390, 844, 'ja']]) {
    const page = await env.page(`/?db=shots-${width}`);
    await page.setViewportSize({ width, height });
    await page.evaluate((l) => { localStorage.setItem('ringi-demo-user', 'sato'); localStorage.setItem('ringi-demo-lang', l); }, lang);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
    await page.waitForFunction(() => [...document.querySelectorAll('#tasks tbody td:last-child')].every((td) => td.textContent && !/…/.test(td.textContent)));
    // A finished batch with one failure in the log, then a new selection with its next assignee.
    const boxes = page.locator('#tasks tbody input[type=checkbox]');
    await boxes.nth(0).click();
    await boxes.nth(4).click({ modifiers: ['Shift'] });
    await page.selectOption('#assignee', 'wang');
    await page.fill('#comment', lang === 'ja' ? '確認しました' : 'Receipts checked');
    await page.click('#submit');
    await page.waitForFunction(() => /completed/.test(document.querySelector('#batches li')?.dataset.state ?? ''));
    await page.waitForFunction(() => !document.querySelector('#tasks tbody').textContent.includes('…'));
    await boxes.nth(1).click();
    await boxes.nth(3).click({ modifiers: ['Shift'] });
    await page.selectOption('#assignee', 'tanaka');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(out, `workbench-${width}.png`) });
    await page.evaluate(() => document.getElementById('log-heading').scrollIntoView());
    await page.screenshot({ path: path.join(out, `batch-log-${width}.png`) });
    await page.locator('#batches a.record').first().click();
    await page.waitForSelector('#record-dialog[open]');
    await page.waitForFunction(() => document.querySelectorAll('#record-history li').length > 0);
    await page.screenshot({ path: path.join(out, `record-${width}.png`) });
    await page.close();
  }
} finally {
  await env.close();
}
console.log(`screenshots in ${out}`);
