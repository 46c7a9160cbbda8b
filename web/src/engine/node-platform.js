// @ts-check
/**
 * What the engine loader needs from Node, and only in Node: the wasm bytes read from a file: URL
 * (Node's global fetch cannot load one) and the globals emscripten's Node glue expects (DESIGN §8).
 * Reached through the package's `#ringi-node` import (package.json "imports"): in Node this file,
 * for a browser bundler no-node-platform.js, so a browser bundle never meets a `node:` module.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** @param {string} url a file: URL @returns {Promise<BufferSource>} */
export const readBytes = async (url) => /** @type {Uint8Array<ArrayBuffer>} */ (await readFile(new URL(url)));

/** Before the glue module at `url` is evaluated. @param {string} url */
export function prepareGlue(url) {
  const g = /** @type {any} */ (globalThis);
  if (!g.require) g.require = createRequire(url);
  if (!g.__dirname) g.__dirname = path.dirname(fileURLToPath(url));
}
