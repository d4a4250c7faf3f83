// Section 2 — the fixture app's `GET /api/products` with tracking off, with only the hooks a
// tracker needs (the floor), with this library and with the same events sent by
// @segment/analytics-node from a hand-written interceptor. Each app is its
// own process, autocannon another; rounds alternate the variants so drift on a shared machine
// hits them alike. Run after `npm run build`: node bench/http-overhead.bench.mjs
import { machine, markdownTable } from './bench-utils.mjs';
import { startApp } from './lib/app-process.mjs';
import { runChild } from './lib/child-runner.mjs';
import { fixed, int, median, mib, ratio, sum } from './lib/format.mjs';
import { writeRawResults } from './lib/results-file.mjs';
import { resetSink, sinkStats, startSink } from './lib/sink-control.mjs';
import { targetLine } from './lib/targets.mjs';

const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 16;
// At ~1,000 requests/s the guide's batchSize of 10 means a delivery request for every 10 served,
// which a busy service raises: each SDK also runs with 500-event batches flushed at least every
// second (Segment's flushAt/flushInterval), the same events per request.
const BATCHED = { batchSize: 500, batchTimeout: 1000 };
const SEGMENT_BATCHED = { flushAt: 500, flushInterval: 1000 };
const VARIANTS = [
  { id: 'off', variant: 'off', label: 'tracking off' },
  {
    id: 'hooks',
    variant: 'hooks',
    label: 'floor: an empty global interceptor + an AsyncLocalStorage middleware, nothing recorded',
  },
  { id: 'ours', variant: 'ours', label: '**nestjs-jitsu-analytics** (`JitsuAnalyticsModule.forRoot`, defaults: batchSize 10)', protocol: 'jitsu-batch' },
  {
    id: 'ours-batched',
    variant: 'ours',
    options: BATCHED,
    label: '**nestjs-jitsu-analytics** (defaults but batchSize 500, batchTimeout 1000)',
    protocol: 'jitsu-batch',
  },
  { id: 'segment', variant: 'segment', label: '@segment/analytics-node, hand-written interceptor (defaults: flushAt 15)', protocol: 'segment' },
  {
    id: 'segment-batched',
    variant: 'segment',
    options: SEGMENT_BATCHED,
    label: '@segment/analytics-node, hand-written interceptor (flushAt 500, flushInterval 1000)',
    protocol: 'segment',
  },
];
const LOAD = new URL('./lib/load-process.mjs', import.meta.url);
const EVENT_NAME = 'API Call';
// autocannon counts the responses it read; requests it had sent when its clock stopped (one per
// connection, in the warm-up and in the run) are served and tracked but not counted.
const UNCOUNTED_PER_ROUND = 2 * CONNECTIONS;

const load = async (url, seconds) => {
  const { result, timedOut } = await runChild(LOAD, {
    args: [JSON.stringify({ url, connections: CONNECTIONS, duration: seconds, pipelining: 1 })],
    timeoutMs: (seconds + 30) * 1000,
  });
  if (!result) throw new Error(`autocannon against ${url} ${timedOut ? 'timed out' : 'failed'}`);
  return result;
};
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const sink = await startSink('healthy');
const apps = {};
const samples = Object.fromEntries(VARIANTS.map((v) => [v.id, []]));
try {
  for (const v of VARIANTS) apps[v.id] = await startApp(v.variant, sink.url, { BENCH_APP_OPTIONS: JSON.stringify(v.options ?? {}) });
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round, so no variant always runs first (or right after another).
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
    for (const v of order) {
      process.stderr.write(`http: round ${round + 1}/${ROUNDS}, ${v.id}…\n`);
      await resetSink(sink.controlUrl);
      const warm = await load(apps[v.id].url, WARMUP_SECONDS);
      const before = await apps[v.id].stats();
      const run = await load(apps[v.id].url, SECONDS);
      const after = await apps[v.id].stats();
      // Outside the measured span: let the last requests finish, then have the SDK deliver what it
      // still holds, so this window's count is complete and nothing spills into the next variant's
      // (the default batchTimeout is 5 s, Segment's flushInterval 10 s).
      await pause(200);
      await apps[v.id].flush();
      const stats = await sinkStats(sink.controlUrl);
      const counters = v.protocol ? stats.byProtocol[v.protocol] : undefined;
      samples[v.id].push({
        ...run,
        cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / run.total,
        servedRequests: warm.total + run.total,
        // `API Call` events only: not a System Performance sample or anything else the SDK sends.
        deliveredEvents: counters?.byEvent?.[EVENT_NAME] ?? 0,
        duplicates: counters?.duplicates ?? 0,
      });
    }
  }
  for (const v of VARIANTS) samples[v.id].peakRss = (await apps[v.id].stats()).peakRss;
} finally {
  for (const app of Object.values(apps)) await app.stop();
  await sink.stop();
}

const summary = Object.fromEntries(
  VARIANTS.map((v) => {
    const s = samples[v.id];
    const served = s.reduce((a, r) => a + r.servedRequests, 0);
    const delivered = s.reduce((a, r) => a + r.deliveredEvents, 0);
    return [
      v.id,
      {
        ...v,
        requestsPerSec: median(s.map((r) => r.requestsPerSec)),
        p50: median(s.map((r) => r.p50)),
        p99: median(s.map((r) => r.p99)),
        cpuPerRequest: median(s.map((r) => r.cpuMicrosPerRequest)),
        errors: s.reduce((a, r) => a + r.errors + r.non2xx + r.timeouts, 0),
        eventsPerRequest: delivered / served,
        duplicates: s.reduce((a, r) => a + r.duplicates, 0),
        // Every request served recorded exactly once, in every round.
        oneEventPerRequest: s.every((r) => r.deliveredEvents >= r.servedRequests && r.deliveredEvents <= r.servedRequests + UNCOUNTED_PER_ROUND && r.duplicates === 0),
        peakRss: s.peakRss,
        rounds: s,
      },
    ];
  }),
);
const off = summary.off;
const hooks = summary.hooks;
const rows = VARIANTS.map(({ id }) => {
  const s = summary[id];
  return [
    s.label,
    int(s.requestsPerSec),
    ratio(s.requestsPerSec / off.requestsPerSec),
    fixed(s.p50, 0),
    fixed(s.p99, 0),
    fixed(s.cpuPerRequest, 0),
    id === 'off' ? '—' : fixed(s.eventsPerRequest, 2),
    int(s.errors),
    mib(s.peakRss),
  ];
});
const ours = summary['ours-batched'];
const oursDefaults = summary.ours;
const segment = summary['segment-batched'];
const segmentDefaults = summary.segment;
const lines = [
  `### Overhead under HTTP load: \`GET /api/products\` (NestJS 12, express), autocannon ${CONNECTIONS} connections — median of ${ROUNDS} rounds × ${SECONDS} s`,
  '',
  `Machine: ${machine()}. App, autocannon and sink are separate processes on the same 2 cores.`,
  '',
  markdownTable(['variant', 'requests/s', 'vs off', 'p50 ms', 'p99 ms', 'app CPU µs per request', 'events delivered per request', 'errors', 'app peak RSS'], rows),
  '',
  targetLine(
    ours.oneEventPerRequest && oursDefaults.oneEventPerRequest,
    `this library recorded one event per request in every round (each round: requests served ≤ \`API Call\` events delivered ≤ served + ${UNCOUNTED_PER_ROUND} requests autocannon sent but did not count, no duplicates): ${int(sum(oursDefaults.rounds.map((r) => r.deliveredEvents)))} events for ${int(sum(oursDefaults.rounds.map((r) => r.servedRequests)))} requests with defaults, ${int(sum(ours.rounds.map((r) => r.deliveredEvents)))} for ${int(sum(ours.rounds.map((r) => r.servedRequests)))} batched; ${int(oursDefaults.duplicates + ours.duplicates)} duplicates`,
  ),
  targetLine(
    ours.requestsPerSec >= 0.95 * off.requestsPerSec && oursDefaults.requestsPerSec >= 0.95 * off.requestsPerSec,
    `tracking on keeps ≥ 95% of the requests/s of tracking off: ${fixed((100 * ours.requestsPerSec) / off.requestsPerSec, 1)}% with 500-event batches, ${fixed((100 * oursDefaults.requestsPerSec) / off.requestsPerSec, 1)}% with the default batchSize 10`,
  ),
  targetLine(
    undefined,
    `the floor row — what any tracker built on a global interceptor and AsyncLocalStorage (as issue 3 asks) pays before recording anything — keeps ${fixed((100 * hooks.requestsPerSec) / off.requestsPerSec, 1)}% of off; this library keeps ${fixed((100 * ours.requestsPerSec) / hooks.requestsPerSec, 1)}% of the floor batched, ${fixed((100 * oursDefaults.requestsPerSec) / hooks.requestsPerSec, 1)}% with defaults`,
  ),
  targetLine(
    undefined,
    `app CPU per request (robust to the machine's other load): off ${fixed(off.cpuPerRequest, 0)} µs; floor +${fixed(hooks.cpuPerRequest - off.cpuPerRequest, 0)} µs; this library +${fixed(ours.cpuPerRequest - off.cpuPerRequest, 0)} µs batched, +${fixed(oursDefaults.cpuPerRequest - off.cpuPerRequest, 0)} µs with defaults; Segment +${fixed(segment.cpuPerRequest - off.cpuPerRequest, 0)} µs batched, +${fixed(segmentDefaults.cpuPerRequest - off.cpuPerRequest, 0)} µs with defaults`,
  ),
  targetLine(
    ours.requestsPerSec > segment.requestsPerSec && oursDefaults.requestsPerSec > segmentDefaults.requestsPerSec,
    `beats the Segment interceptor: ${ratio(ours.requestsPerSec / segment.requestsPerSec)} its requests/s batched (p99 ${fixed(ours.p99, 0)} vs ${fixed(segment.p99, 0)} ms), ${ratio(oursDefaults.requestsPerSec / segmentDefaults.requestsPerSec)} with defaults (p99 ${fixed(oursDefaults.p99, 0)} vs ${fixed(segmentDefaults.p99, 0)} ms)`,
  ),
];
console.log(`\n${lines.join('\n')}`);
writeRawResults('http-overhead', { machine: machine(), rounds: ROUNDS, seconds: SECONDS, summary });
