// Section 3 — 1,000,000 events offered while the destination accepts connections and never
// answers: peak RSS and drops, for this library (defaults) and its peers (defaults), each in its
// own process and bounded to a minute. Run after `npm run build`: node bench/stalled-destination.bench.mjs
import { machine, markdownTable } from './bench-utils.mjs';
import { runChild } from './lib/child-runner.mjs';
import { int, mib } from './lib/format.mjs';
import { library } from './lib/library.mjs';
import { writeRawResults } from './lib/results-file.mjs';
import { sinkStats, startSink } from './lib/sink-control.mjs';
import { targetLine } from './lib/targets.mjs';

const EVENTS = Number(process.env.BENCH_STALLED_EVENTS ?? 1_000_000);
const BURST = 1000;
const HOLD_MS = 3000;
const OFFER_BUDGET_MS = 45_000;
const RSS_CAP = 2 * 2 ** 30;
/** The target's "plus 64 MB". */
const SLACK_BYTES = 64e6;
const ROWS = [
  { id: 'ours', adapter: 'ours', label: '**nestjs-jitsu-analytics** (defaults: maxQueueSize 100 000, maxQueueBytes 64 MiB)' },
  { id: 'segment', adapter: 'segment', label: '@segment/analytics-node (defaults)' },
  { id: 'posthog', adapter: 'posthog', label: 'posthog-node (defaults: maxQueueSize 10 000)' },
  { id: 'jitsu-js', adapter: 'jitsu-js', label: '@jitsu/js (s2s: true)' },
];

async function measure(row) {
  const sink = await startSink('stalled');
  try {
    const config = { sinkUrl: sink.url, options: row.options ?? {}, events: EVENTS, burst: BURST, holdMs: HOLD_MS, offerBudgetMs: OFFER_BUDGET_MS, rssCapBytes: RSS_CAP };
    const outcome = await runChild(new URL('./stalled/row.mjs', import.meta.url), {
      args: [row.adapter, JSON.stringify(config)],
      timeoutMs: 60_000,
      execArgv: ['--max-old-space-size=3072'],
    });
    return { ...row, outcome, sink: await sinkStats(sink.controlUrl) };
  } finally {
    await sink.stop();
  }
}

const measured = [];
for (const row of ROWS) {
  process.stderr.write(`stalled: ${row.id}…\n`);
  measured.push(await measure(row));
}

// The bound the target is stated against: this library's default maxQueueBytes.
const defaults = library.createAnalytics({ destination: 'memory' }, { logger: false });
const queueBound = defaults.core.options.maxQueueBytes;
await defaults.shutdown();

const describeDrops = (m) => {
  const dropped = m.outcome.result?.report?.dropped ?? {};
  const entries = Object.entries(dropped).filter(([, n]) => n > 0);
  return entries.length ? entries.map(([k, n]) => `${k}: ${int(n)}`).join(', ') : 'none reported';
};
const rows = measured.map((m) => {
  const r = m.outcome.result;
  if (!r) {
    // Killed or crashed: the last progress it sent (every 500 ms) is all there is.
    const p = m.outcome.progress;
    const why = m.outcome.timedOut ? 'killed at the 60 s bound' : `crashed (exit ${m.outcome.exitCode ?? m.outcome.signal}): ${m.outcome.outputTail.find((l) => /Error|code:/.test(l)) ?? m.outcome.outputTail.at(-1) ?? 'no output'}`;
    return [m.label, `${p ? `≥ ${int(p.offered)}` : '—'} (${why})`, p ? `≥ ${mib(p.peakRss)}` : '—', p ? `≥ ${mib(p.peakRss - p.baselineRss)}` : '—', describeDrops(m), '—', int(m.outcome.outputLines)];
  }
  return [
    m.label,
    `${int(r.offered)}${r.stoppedBy ? ` (stopped: ${r.stoppedBy})` : ''}`,
    mib(r.peakRss),
    mib(r.peakRss - r.baselineRss),
    describeDrops(m),
    r.report.held === undefined ? '—' : int(r.report.held),
    int(m.outcome.outputLines),
  ];
});

const ours = measured.find((m) => m.id === 'ours').outcome.result;
const oursDropped = Object.values(ours?.report?.dropped ?? {}).reduce((a, b) => a + b, 0);
const lines = [
  `### Memory under a stalled destination: ${int(EVENTS)} events offered (${BURST} per turn), the sink accepts and never answers`,
  '',
  `Machine: ${machine()}. Each row in its own process, offering for at most ${OFFER_BUDGET_MS / 1000} s (stopped early above ${mib(RSS_CAP)} RSS), then held ${HOLD_MS / 1000} s.`,
  '',
  markdownTable(['SDK', 'events offered', 'peak RSS', 'RSS growth over the idle SDK', 'drops the SDK reported', 'events it still holds', 'console lines printed'], rows),
  '',
  'RSS growth is measured from the process with the SDK loaded and created, before the first event (Node with NestJS loaded sits at 90–100 MiB on its own).',
  '',
  targetLine(
    ours && ours.peakRss - ours.baselineRss < queueBound + SLACK_BYTES,
    `RSS stays under the configured queue bound (${mib(queueBound)}) plus 64 MB (issue 8's slack, 10⁶ bytes to the MB): grew ${ours ? mib(ours.peakRss - ours.baselineRss) : '—'} (peak ${ours ? mib(ours.peakRss) : '—'} including the idle process)`,
  ),
  targetLine(
    ours && oursDropped + ours.report.held === ours.offered,
    `every excess event counted as dropped: ${ours ? `${int(oursDropped)} dropped + ${int(ours.report.held)} held = ${int(oursDropped + ours.report.held)} of ${int(ours.offered)} offered` : '—'}`,
  ),
];
console.log(`\n${lines.join('\n')}`);
writeRawResults('stalled-destination', { machine: machine(), events: EVENTS, measured });
