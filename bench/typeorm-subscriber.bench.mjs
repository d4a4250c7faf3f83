// Cost of the TypeORM query subscriber on the application's query path: the same loop of simple
// SQLite queries with and without the subscriber. Each side runs in a process of its own, so each
// pays for its own garbage (in one shared heap, the events an instrumented run left behind were
// collected during the plain run after it); the processes of the two sides alternate, so drift on
// a shared machine hits both alike. Run after `npm run build`: node bench/typeorm-subscriber.bench.mjs
import { machine, markdownTable } from './bench-utils.mjs';
import { runChild } from './lib/child-runner.mjs';
import { CASES, QUERIES_PER_RUN } from './typeorm/loop.mjs';

const PROCESSES = Number(process.env.BENCH_TYPEORM_PROCESSES ?? 6);
const RUNS = Number(process.env.BENCH_TYPEORM_RUNS ?? 5);
const LOOP = new URL('./typeorm/loop.mjs', import.meta.url);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function side(caseIndex, which) {
  const { result, timedOut, outputTail } = await runChild(LOOP, { args: [String(caseIndex), which], timeoutMs: 120_000 });
  if (!result) throw new Error(`TypeORM loop (${CASES[caseIndex][0]}, ${which}) ${timedOut ? 'timed out' : 'failed'}: ${outputTail.join(' / ')}`);
  return result;
}

const rows = [];
const dropped = {};
for (let c = 0; c < CASES.length; c++) {
  process.stderr.write(`typeorm: ${CASES[c][0]}…\n`);
  const without = [];
  const withSubscriber = [];
  let events = 0;
  let queries = 0;
  for (let p = 0; p < PROCESSES; p++) {
    // Which side goes first swaps every time, so neither always follows the other.
    const order = p % 2 === 0 ? ['plain', 'instrumented'] : ['instrumented', 'plain'];
    for (const which of order) {
      const result = await side(c, which);
      (which === 'plain' ? without : withSubscriber).push(...result.perSecond);
      if (which === 'instrumented') {
        events += result.events;
        queries += result.queries;
      }
      for (const [reason, n] of Object.entries(result.dropped)) dropped[reason] = (dropped[reason] ?? 0) + n;
    }
  }
  const a = median(without);
  const b = median(withSubscriber);
  const perQueryUs = (1 / b - 1 / a) * 1e6;
  rows.push([CASES[c][0], a.toFixed(0), b.toFixed(0), (b / a).toFixed(3), `${((1 - b / a) * 100).toFixed(1)} %`, perQueryUs.toFixed(1), (events / queries).toFixed(3)]);
}

console.log(`\n### TypeORM subscriber overhead, SQLite in memory (${machine()})\n`);
console.log(
  markdownTable(
    ['query loop', 'queries/s without', 'queries/s with subscriber', 'ratio with/without', 'overhead (target ≤ 5 %)', 'µs added per query', 'events recorded per query'],
    rows,
  ),
);
console.log(
  `\nMedian of ${PROCESSES * RUNS} runs of ${QUERIES_PER_RUN} sequential queries per side (${RUNS} in each of ${PROCESSES} processes per side, the sides' processes alternating, each warmed up first); every recorded event serialised and queued for a destination that counts and discards them. Dropped by the library: ${JSON.stringify(dropped)}.`,
);
