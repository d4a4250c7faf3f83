// Section 1 — the same workload through this library, its peers and a floor, each row in its
// own process, all delivering to one loopback sink. Run after `npm run build`:
//   node bench/pipeline.bench.mjs        (BENCH_EVENTS, BENCH_RUNS override the workload size)
import { machine, markdownTable } from './bench-utils.mjs';
import { runChild } from './lib/child-runner.mjs';
import { bytesText, fixed, int, median, mib, ratio, sum } from './lib/format.mjs';
import { writeRawResults } from './lib/results-file.mjs';
import { startSink } from './lib/sink-control.mjs';
import { targetLine } from './lib/targets.mjs';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BURST = 100;
const JITSU_JS_BURST_EVENTS = 20_000;

const ROWS = [
  { id: 'floor', adapter: 'floor', label: 'floor: JSON.stringify + 500-event batches + undici, 2 in flight' },
  { id: 'floor-gzip', adapter: 'floor', label: 'floor, gzip level 1 (as this library compresses)', options: { gzip: true } },
  { id: 'ours', adapter: 'ours', label: '**nestjs-jitsu-analytics** (defaults)' },
  { id: 'segment', adapter: 'segment', label: '@segment/analytics-node (defaults: flushAt 15)' },
  { id: 'segment-tuned', adapter: 'segment', label: '@segment/analytics-node (tuned: flushAt 500)', options: { flushAt: 500 } },
  { id: 'posthog', adapter: 'posthog', label: 'posthog-node (defaults: flushAt 20, maxBatchSize 100, maxQueueSize 10 000)' },
  {
    id: 'posthog-tuned',
    adapter: 'posthog',
    label: 'posthog-node (tuned: flushAt 500, maxBatchSize 500, maxQueueSize 100 000)',
    options: { flushAt: 500, maxBatchSize: 500, maxQueueSize: 100_000 },
  },
  { id: 'jitsu-js', adapter: 'jitsu-js', label: '@jitsu/js (s2s: true; no batching)', events: JITSU_JS_BURST_EVENTS, runs: 1 },
];

const only = process.env.BENCH_ROWS?.split(',');
const selected = ROWS.filter((r) => !only || only.includes(r.id) || ['floor', 'floor-gzip', 'ours'].includes(r.id));

async function measure(row) {
  const sink = await startSink('healthy');
  const events = row.events ?? EVENTS;
  const runs = row.runs ?? RUNS;
  try {
    const config = { sinkUrl: sink.url, controlUrl: sink.controlUrl, options: row.options ?? {}, events, runs, burst: BURST, warmup: Math.min(5000, events / 4) };
    const outcome = await runChild(new URL('./pipeline/row.mjs', import.meta.url), {
      args: [row.adapter, JSON.stringify(config)],
      timeoutMs: 60_000 + runs * 60_000,
    });
    return { ...row, events, runs: runs, outcome };
  } finally {
    await sink.stop();
  }
}

function summarise(m) {
  const runs = m.outcome.result?.runs ?? [];
  if (runs.length === 0) return { ...m, failed: true };
  const eventsPerSec = median(runs.map((r) => r.delivered / (r.elapsedMs / 1000)));
  return {
    ...m,
    nsPerCall: median(runs.map((r) => r.nsPerCall)),
    cpuUsPerEvent: median(runs.map((r) => r.cpuUsPerEvent)),
    eventsPerSec,
    lost: sum(runs.map((r) => m.events - r.delivered)),
    duplicates: sum(runs.map((r) => r.duplicates)),
    missingIds: sum(runs.map((r) => r.missingIds ?? 0)),
    otherEvents: sum(runs.map((r) => r.otherEvents ?? 0)),
    rejected: sum(runs.map((r) => (r.badBodies ?? 0) + (r.unknownRequests ?? 0))),
    offered: m.events * runs.length,
    requests: median(runs.map((r) => r.requests)),
    bytes: median(runs.map((r) => r.bytes)),
    gzipped: runs.some((r) => r.gzipRequests > 0),
    peakRss: m.outcome.result.peakRss,
    report: m.outcome.result.report,
  };
}

const measured = [];
for (const row of selected) {
  process.stderr.write(`pipeline: ${row.id}…\n`);
  measured.push(summarise(await measure(row)));
}
const byId = Object.fromEntries(measured.map((m) => [m.id, m]));
const floor = byId.floor;
const gzipFloor = byId['floor-gzip'];
const ours = byId.ours;

const rows = measured.map((m) =>
  m.failed
    ? [m.label, `failed (${m.outcome.timedOut ? 'timed out' : `exit ${m.outcome.exitCode}`}; ${m.outcome.outputTail.at(-1) ?? 'no output'})`, '', '', '', '', '', '', '', '']
    : [
        m.label,
        fixed(m.nsPerCall, 0),
        fixed(m.cpuUsPerEvent, 2),
        int(m.eventsPerSec),
        ratio(m.eventsPerSec / floor.eventsPerSec),
        ratio(m.eventsPerSec / gzipFloor.eventsPerSec),
        `${int(m.lost)} of ${int(m.offered)}`,
        int(m.duplicates),
        int(m.requests),
        `${bytesText(m.bytes)}${m.gzipped ? ' (gzip)' : ''}`,
        mib(m.peakRss),
      ],
);

const cheaper = (peer) => (peer ? peer.nsPerCall / ours.nsPerCall : NaN);
const faster = (peer) => (peer ? ours.eventsPerSec / peer.eventsPerSec : NaN);
const jitsuJs = byId['jitsu-js'];
const jitsuJsLine = !jitsuJs
  ? 'not run'
  : jitsuJs.failed
    ? 'the row failed'
    : `${int(jitsuJs.lost)} lost, ${int(jitsuJs.duplicates)} duplicated${jitsuJs.outcome.outputLines ? ` (${int(jitsuJs.outcome.outputLines)} lines of console output, last: "${jitsuJs.outcome.outputTail.at(-1)}")` : ''}`;
const lines = [
  `### Pipeline: ${int(EVENTS)} \`API Call\` events offered (${BURST} per event-loop turn), then flushed — median of ${RUNS} runs`,
  '',
  `Machine: ${machine()}. Every row in its own process, delivering to the same loopback sink (one process, parses and counts every event).`,
  '',
  markdownTable(
    ['SDK', 'ns per track call', 'CPU µs per event (whole process)', 'events/s delivered', '× floor', '× gzip floor', 'events lost', 'duplicates', 'HTTP requests per run', 'bytes on the wire per run', 'peak RSS'],
    rows,
  ),
  '',
  `ns per track call: median over bursts of ${BURST} calls (the properties objects are built beforehand). CPU per event: user + system time of the whole process over the run (serialising, compressing, sending, GC), divided by the events. @jitsu/js row: one burst of ${int(JITSU_JS_BURST_EVENTS)} events. Peak RSS is the whole process.`,
  '',
  targetLine(
    ours.eventsPerSec >= 0.8 * floor.eventsPerSec,
    `delivered events/s ≥ 0.8× floor: ${ratio(ours.eventsPerSec / floor.eventsPerSec)} (and ${ratio(ours.eventsPerSec / gzipFloor.eventsPerSec)} the gzip floor)`,
  ),
  targetLine(
    cheaper(byId.segment) >= 8 && cheaper(byId.posthog) >= 8,
    `track call ≥ 8× cheaper than @segment/analytics-node and posthog-node (defaults): ${ratio(cheaper(byId.segment))} and ${ratio(cheaper(byId.posthog))}`,
  ),
  targetLine(
    ours.lost === 0 && ours.duplicates === 0 && ours.missingIds === 0,
    `zero lost and zero duplicated while the sink is healthy: ${int(ours.lost)} lost, ${int(ours.duplicates)} duplicated${ours.missingIds ? ` (${int(ours.missingIds)} events without a messageId: duplicates not detectable)` : ''}`,
  ),
  targetLine(undefined, `events/s vs peers (defaults): ${ratio(faster(byId.segment))} @segment/analytics-node, ${ratio(faster(byId.posthog))} posthog-node`),
  targetLine(undefined, `@jitsu/js on a ${int(JITSU_JS_BURST_EVENTS)}-event burst: ${jitsuJsLine}`),
  // What the sink saw besides the offered events: not counted as delivered, shown so nothing is hidden.
  ...measured
    .filter((m) => !m.failed && (m.missingIds || m.otherEvents || m.rejected))
    .map((m) =>
      targetLine(
        undefined,
        `${m.label}: ${int(m.otherEvents)} other events (not counted as delivered), ${int(m.missingIds)} events without an id (duplicates not detectable), ${int(m.rejected)} requests rejected by the sink (bad body or unknown path)`,
      ),
    ),
];
console.log(`\n${lines.join('\n')}`);
writeRawResults('pipeline', { machine: machine(), events: EVENTS, runs: RUNS, burst: BURST, measured });
