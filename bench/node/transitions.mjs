#!/usr/bin/env node
// The wasm_vs_native workload, wasm side (bench/README.md "wasm_vs_native"):
//   node bench/node/transitions.mjs <workspace.json> <requests.ndjson> [runs=5] [dist=dist]
// Loads dist/ringi-engine.wasm in Node 20 (dist/engine-loader.js), then per run: ringiLoad(workspace)
// (untimed), and times ringiCall(line) over every line of the requests file, in order, exactly as
// the native BM_ApiStatusTransitions does with Service::handleJson. The reply strings are not
// parsed (the native side does not parse them either); statuses are checked after the clock stops.
// Prints one JSON object: {runs: [{ms, transitions, failures, transitions_per_s}], heap_bytes}.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [wsPath, reqPath, runsArg = '5', distArg = 'dist'] = process.argv.slice(2);
const dist = path.resolve(distArg);
const { loadEngine } = await import(pathToFileURL(path.join(dist, 'engine-loader.js')).href);
const engine = await loadEngine({ engineUrl: pathToFileURL(path.join(dist, 'ringi-engine.js')).href });
const workspace = readFileSync(wsPath, 'utf8');
const requests = readFileSync(reqPath, 'utf8').split('\n').filter(Boolean);
const out = { runs: [] };
for (let run = 0; run < Number(runsArg); run++) {
  const loaded = JSON.parse(engine.ringiLoad(workspace));
  if (loaded.status !== 200) throw new Error(`workspace did not load: ${JSON.stringify(loaded.body)}`);
  const replies = new Array(requests.length);
  const t0 = performance.now();
  for (let i = 0; i < requests.length; i++) replies[i] = engine.ringiCall(requests[i]);
  const ms = performance.now() - t0;
  let failures = 0;
  for (const r of replies) if (!r.startsWith('{"status":200,')) failures++;
  out.runs.push({ ms, transitions: requests.length, failures, transitions_per_s: requests.length / (ms / 1000) });
}
out.heap_bytes = engine.HEAP8?.buffer?.byteLength ?? null;
console.log(JSON.stringify(out));
