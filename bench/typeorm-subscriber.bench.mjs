// Cost of the TypeORM query subscriber on the application's query path: the same loop of simple
// SQLite queries on two identical DataSources, one instrumented, run alternately in one process.
// Run after `npm run build`: node bench/typeorm-subscriber.bench.mjs
import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DataSource, EntitySchema } from 'typeorm';
import { createAnalytics } from '../dist/lib/index.js';
import { instrumentDataSource } from '../dist/lib/typeorm/index.js';
import { machine, markdownTable } from './bench-utils.mjs';

const QUERIES_PER_RUN = 2_000;
const ROUNDS = Number(process.env.BENCH_TYPEORM_ROUNDS ?? 15);
const WARM_UP_RUNS = Number(process.env.BENCH_TYPEORM_WARMUP ?? 5);
const ROWS = 10_000;

const Product = new EntitySchema({
  name: 'Product',
  tableName: 'products',
  columns: {
    id: { type: Number, primary: true, generated: true },
    name: { type: String },
    priceCents: { type: Number },
  },
});

async function openDataSource() {
  const dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Product], synchronize: true });
  await dataSource.initialize();
  const rows = Array.from({ length: ROWS }, (_, i) => ({ name: `product ${i}`, priceCents: i * 100 }));
  for (let i = 0; i < rows.length; i += 500) await dataSource.getRepository(Product).insert(rows.slice(i, i + 500));
  return dataSource;
}

// A full collection before every timed run, outside it: the runs alternate in one heap, and
// without it the old-generation garbage an instrumented run leaves (its events and batch bodies,
// promoted before the flush) is marked and swept during the plain run that follows, which
// slowed the plain loop and hid part of the subscriber's cost.
if (typeof globalThis.gc !== 'function') setFlagsFromString('--expose-gc');
const collect = globalThis.gc ?? runInNewContext('gc');

// Every recorded event is serialised and queued as in production; the destination swallows
// batches and counts their events, so each case shows how many it really recorded per query.
let delivered = 0;
const analytics = createAnalytics(
  { destination: { send: async (batch) => void (delivered += batch.length) }, batchSize: 500, maxQueueSize: 10_000_000, maxQueueBytes: 8 * 1024 ** 3, system: { enabled: false } },
  { logger: false },
);
const plain = await openDataSource();
const instrumented = await openDataSource();

// A different id each time: TypeORM inlines it into the SQL text, so no two consecutive texts are equal.
const byId = (ds, i) => ds.getRepository(Product).findOneBy({ id: ((i * 7919) % ROWS) + 1 });
const raw = (ds, i) => ds.query('SELECT id, name, priceCents FROM products WHERE id = ?', [((i * 7919) % ROWS) + 1]);
// sampleRate 0 isolates the subscriber's own work (timing, ignore test, classification, sampling
// decision) from the cost of recording an event, which is the core's per-event cost.
const cases = [
  ['repository findOneBy({ id }), sampleRate 0 (subscriber only)', byId, { sampleRate: 0 }],
  ['repository findOneBy({ id }), every query recorded', byId, {}],
  ['repository findOneBy({ id }), sampleRate 0.1', byId, { sampleRate: 0.1 }],
  ['raw query() with a parameter, sampleRate 0 (subscriber only)', raw, { sampleRate: 0 }],
  ['raw query() with a parameter, every query recorded', raw, {}],
  ['raw query() with a parameter, sampleRate 0.1', raw, { sampleRate: 0.1 }],
];

/** Queries per second, the analytics work included: the queue is flushed inside the timed span. */
async function queriesPerSecond(dataSource, query) {
  collect();
  const started = performance.now();
  for (let i = 0; i < QUERIES_PER_RUN; i++) await query(dataSource, i);
  await analytics.flush();
  return QUERIES_PER_RUN / ((performance.now() - started) / 1000);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const rows = [];
for (const [name, query, options] of cases) {
  instrumentDataSource(instrumented, analytics, options);
  // Until TypeORM's and the library's hot paths are optimised by the JIT, runs measure the compiler.
  for (let run = 0; run < WARM_UP_RUNS; run++) {
    await queriesPerSecond(plain, query);
    await queriesPerSecond(instrumented, query);
  }
  const without = [];
  const withSubscriber = [];
  const deliveredBefore = delivered;
  // Alternating runs share whatever drift the machine has (other processes, GC, CPU clock).
  // Which goes first swaps every round, so neither always follows the other.
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      without.push(await queriesPerSecond(plain, query));
      withSubscriber.push(await queriesPerSecond(instrumented, query));
    } else {
      withSubscriber.push(await queriesPerSecond(instrumented, query));
      without.push(await queriesPerSecond(plain, query));
    }
  }
  // Events per query the instrumented loop recorded (the plain one records none): 1, 0.1 or 0.
  const eventsPerQuery = (delivered - deliveredBefore) / (ROUNDS * QUERIES_PER_RUN);
  const a = median(without);
  const b = median(withSubscriber);
  const perQueryUs = (1 / b - 1 / a) * 1e6;
  rows.push([name, a.toFixed(0), b.toFixed(0), (b / a).toFixed(3), `${((1 - b / a) * 100).toFixed(1)} %`, perQueryUs.toFixed(1), eventsPerQuery.toFixed(3)]);
}

console.log(`\n### TypeORM subscriber overhead, SQLite in memory (${machine()})\n`);
console.log(
  markdownTable(
    ['query loop', 'queries/s without', 'queries/s with subscriber', 'ratio with/without', 'overhead (target ≤ 5 %)', 'µs added per query', 'events recorded per query'],
    rows,
  ),
);
console.log(
  `\nMedian of ${ROUNDS} alternating runs of ${QUERIES_PER_RUN} sequential queries each, a full GC before each run (outside it); every recorded event serialised and queued for a no-op destination, which counts them. Dropped by the library: ${JSON.stringify(analytics.stats().dropped)}.`,
);
await analytics.shutdown();
await plain.destroy();
await instrumented.destroy();
