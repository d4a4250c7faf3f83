// One side of the TypeORM subscriber benchmark, in a process of its own: `node loop.mjs <case>
// <plain|instrumented>`. It warms up, then times runs of the same query loop and sends their
// queries/s and the events the destination received. Its own heap only: an instrumented loop's
// garbage is collected during its own runs, never during a plain loop's.
import 'reflect-metadata';
import { DataSource, EntitySchema } from 'typeorm';
import { createAnalytics } from '../../dist/lib/index.js';
import { instrumentDataSource } from '../../dist/lib/typeorm/index.js';

export const CASES = [
  ['repository findOneBy({ id }), sampleRate 0 (subscriber only)', 'byId', { sampleRate: 0 }],
  ['repository findOneBy({ id }), every query recorded', 'byId', {}],
  ['repository findOneBy({ id }), sampleRate 0.1', 'byId', { sampleRate: 0.1 }],
  ['raw query() with a parameter, sampleRate 0 (subscriber only)', 'raw', { sampleRate: 0 }],
  ['raw query() with a parameter, every query recorded', 'raw', {}],
  ['raw query() with a parameter, sampleRate 0.1', 'raw', { sampleRate: 0.1 }],
];
export const QUERIES_PER_RUN = 2_000;
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

// A different id each time: TypeORM inlines it into the SQL text, so no two consecutive texts are equal.
const QUERIES = {
  byId: (ds, i) => ds.getRepository(Product).findOneBy({ id: ((i * 7919) % ROWS) + 1 }),
  raw: (ds, i) => ds.query('SELECT id, name, priceCents FROM products WHERE id = ?', [((i * 7919) % ROWS) + 1]),
};

async function main([caseIndex, side], runs, warmUp) {
  const [, queryName, options] = CASES[Number(caseIndex)];
  const query = QUERIES[queryName];
  const dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Product], synchronize: true });
  await dataSource.initialize();
  const rows = Array.from({ length: ROWS }, (_, i) => ({ name: `product ${i}`, priceCents: i * 100 }));
  for (let i = 0; i < rows.length; i += 500) await dataSource.getRepository(Product).insert(rows.slice(i, i + 500));
  // Both sides create the analytics instance, so both carry its timers and memory; only one
  // attaches the subscriber. Every recorded event is serialised and queued as in production; the
  // destination counts batches' events and swallows them.
  let delivered = 0;
  const analytics = createAnalytics(
    { destination: { send: async (batch) => void (delivered += batch.length) }, batchSize: 500, maxQueueSize: 10_000_000, maxQueueBytes: 8 * 1024 ** 3, system: { enabled: false } },
    { logger: false },
  );
  if (side === 'instrumented') instrumentDataSource(dataSource, analytics, options);
  /** Queries per second, the analytics work included: the queue is flushed inside the timed span. */
  const run = async () => {
    const started = performance.now();
    for (let i = 0; i < QUERIES_PER_RUN; i++) await query(dataSource, i);
    await analytics.flush();
    return QUERIES_PER_RUN / ((performance.now() - started) / 1000);
  };
  // Until TypeORM's and the library's hot paths are optimised by the JIT, runs measure the compiler.
  for (let i = 0; i < warmUp; i++) await run();
  const before = delivered;
  const perSecond = [];
  for (let i = 0; i < runs; i++) perSecond.push(await run());
  const result = { perSecond, events: delivered - before, queries: runs * QUERIES_PER_RUN, dropped: analytics.stats().dropped };
  await analytics.shutdown();
  await dataSource.destroy();
  return result;
}

if (process.send) {
  const result = await main(process.argv.slice(2), Number(process.env.BENCH_TYPEORM_RUNS ?? 5), Number(process.env.BENCH_TYPEORM_WARMUP ?? 5));
  process.send({ type: 'result', result }, () => process.exit(0));
}
