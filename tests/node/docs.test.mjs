// The docs run as written. Every fenced block in README.md and docs/*.md whose info string says
// `runnable` is extracted and run, in order, one test per block:
//   ```js runnable      an ES module in Node, in this checkout (so `import ... from 'ringi'` is the
//                       package itself, and examples/ paths hold)
//   ```sh runnable      bash -euo pipefail in this checkout, node_modules/.bin on the PATH
//   ... project         (either) in a new project that installed the packed package instead
//   ... serve=FILE      first starts a fresh `ringi serve --workspace FILE`; later blocks of the
//                       same page talk to it too. `localhost:8787` in a block is that server.
// Lines `# => JSON` (sh) and `// => values` (js) say what the block prints: the n-th such line
// must match the n-th JSON object or array line printed (sh) or console.log call (js); objects match when every
// key shown matches ("..." matches anything), so a doc may leave out ids and timestamps.
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startServer, killAll, root, skipWithoutEngine as skip } from './helpers/serve-process.mjs';
import { installPacked } from '../package/packed.mjs';

const run = promisify(execFile);
const pages = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const scratch = mkdtempSync(path.join(tmpdir(), 'ringi-docs-'));
let project;
after(() => {
  killAll();
  project?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** @returns {{info: string[], code: string, line: number}[]} the runnable blocks of a page */
function runnableBlocks(markdown) {
  const blocks = [];
  const re = /^```([^\n]*)\n([\s\S]*?)^```\s*$/gm;
  for (let m; (m = re.exec(markdown));) {
    const info = m[1].trim().split(/\s+/);
    if (info.includes('runnable')) blocks.push({ info, code: m[2], line: markdown.slice(0, m.index).split('\n').length });
  }
  return blocks;
}

/** Does `actual` hold what `expected` shows? */
function matches(actual, expected) {
  if (expected === '...') return true;
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e));
  if (expected && typeof expected === 'object') return !!actual && typeof actual === 'object' && Object.keys(expected).every((k) => matches(actual[k], expected[k]));
  return Object.is(actual, expected);
}

const CONSOLE_AS_JSON = 'console.log = (...args) => process.stdout.write(`\\u0000${JSON.stringify(args)}\\n`);\n';

for (const page of pages) {
  const blocks = runnableBlocks(readFileSync(path.join(root, page), 'utf8'));
  let server = null;
  for (const [i, block] of blocks.entries()) {
    const lang = block.info[0];
    test(`${page}:${block.line} (${lang} block ${i + 1}) runs as written`, { skip }, async () => {
      const serveFile = block.info.find((x) => x.startsWith('serve='))?.slice(6);
      if (serveFile) {
        server?.proc.kill('SIGKILL');
        server = await startServer(['--workspace', path.join(root, serveFile)]);
      }
      const code = server ? block.code.replaceAll(/(localhost|127\.0\.0\.1):8787/g, `localhost:${server.port}`) : block.code;
      if (block.info.includes('project')) project ??= installPacked();
      const cwd = block.info.includes('project') ? project.dir : root;
      const env = { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}:${process.env.PATH}` };
      let out;
      if (lang === 'js') {
        const file = path.join(cwd, `.doc-block-${process.pid}-${i}.mjs`);
        writeFileSync(file, CONSOLE_AS_JSON + code);
        try {
          out = await run(process.execPath, [file], { cwd, env, timeout: 60000 });
        } finally {
          rmSync(file, { force: true });
        }
        const printed = out.stdout.split('\n').filter((l) => l.startsWith('\u0000')).map((l) => JSON.parse(l.slice(1)));
        const shown = [...code.matchAll(/\/\/ => (.*)$/gm)].map((m) => Function(`return [${m[1]}]`)());
        for (const [n, want] of shown.entries()) assert.ok(matches(printed[n], want), `console.log #${n + 1}: ${JSON.stringify(printed[n])} is not ${JSON.stringify(want)}`);
      } else if (lang === 'sh') {
        const file = path.join(scratch, `block-${i}.sh`);
        writeFileSync(file, `set -euo pipefail\n${code}`);
        out = await run('bash', [file], { cwd, env, timeout: 120000 });
        const printed = out.stdout.split('\n').filter((l) => /^[[{]/.test(l)).flatMap((l) => { try { return [JSON.parse(l)]; } catch { return []; } });
        const shown = [...code.matchAll(/^# => (.*)$/gm)].map((m) => JSON.parse(m[1]));
        for (const [n, want] of shown.entries()) assert.ok(matches(printed[n], want), `JSON line #${n + 1}: ${JSON.stringify(printed[n])} is not ${JSON.stringify(want)}`);
      } else {
        assert.fail(`${page}:${block.line}: no way to run a "${lang}" block`);
      }
    });
  }
}

test('the docs have runnable blocks for every reader: facade, HTTP, CI and plugin authors', () => {
  const all = pages.flatMap((p) => runnableBlocks(readFileSync(path.join(root, p), 'utf8')).map((b) => b.info.join(' ')));
  assert.ok(all.some((i) => i.startsWith('js runnable') && !i.includes('serve=')), 'a facade example');
  assert.ok(all.some((i) => i.startsWith('sh runnable') && i.includes('serve=')), 'a curl example');
  assert.ok(all.some((i) => i.includes('project')), 'a bundling example');
});
