// The package as a user gets it: `npm pack` of this checkout, installed from the tarball into a
// new project in a temporary folder (offline: Ringi has no runtime dependencies). Shared by the
// package tests in Node (tests/node/package.test.mjs) and in Chromium (tests/browser/package.test.mjs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const built = existsSync(path.join(ROOT, 'dist', 'ringi-engine.wasm'));
const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Packs and installs; `dependencies` are the project's own (from this checkout's node_modules,
 * linked). @returns {{dir: string, files: string[], tarball: string, cleanup: () => void}}
 */
export function installPacked() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ringi-user-'));
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], ROOT));
  const tarball = path.join(dir, packed.filename);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'my-customization', private: true, type: 'module' }));
  npm(['install', '--offline', tarball], dir);
  return { dir, tarball, files: packed.files.map((f) => f.path), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A tool of this checkout's devDependencies, run in `cwd`. */
export function tool(name, args, cwd) {
  return execFileSync(path.join(ROOT, 'node_modules', '.bin', name), args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
