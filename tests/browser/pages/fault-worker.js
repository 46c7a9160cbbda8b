// A module Worker for the browser tests: the engine side of /dist/worker.js, plus the engine's
// test seam (src/api/fault_injection.h). A message {kind, arg} on BroadcastChannel
// 'ringi-test-fault' arms the current engine instance; the worker answers {armed: true}.
import { createEndpoint, readyMessage } from '/dist/worker.js';

const endpoint = createEndpoint((msg) => postMessage(msg));
const channel = new BroadcastChannel('ringi-test-fault');
channel.onmessage = (ev) => {
  endpoint.host?.engine?._ringi_test_fault(ev.data.kind, ev.data.arg);
  channel.postMessage({ armed: true });
};
onmessage = (ev) => endpoint.onMessage(ev.data);
postMessage(readyMessage());
