#!/usr/bin/env node
// Runs every browser test (node:test files in tests/browser/) against Debian's chromium and
// prints node:test's totals plus a last line "N passed, N failed"; exits non-zero on failure.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(here, f));
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=tap', ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
child.on('close', (code) => {
  const num = (k) => Number((out.match(new RegExp(`^# ${k} (\\d+)`, 'm')) || [])[1] || 0);
  const pass = num('pass');
  const fail = num('fail') + num('cancelled');
  const failed = fail || (code !== 0 ? 1 : 0);
  console.log(`${pass} passed, ${failed} failed`);
  process.exit(code === 0 && fail === 0 ? 0 : 1);
});
