import pg from 'pg';
import QueryStream from 'pg-query-stream';
import { DataSource } from 'typeorm';
import type { AnalyticsEvent } from '../../lib/events/analytics-event.interface.js';
import { SystemSampler } from '../../lib/instrumentation/system-sampler.js';
import { instrumentDataSource } from '../../lib/typeorm/index.js';
import { wireAnalytics } from '../instrumentation/wire-analytics.js';
import { startPostgres } from '../support/postgres.js';
import { ENTITIES } from './entities.js';
import { describeTypeOrmAcceptance, type TypeOrmHarness } from './typeorm-acceptance.js';
import { until } from '../support/until.js';

// One cluster for the file, started at load so registration knows whether it exists.
const server = await startPostgres();
afterAll(async () => server?.stop());

let schemas = 0;

async function withClient<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server!.url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** A fresh schema made current through the startup `options`: cheaper than a database per test. */
async function freshUrl(applicationName?: string): Promise<string> {
  const schema = `typeorm_${++schemas}`;
  await withClient((c) => c.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(server!.url);
  url.searchParams.set('options', `-c search_path=${schema}`);
  if (applicationName) url.searchParams.set('application_name', applicationName);
  return url.toString();
}

const harness: TypeOrmHarness = {
  freshOptions: async () => ({ type: 'postgres', url: await freshUrl() }),
  placeholder: (i) => `$${i}`,
  uniqueViolationCode: '23505',
  streams: { missingTableCode: '42P01' },
};

const connectionEvents = (events: AnalyticsEvent[]) => events.filter((e) => e.event === 'Database Connection');

if (server) {
  describeTypeOrmAcceptance('PostgreSQL', harness);

  describe('PostgreSQL connections and pool', () => {
    it('records initialise and destroy of a DataSource instrumented before initialize()', async () => {
      const wa = wireAnalytics();
      const dataSource = new DataSource({ type: 'postgres', url: await freshUrl(), entities: ENTITIES, synchronize: true });
      instrumentDataSource(dataSource, wa.analytics, { name: 'main' });
      await dataSource.initialize();
      await dataSource.query('SELECT 1');
      await dataSource.destroy();
      const events = await wa.events();
      expect(connectionEvents(events).map((e) => [e.properties.connection_event, e.properties.success, e.JITSU_TABLE_NAME])).toEqual([
        ['initialized', true, 'custom_events'],
        ['destroyed', true, 'custom_events'],
      ]);
      expect(connectionEvents(events)[0].properties).toMatchObject({ data_source: 'main', db_type: 'postgres', event_action: 'database_connection' });
      // Schema synchronisation during initialize() is the library's bootstrap, not the app's queries.
      expect(events.filter((e) => e.event === 'Database Query').map((e) => e.properties.query_fingerprint)).toEqual(['SELECT ?']);
      await wa.analytics.shutdown();
    });

    it('records a failed initialize() as a connection error and a Backend Error, and rethrows it', async () => {
      const wa = wireAnalytics();
      const url = new URL(server!.url);
      url.pathname = '/no_such_database';
      const dataSource = new DataSource({ type: 'postgres', url: url.toString() });
      instrumentDataSource(dataSource, wa.analytics);
      await expect(dataSource.initialize()).rejects.toMatchObject({ code: '3D000' });
      const events = await wa.events();
      expect(connectionEvents(events).map((e) => e.properties)).toEqual([
        expect.objectContaining({ connection_event: 'error', success: false, error_code: '3D000' }),
      ]);
      const errors = events.filter((e) => e.event === 'Backend Error');
      expect(errors.map((e) => e.properties)).toEqual([expect.objectContaining({ error_source: 'database', error_code: '3D000' })]);
      // The database name is an object name: kept; nothing else was quoted in that message.
      expect(errors[0].properties.error_message).toContain('"no_such_database"');
      await wa.analytics.shutdown();
    });

    it('records a connection the server kills while idle in the pool as a connection error', async () => {
      const wa = wireAnalytics();
      const dataSource = new DataSource({ type: 'postgres', url: await freshUrl('victim_app') });
      await dataSource.initialize();
      try {
        instrumentDataSource(dataSource, wa.analytics);
        await dataSource.query('SELECT 1');
        await withClient((c) => c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'victim_app'`));
        const event = await waitForEvent(wa, (e) => e.event === 'Database Connection' && e.properties.connection_event === 'error');
        expect(event.properties).toMatchObject({ success: false, error_code: '57P01', db_type: 'postgres' });
        // The pool recovers: the next query opens a new connection and is recorded as usual.
        await dataSource.query('SELECT 2');
      } finally {
        await dataSource.destroy();
        await wa.analytics.shutdown();
      }
    });

    it("adds the pool's total, idle and waiting counts to the System Performance event", async () => {
      const wa = wireAnalytics({ system: { enabled: true, intervalMs: 3_600_000 } });
      const dataSource = new DataSource({ type: 'postgres', url: await freshUrl(), poolSize: 3 });
      await dataSource.initialize();
      try {
        instrumentDataSource(dataSource, wa.analytics);
        const sampler = wa.analytics.core.features.attached<SystemSampler>(SystemSampler)!;
        // Four transactions on a pool of three: three hold a connection, the fourth waits for one.
        const release: Array<() => void> = [];
        const busy = Array.from({ length: 4 }, () =>
          dataSource.transaction(() => new Promise<void>((resolve) => release.push(resolve))),
        );
        await until(() => release.length === 3, "three transactions holding the pool's connections");
        sampler.record();
        release.splice(0).forEach((r) => r());
        await until(() => release.length === 1, 'the fourth transaction to get a connection');
        release.splice(0).forEach((r) => r());
        await Promise.all(busy);
        sampler.record();
        const samples = (await wa.events()).filter((e) => e.event === 'System Performance');
        expect(samples.map((e) => [e.properties.db_pool_total, e.properties.db_pool_idle, e.properties.db_pool_waiting])).toEqual([
          [3, 0, 1],
          [3, 3, 0],
        ]);
      } finally {
        await dataSource.destroy();
        await wa.analytics.shutdown();
      }
    });
  });

  describe('timeDbQuery on the pg driver itself', () => {
    it("times a pg-query-stream until its rows are read, in the caller's request, with no value of the query in the event", async () => {
      const wa = wireAnalytics();
      const client = new pg.Client({ connectionString: server!.url });
      await client.connect();
      try {
        const READ_PAUSE_MS = 40;
        const sql = 'SELECT n, $1::text AS tag FROM generate_series(1, 500) AS n';
        let rows = 0;
        await wa.analytics.core.requestContext.run({ requestId: 'req-pg-stream' }, async () => {
          const stream = await wa.analytics.timeDbQuery(sql, () => client.query(new QueryStream(sql, ['tag-secret-7781'])));
          stream.pause();
          await new Promise((resolve) => setTimeout(resolve, READ_PAUSE_MS));
          for await (const row of stream) rows += row ? 1 : 0;
        });
        expect(rows).toBe(500);
        const [query, ...others] = await wa.events();
        expect(others).toEqual([]);
        expect(query.properties).toMatchObject({ query_type: 'SELECT', query_success: true, request_id: 'req-pg-stream' });
        expect(query.properties.query_duration_ms as number).toBeGreaterThanOrEqual(READ_PAUSE_MS - 5);
        expect(await wa.payload()).not.toContain('tag-secret-7781');
      } finally {
        await client.end();
        await wa.analytics.shutdown();
      }
    });
  });
}

async function waitForEvent(wa: ReturnType<typeof wireAnalytics>, match: (e: AnalyticsEvent) => boolean): Promise<AnalyticsEvent> {
  let found: AnalyticsEvent | undefined;
  const deadline = Date.now() + 5000;
  while (!(found = (await wa.events()).find(match))) {
    if (Date.now() > deadline) throw new Error('no matching event within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return found;
}
