// Cost of one track() call: disabled, and enabled against a destination that swallows batches —
// both what the caller pays (the event is built on the next turn) and the whole cost of an event
// (call, build, serialise, queue) in a synchronous loop. Run after `npm run build`:
// node bench/track-cost.bench.mjs
import { createAnalytics } from '../dist/lib/index.js';
import { machine, markdownTable, nsPerCall } from './bench-utils.mjs';
import { offer } from './lib/workload.mjs';

const sink = { send: async () => ({}) };
const properties = { method: 'GET', path: '/api/products/42', route: '/api/products/:id', status_code: 200, duration_ms: 3.2 };

const disabled = createAnalytics({ enabled: false }, { logger: false });
const enabled = createAnalytics(
  { destination: sink, batchSize: 500, maxQueueSize: 10_000_000, maxQueueBytes: 8 * 1024 ** 3 },
  { logger: false },
);
const track = () => enabled.track('API Call', properties);

const callRuns = [];
for (let r = 0; r < 7; r++) {
  callRuns.push((await offer(50_000, 100, track)).nsPerCall);
  await enabled.flush();
}
callRuns.sort((a, b) => a - b);

const rows = [
  ['noop function call', nsPerCall(() => undefined)],
  ['track(), enabled: false', nsPerCall(() => disabled.track('API Call', properties))],
  ['track(), enabled: the call (bursts of 100 per turn, median burst)', callRuns[3]],
  ['track(), enabled: call + build + serialise + queue (synchronous loop)', nsPerCall(track, { iterations: 50_000 })],
].map(([name, ns]) => [name, ns.toFixed(1)]);

console.log(`\n### track() cost (${machine()})\n`);
console.log(markdownTable(['case', 'ns per call (median of 7 runs)'], rows));
await enabled.shutdown();
