// Cost of a `@TrackEvent` method call next to the same method undecorated and next to a
// hand-written wrapper doing the same work through `analytics.track` — side by side in one
// process, the variants interleaved within each run, median of the runs. The analytics instance
// delivers to the memory transport; delivery happens between timed loops, never inside one.
// Run after `npm run build`:   node bench/decorators.bench.mjs   (BENCH_CALLS, BENCH_RUNS override)
import { bindTracking, createAnalytics, MemoryTransport, TrackEvent } from '../dist/lib/index.js';
import { machine, markdownTable } from './bench-utils.mjs';

const CALLS = Number(process.env.BENCH_CALLS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const transport = new MemoryTransport();
const analytics = createAnalytics(
  { destination: transport, batchSize: 100_000, batchTimeout: 60_000, maxQueueSize: 100_000 },
  { logger: false },
);

/** The method under test: a little arithmetic, so the call itself is measurable but not dominant. */
class Pricing {
  quote(units) {
    let total = 0;
    for (let i = 0; i < 8; i++) total += (units * 31 + i) % 97;
    return total;
  }
}

class TrackedPricing extends Pricing {}
// What TypeScript emits for `@TrackEvent('Quote Computed')` on `quote` (an .mjs file has no decorator syntax).
const descriptor = { ...Object.getOwnPropertyDescriptor(Pricing.prototype, 'quote') };
TrackEvent('Quote Computed')(TrackedPricing.prototype, 'quote', descriptor);
Object.defineProperty(TrackedPricing.prototype, 'quote', descriptor);

/** What a user would write by hand to record the same event. */
class HandWrittenPricing extends Pricing {
  constructor(analytics) {
    super();
    this.analytics = analytics;
  }

  quote(units) {
    const started = performance.now();
    try {
      const result = super.quote(units);
      this.analytics.track('Quote Computed', { duration_ms: performance.now() - started, success: true });
      return result;
    } catch (error) {
      this.analytics.track('Quote Computed', { duration_ms: performance.now() - started, success: false });
      throw error;
    }
  }
}

const variants = [
  { name: 'undecorated method', target: new Pricing(), events: 0 },
  { name: '@TrackEvent, instance not bound (outside Nest)', target: new TrackedPricing(), events: 0 },
  { name: '@TrackEvent, bound to analytics (memory transport)', target: bindTracking(new TrackedPricing(), analytics), events: 1 },
  { name: 'hand-written wrapper calling analytics.track', target: new HandWrittenPricing(analytics), events: 1 },
];

let sink = 0;
function timeLoop(target) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) sink += target.quote(i);
  return Number(process.hrtime.bigint() - start) / CALLS;
}

/** Delivers and forgets what a loop recorded, so every timed loop starts from an empty queue. */
async function drain(expected) {
  await analytics.flush();
  const delivered = transport.events().length;
  transport.clear();
  if (delivered !== expected) throw new Error(`expected ${expected} events delivered, got ${delivered}`);
}

for (const v of variants) {
  timeLoop(v.target);
  await drain(v.events * CALLS);
}
const samples = variants.map(() => []);
for (let run = 0; run < RUNS; run++) {
  for (const [i, v] of variants.entries()) {
    samples[i].push(timeLoop(v.target));
    await drain(v.events * CALLS);
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const medians = samples.map(median);
const rows = variants.map((v, i) => [v.name, medians[i].toFixed(1), (medians[i] - medians[0]).toFixed(1)]);

console.log(`\n### @TrackEvent cost per call (${machine()})\n`);
console.log(`${CALLS.toLocaleString('en-US')} calls per loop, median of ${RUNS} runs, variants interleaved; checksum ${sink % 1000}\n`);
console.log(markdownTable(['case', 'ns per call', 'ns over undecorated'], rows));
const decorated = medians[2] - medians[0];
const handWritten = medians[3] - medians[0];
console.log(
  `\nTracked call, decorated minus hand-written: ${(decorated - handWritten).toFixed(1)} ns per call ` +
    `(the decorated cost is ${((decorated / handWritten) * 100).toFixed(0)}% of the hand-written one; both are dominated by recording the event).`,
);
await analytics.shutdown();
