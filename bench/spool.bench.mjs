// What the disk spool costs: events/s offered (track() calls, on the application's path) and
// delivered end to end (until flush() resolves) to an in-process sink that accepts every batch
// at once, without the spool and with it under each fsync policy, in one run.
// Run after `npm run build`: node bench/spool.bench.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnalytics } from '../dist/lib/index.js';
import { machine, markdownTable } from './bench-utils.mjs';

const EVENTS = 100_000;
// One fdatasync per event: a smaller run, or it would take minutes on a slow disk.
const ALWAYS_EVENTS = 2_000;
const RUNS = 3;
const properties = { method: 'GET', path: '/api/products/42', route: '/api/products/:id', status_code: 200, duration_ms: 3.2 };

async function measure(spool, events) {
  const dir = spool ? mkdtempSync(join(tmpdir(), 'jitsu-spool-bench-')) : undefined;
  let delivered = 0;
  const sink = { send: async (batch) => void (delivered += batch.length) };
  const analytics = createAnalytics(
    { destination: sink, batchSize: 500, batchTimeout: 50, maxBatchEvents: 500, spool: spool && { dir, fsync: spool } },
    { logger: false },
  );
  const started = process.hrtime.bigint();
  for (let i = 0; i < events; i++) analytics.track('API Call', { ...properties, i });
  const offeredNs = Number(process.hrtime.bigint() - started);
  await analytics.flush();
  const deliveredNs = Number(process.hrtime.bigint() - started);
  const { dropped } = analytics.stats();
  await analytics.shutdown();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (delivered !== events) throw new Error(`${spool ?? 'no spool'}: ${delivered} of ${events} delivered (dropped: ${JSON.stringify(dropped)})`);
  return { offeredPerS: events / (offeredNs / 1e9), deliveredPerS: events / (deliveredNs / 1e9) };
}

/** Median of RUNS runs (after a warm-up run), per measure. */
async function median(spool, events) {
  await measure(spool, Math.min(events, 10_000));
  const runs = [];
  for (let r = 0; r < RUNS; r++) runs.push(await measure(spool, events));
  const mid = (key) => runs.map((run) => run[key]).sort((a, b) => a - b)[Math.floor(RUNS / 2)];
  return { offeredPerS: mid('offeredPerS'), deliveredPerS: mid('deliveredPerS') };
}

const cases = [
  ['no spool (memory queue)', undefined, EVENTS],
  ["spool, fsync: 'never'", 'never', EVENTS],
  ["spool, fsync: 'interval' (default)", 'interval', EVENTS],
  ["spool, fsync: 'always'", 'always', ALWAYS_EVENTS],
];
const results = [];
for (const [name, spool, events] of cases) results.push([name, events, await median(spool, events)]);
const base = results[0][2];
const rows = results.map(([name, events, r]) => [
  name,
  events.toLocaleString('en-US'),
  Math.round(r.offeredPerS).toLocaleString('en-US'),
  `${((r.offeredPerS / base.offeredPerS) * 100).toFixed(0)} %`,
  Math.round(r.deliveredPerS).toLocaleString('en-US'),
  `${((r.deliveredPerS / base.deliveredPerS) * 100).toFixed(0)} %`,
]);

console.log(`\n### Disk spool cost (${machine()}; temp dir ${tmpdir()}; median of ${RUNS} runs)\n`);
console.log(markdownTable(['case', 'events', 'offered events/s', 'vs no spool', 'delivered events/s', 'vs no spool'], rows));
