// `ringi serve` (bin/ringi.mjs serve()) with the engine's test seam (src/api/fault_injection.h)
// reachable from the test that spawned it: a line "fault KIND ARG" on stdin arms the current
// engine instance; KIND 2 (a batch task's record) is armed on every new instance too, as a task
// that ends any engine that runs it would. It prints "armed KIND ARG" when done.
//   node serve-with-faults.mjs --port 0 --data DIR [...serve options]
import { serve, parseArgs } from '../../../bin/ringi.mjs';
import { loadEngine } from '../../../web/src/engine/loader.js';

/** @type {[number, number] | null} */
let everyInstance = null;
const s = await serve(parseArgs(['serve', ...process.argv.slice(2)]), {
  loadEngine: async (o) => {
    const engine = await loadEngine(o);
    if (everyInstance) engine._ringi_test_fault(...everyInstance);
    return engine;
  },
});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  for (const line of String(text).split('\n')) {
    const m = /^fault (\d+) (\d+)$/.exec(line.trim());
    if (!m) continue;
    const fault = /** @type {[number, number]} */ ([Number(m[1]), Number(m[2])]);
    if (fault[0] === 2) everyInstance = fault;
    s.host.engine?._ringi_test_fault(...fault);
    console.log(`armed ${fault[0]} ${fault[1]}`);
  }
});
