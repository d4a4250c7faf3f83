// Cost of one track() call on the application's path: disabled, and enabled (queued for a
// destination that swallows batches). Run after `npm run build`: node bench/track-cost.bench.mjs
import { createAnalytics } from '../dist/lib/index.js';
import { machine, markdownTable, nsPerCall } from './bench-utils.mjs';

const sink = { send: async () => ({}) };
const properties = { method: 'GET', path: '/api/products/42', route: '/api/products/:id', status_code: 200, duration_ms: 3.2 };

const disabled = createAnalytics({ enabled: false }, { logger: false });
const enabled = createAnalytics(
  { destination: sink, batchSize: 500, maxQueueSize: 10_000_000, maxQueueBytes: 8 * 1024 ** 3 },
  { logger: false },
);

const rows = [
  ['noop function call', nsPerCall(() => undefined)],
  ['track(), enabled: false', nsPerCall(() => disabled.track('API Call', properties))],
  ['track(), enabled (serialise + queue)', nsPerCall(() => enabled.track('API Call', properties), { iterations: 50_000 })],
].map(([name, ns]) => [name, ns.toFixed(1)]);

console.log(`\n### track() cost (${machine()})\n`);
console.log(markdownTable(['case', 'ns per call (median of 7 runs)'], rows));
await enabled.shutdown();
