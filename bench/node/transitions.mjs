#!/usr/bin/env node
// The wasm_vs_native workload, wasm side (bench/README.md "wasm_vs_native"):
//   node bench/node/transitions.mjs <workspace.json> <requests.ndjson> [runs=5] [dist=dist] [replies=string]
// Loads dist/ringi-engine.wasm in Node 20 (loadEngine from dist/worker.js), then per run: ringiLoad(workspace)
// (untimed), and times ringiCall(line) over every line of the requests file, in order, exactly as
// the native BM_ApiStatusTransitions does with Service::handleJson. The reply strings are not
// parsed (the native side does not parse them either); each one's status is checked in the loop.
// replies=bytes: the same calls, but each reply is checked where wasm wrote it (its UTF-8 bytes, as
// the native side checks its std::string) instead of first being decoded into a JS string: what
// the module itself costs, without the crossing into JS strings.
// Prints one JSON object: {runs: [{ms, transitions, failures, transitions_per_s}], warmup, heap_bytes}.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [wsPath, reqPath, runsArg = '5', distArg = 'dist', replies = 'string'] = process.argv.slice(2);
const dist = path.resolve(distArg);
const { loadEngine } = await import(pathToFileURL(path.join(dist, 'worker.js')).href);
const engine = await loadEngine({ engineUrl: pathToFileURL(path.join(dist, 'ringi-engine.js')).href });
const workspace = readFileSync(wsPath, 'utf8');
const requests = readFileSync(reqPath, 'utf8').split('\n').filter(Boolean);
const OK = new TextEncoder().encode('{"status":200,');
const toUtf8 = new TextEncoder();
let buffer = new Uint8Array(0);
const { ringiReplySlot, ringiRequestBuffer, ringiCall } = engine.bindings;  // the convention, raw
const slot = ringiReplySlot() >>> 2;  // [address, length] of the last reply
/** @param {string} request */
function succeeded(request) {
  if (replies !== 'bytes') return engine.ringiCall(request).startsWith('{"status":200,');
  if (buffer.byteLength < request.length * 3) buffer = ringiRequestBuffer(Math.max(request.length * 3, 4096));
  ringiCall(toUtf8.encodeInto(request, buffer).written);
  const at = engine.HEAPU32[slot], bytes = engine.HEAPU8;
  for (let k = 0; k < OK.length; k++) if (bytes[at + k] !== OK[k]) return false;
  return true;
}
// One untimed pass first, as the native side does: V8 starts wasm on its baseline compiler and
// moves hot functions to the optimising one while they run, so a cold pass measures the JIT.
const out = { runs: [], warmup: null };
for (let run = -1; run < Number(runsArg); run++) {
  const loaded = JSON.parse(engine.ringiLoad(workspace));
  buffer = new Uint8Array(0);  // a load takes the request buffer over: ask for it again
  if (loaded.status !== 200) throw new Error(`workspace did not load: ${JSON.stringify(loaded.body)}`);
  // Each reply is checked and dropped in the loop, as the native side checks and drops each
  // Response: keeping all 20,000 (~100 MB of two-byte strings) made V8's GC a third of the time.
  let failures = 0;
  const t0 = performance.now();
  for (let i = 0; i < requests.length; i++) {
    if (!succeeded(requests[i])) failures++;
  }
  const ms = performance.now() - t0;
  const result = { ms, transitions: requests.length, failures, transitions_per_s: requests.length / (ms / 1000) };
  if (run < 0) out.warmup = result;
  else out.runs.push(result);
}
out.heap_bytes = engine.HEAP8?.buffer?.byteLength ?? null;
console.log(JSON.stringify(out));
