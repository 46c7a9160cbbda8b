// A moved or copied checkout builds again: a build tree whose CMake cache names another source
// folder is removed before CMake configures it (scripts/lib.sh ringi_build_dir_for_here), and one
// configured for this folder is kept.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const lib = fileURLToPath(new URL('../../scripts/lib.sh', import.meta.url));

function tree(root, name, home) {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'CMakeCache.txt'), `# cache\nCMAKE_HOME_DIRECTORY:INTERNAL=${home}\n`);
  writeFileSync(path.join(dir, 'object.o'), 'x');
  return dir;
}

test('a build tree configured for another folder is removed; one for this folder is kept', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ringi-moved-'));
  try {
    const here = tree(root, 'build-here', root);
    const moved = tree(root, 'build-moved', '/somewhere/else/ringi');
    const r = spawnSync('bash', ['-c', `source "${lib}"; cd "${root}"; ringi_build_dir_for_here build-here; ringi_build_dir_for_here build-moved; ringi_build_dir_for_here build-absent`],
      { encoding: 'utf8', env: { ...process.env, RINGI_ROOT: root } });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(path.join(here, 'object.o')), 'the tree for this folder is kept');
    assert.ok(!existsSync(moved), 'the tree for another folder is removed');
    assert.match(r.stderr, /build-moved\/ was configured for \/somewhere\/else\/ringi/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
