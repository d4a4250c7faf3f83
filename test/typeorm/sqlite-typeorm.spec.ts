import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { jest } from '@jest/globals';
import { AbstractLogger, DataSource } from 'typeorm';
import type { AnalyticsEvent } from '../../lib/events/analytics-event.interface.js';
import { SystemSampler } from '../../lib/instrumentation/system-sampler.js';
import { instrumentDataSource } from '../../lib/typeorm/index.js';
import { onSqlitePrepareFailed } from '../../lib/typeorm/query-failure-hooks.js';
import { typeOrmDialect } from '../../lib/typeorm/typeorm-dialect.js';
import { wireAnalytics } from '../instrumentation/wire-analytics.js';
import { Customer, ENTITIES } from './entities.js';
import { describeTypeOrmAcceptance } from './typeorm-acceptance.js';

describeTypeOrmAcceptance('SQLite (better-sqlite3)', {
  freshOptions: async () => ({ type: 'better-sqlite3', database: ':memory:' }),
  placeholder: () => '?',
  uniqueViolationCode: 'SQLITE_CONSTRAINT_UNIQUE',
});

const memoryDataSource = () => new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: ENTITIES, synchronize: true });
const named = (events: AnalyticsEvent[], name: string) => events.filter((e) => e.event === name);

/**
 * The message a refused statement was rejected with. TypeORM 0.3 rethrows a statement SQLite
 * refuses to prepare as better-sqlite3's own `SqliteError`, and the native addon keeps that class
 * from the first test file that loaded it in this Jest worker: Jest's `rejects.toThrow()` then
 * does not take it for an error, and reports a rejected query as one that did not throw.
 */
async function refusedWith(statement: Promise<unknown>): Promise<string> {
  return statement.then(
    () => {
      throw new Error('the statement was expected to be refused');
    },
    (error: unknown) => String((error as { message?: unknown } | null)?.message ?? error),
  );
}

describe('instrumentDataSource on SQLite', () => {
  it('records initialise and destroy, and restores initialize/destroy when stopped', async () => {
    const wa = wireAnalytics();
    const dataSource = memoryDataSource();
    const instrumentation = instrumentDataSource(dataSource, wa.analytics, { name: 'local' });
    await dataSource.initialize();
    await dataSource.getRepository(Customer).count();
    await dataSource.destroy();
    const events = await wa.events();
    expect(named(events, 'Database Connection').map((e) => e.properties)).toEqual([
      expect.objectContaining({ connection_event: 'initialized', data_source: 'local', db_type: 'better-sqlite3', success: true }),
      expect.objectContaining({ connection_event: 'destroyed', data_source: 'local', success: true }),
    ]);
    expect(named(events, 'Database Query').map((e) => e.properties.query_type)).toEqual(['SELECT']);

    instrumentation.stop();
    expect(Object.hasOwn(dataSource, 'initialize')).toBe(false);
    expect(Object.hasOwn(dataSource, 'destroy')).toBe(false);
    await dataSource.initialize();
    await dataSource.destroy();
    expect(named(await wa.events(), 'Database Connection')).toHaveLength(2);
    await wa.analytics.shutdown();
  });

  it("names the DataSource in its query events and their Backend Errors, so an app's databases stay apart", async () => {
    const wa = wireAnalytics();
    const reports = memoryDataSource();
    const main = memoryDataSource();
    instrumentDataSource(reports, wa.analytics, { name: 'reports' });
    instrumentDataSource(main, wa.analytics);
    await reports.initialize();
    await main.initialize();
    await reports.query('SELECT 1');
    await main.query('SELECT 2');
    expect(await refusedWith(reports.query('SELECT * FROM missing_table'))).toContain('no such table');
    await expect(reports.query('INSERT INTO customers (email, name, age) VALUES (NULL, NULL, NULL)')).rejects.toThrow();
    const events = (await wa.events()).filter((e) => e.event !== 'Database Connection');
    const failed = (table: string | undefined): Array<[string, unknown, unknown]> => [
      ['Database Query', 'reports', table],
      ['Backend Error', 'reports', table],
    ];
    expect(events.map((e) => [e.event, e.properties.data_source, e.properties.query_table])).toEqual([
      ['Database Query', 'reports', undefined],
      ['Database Query', 'default', undefined],
      ...failed('missing_table'),
      ...failed('customers'),
    ]);
    await reports.destroy();
    await main.destroy();
    await wa.analytics.shutdown();
  });

  it('records a DataSource that cannot open its database as a connection error', async () => {
    const wa = wireAnalytics();
    // A path under a regular file: no directory can be created there, whoever runs the test.
    const file = join(await mkdtemp(join(tmpdir(), 'typeorm-')), 'not-a-dir');
    await writeFile(file, '');
    const dataSource = new DataSource({ type: 'better-sqlite3', database: join(file, 'db.sqlite'), entities: ENTITIES });
    instrumentDataSource(dataSource, wa.analytics);
    await expect(dataSource.initialize()).rejects.toThrow();
    const events = await wa.events();
    expect(named(events, 'Database Connection').map((e) => [e.properties.connection_event, e.properties.success])).toEqual([['error', false]]);
    expect(named(events, 'Backend Error').map((e) => e.properties.error_source)).toEqual(['database']);
    await wa.analytics.shutdown();
    await rm(dirname(file), { recursive: true, force: true });
  });

  it('gives two analytics instances their own subscriber, and replaces rather than doubles a repeated one', async () => {
    const first = wireAnalytics();
    const second = wireAnalytics();
    const dataSource = memoryDataSource();
    await dataSource.initialize();
    instrumentDataSource(dataSource, first.analytics);
    instrumentDataSource(dataSource, first.analytics, { ignore: ['"invoices"'] });
    instrumentDataSource(dataSource, second.analytics);
    expect(dataSource.subscribers).toHaveLength(2);
    await first.clear();
    await second.clear();
    await dataSource.getRepository(Customer).count();
    expect(named(await first.events(), 'Database Query')).toHaveLength(1);
    expect(named(await second.events(), 'Database Query')).toHaveLength(1);
    await first.analytics.shutdown();
    expect(dataSource.subscribers).toHaveLength(1);
    await second.analytics.shutdown();
    expect(dataSource.subscribers).toHaveLength(0);
    await dataSource.destroy();
  });

  it("records a failure TypeORM tells only its logger about (0.3's better-sqlite3 driver), once, for its own DataSource's runners only", async () => {
    const wa = wireAnalytics();
    // One logger shared by two DataSources, as an app may configure it.
    class SharedLogger extends AbstractLogger {
      readonly errorsLogged: unknown[] = [];
      protected override writeLog(): void {}
      override logQueryError(error: unknown): void {
        this.errorsLogged.push(error);
      }
    }
    const logger = new SharedLogger();
    const withLogger = () => new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: ENTITIES, synchronize: true, logger });
    const main = withLogger();
    const other = withLogger();
    const instrumentation = instrumentDataSource(main, wa.analytics);
    const refusal = () => Object.assign(new Error('UNIQUE constraint failed: customers.email'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const insert = 'INSERT INTO "customers"("email", "name", "age") VALUES (?, ?, ?)';
    // Before initialize() the subscriber does not listen: what initialize() runs is not recorded.
    const beforeInitialize = refusal();
    main.logger.logQueryError(beforeInitialize, insert, [], main.createQueryRunner());
    await main.initialize();
    await other.initialize();

    // What TypeORM 0.3 does for a statement that fails as it runs: the logger hears of it, subscribers do not.
    const afterInitialize = refusal();
    const fromOther = new Error('from the other DataSource');
    main.logger.logQueryError(afterInitialize, insert, [], main.createQueryRunner());
    other.logger.logQueryError(fromOther, insert, [], other.createQueryRunner());
    // TypeORM 1.x tells the logger and then the subscriber, with the same error: recorded once.
    await main.getRepository(Customer).insert({ email: 'a@example.com', name: 'A', age: 30 });
    await expect(main.getRepository(Customer).insert({ email: 'a@example.com', name: 'B', age: 31 })).rejects.toThrow();
    // A statement SQLite refuses to prepare: 1.x tells the logger and the subscriber, 0.3 neither.
    expect(await refusedWith(main.query('SELECT * FROM missing_table'))).toContain('no such table');

    const events = (await wa.events()).filter((e) => e.event !== 'Database Connection');
    expect(events.map((e) => [e.event, e.properties.query_type, e.properties.query_success, e.properties.error_code])).toEqual([
      ['Database Query', 'INSERT', false, 'SQLITE_CONSTRAINT_UNIQUE'],
      ['Backend Error', 'INSERT', undefined, 'SQLITE_CONSTRAINT_UNIQUE'],
      ['Database Query', 'INSERT', true, undefined],
      ['Database Query', 'INSERT', false, 'SQLITE_CONSTRAINT_UNIQUE'],
      ['Backend Error', 'INSERT', undefined, 'SQLITE_CONSTRAINT_UNIQUE'],
      ['Database Query', 'SELECT', false, 'SQLITE_ERROR'],
      ['Backend Error', 'SELECT', undefined, 'SQLITE_ERROR'],
    ]);
    expect(JSON.stringify(events)).not.toContain('a@example.com');
    // The app's logger still logs every failure it is told of.
    expect(logger.errorsLogged.slice(0, 3)).toEqual([beforeInitialize, afterInitialize, fromOther]);
    expect(logger.errorsLogged[3]).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });

    instrumentation.stop();
    expect(Object.hasOwn(logger, 'logQueryError')).toBe(false);
    expect(Object.hasOwn((main.driver as unknown as { databaseConnection: object }).databaseConnection, 'prepare')).toBe(false);
    await main.destroy();
    await other.destroy();
    await wa.analytics.shutdown();
  });

  it("hears a statement SQLite refuses to prepare (which TypeORM 0.3 reports nowhere), rethrows it untouched, and lets go when undone", async () => {
    const dataSource = await memoryDataSource().initialize();
    const heard: Array<[unknown, string, unknown]> = [];
    const undo = onSqlitePrepareFailed(dataSource, (error, query, runner) => heard.push([error, query, runner]));
    const connection = (dataSource.driver as unknown as { databaseConnection: object }).databaseConnection;
    const sql = 'SELECT * FROM missing_table WHERE id = 7';
    const thrown = await dataSource.query(sql).catch((error: unknown) => error);
    expect(heard).toEqual([[(thrown as { driverError?: unknown }).driverError ?? thrown, sql, dataSource.createQueryRunner()]]);
    expect(String((heard[0]![0] as Error).message)).toContain('no such table: missing_table');
    await dataSource.query('SELECT 1');
    expect(heard).toHaveLength(1);

    undo();
    expect(Object.hasOwn(connection, 'prepare')).toBe(false);
    expect(await refusedWith(dataSource.query(sql))).toContain('no such table');
    expect(heard).toHaveLength(1);
    await dataSource.destroy();
  });

  it('does nothing for a disabled analytics instance', async () => {
    const wa = wireAnalytics({ enabled: false });
    const dataSource = memoryDataSource();
    await dataSource.initialize();
    instrumentDataSource(dataSource, wa.analytics);
    expect(dataSource.subscribers).toHaveLength(0);
    expect(Object.hasOwn(dataSource, 'destroy')).toBe(false);
    await dataSource.destroy();
  });

  it('rejects bad options with an AnalyticsConfigError naming them', () => {
    const wa = wireAnalytics();
    expect(() => instrumentDataSource(memoryDataSource(), wa.analytics, { sampleRate: -1 })).toThrow(
      'instrumentDataSource.sampleRate: got number -1, expected a number between 0 and 1',
    );
    return wa.analytics.shutdown();
  });
});

/** A DataSource stand-in, driven the way TypeORM drives one (no server needed for timing, errors and pools). */
function fakeDataSource(type: string, overrides: Record<string, unknown> = {}) {
  return { options: { type }, subscribers: [], isInitialized: false as boolean, driver: {}, initialize: async () => undefined, destroy: async () => undefined, ...overrides };
}

describe('instrumentDataSource timing, failures and pools', () => {
  it("times a failed statement from its own beforeQuery (the oldest note with its SQL on its runner), a successful one by TypeORM's executionTime", async () => {
    const wa = wireAnalytics();
    const { subscriber } = instrumentDataSource(fakeDataSource('postgres', { isInitialized: true }) as unknown as DataSource, wa.analytics);
    let now = 1000;
    const clock = jest.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      const runner = {};
      const other = {};
      const failing = 'INSERT INTO users (email) VALUES ($1)';
      subscriber.beforeQuery({ query: failing, queryRunner: runner }); // 1000
      now = 1100;
      subscriber.beforeQuery({ query: 'SELECT 1 FROM audit', queryRunner: runner }); // 1100, the runner's next statement
      subscriber.beforeQuery({ query: failing, queryRunner: other }); // 1100, on another runner
      now = 1250;
      subscriber.afterQuery({ query: failing, queryRunner: runner, success: false, error: { code: '23505' } });
      subscriber.afterQuery({ query: 'SELECT 1 FROM audit', queryRunner: runner, success: true, executionTime: 7 });
      now = 1400;
      subscriber.afterQuery({ query: failing, queryRunner: other, success: false, error: { code: '23505' } });
    } finally {
      clock.mockRestore();
    }
    const queries = named(await wa.events(), 'Database Query');
    expect(queries.map((e) => [e.properties.query_table, e.properties.query_success, e.properties.query_duration_ms])).toEqual([
      ['users', false, 250],
      ['audit', true, 7],
      ['users', false, 300],
    ]);
    await wa.analytics.shutdown();
  });

  it('gives initialize() and destroy() their own durations (µs precision)', async () => {
    const wa = wireAnalytics();
    let now = 5000;
    const dataSource = fakeDataSource('postgres', {
      initialize: async () => {
        now += 12.3456789;
      },
      destroy: async () => {
        now += 3;
      },
    }) as unknown as DataSource;
    instrumentDataSource(dataSource, wa.analytics);
    const clock = jest.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      await dataSource.initialize();
      now += 1000; // the application runs
      await dataSource.destroy();
    } finally {
      clock.mockRestore();
    }
    expect(named(await wa.events(), 'Database Connection').map((e) => [e.properties.connection_event, e.properties.duration_ms])).toEqual([
      ['initialized', 12.346],
      ['destroyed', 3],
    ]);
    await wa.analytics.shutdown();
  });

  it("records a connection failure's Backend Error with the quoted values of its message removed", async () => {
    const wa = wireAnalytics();
    const refused = Object.assign(new Error(`Access denied for user 'zelda.q7'@'10.9.8.7' to database 'shop' (using password: YES)`), {
      code: 'ER_ACCESS_DENIED_ERROR',
    });
    const dataSource = fakeDataSource('mysql', {
      initialize: async () => {
        throw refused;
      },
    }) as unknown as DataSource;
    instrumentDataSource(dataSource, wa.analytics);
    await expect(dataSource.initialize()).rejects.toBe(refused);
    expect(named(await wa.events(), 'Backend Error').map((e) => e.properties)).toEqual([
      expect.objectContaining({
        error_source: 'database',
        error_code: 'ER_ACCESS_DENIED_ERROR',
        error_message: `Access denied for user '?'@'?' to database 'shop' (using password: YES)`,
      }),
    ]);
    expect(await wa.payload()).not.toMatch(/zelda|10\.9\.8\.7/);
    await wa.analytics.shutdown();
  });

  it('records a destroy() that fails as a connection error, not as destroyed, and rethrows its error', async () => {
    const wa = wireAnalytics();
    const failure = Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
    const dataSource = fakeDataSource('postgres', {
      isInitialized: true,
      destroy: async () => {
        throw failure;
      },
    }) as unknown as DataSource;
    instrumentDataSource(dataSource, wa.analytics);
    await expect(dataSource.destroy()).rejects.toBe(failure);
    expect((await wa.events()).map((e) => [e.event, e.properties.connection_event, e.properties.error_code])).toEqual([
      ['Database Connection', 'initialized', undefined],
      ['Database Connection', 'error', 'ECONNRESET'],
      ['Backend Error', undefined, 'ECONNRESET'],
    ]);
    await wa.analytics.shutdown();
  });

  it("rethrows initialize()'s own error even when nothing can be read from it, and records the failure", async () => {
    const wa = wireAnalytics();
    const throwing = (key: string) => ({
      get: () => {
        throw new Error(`unreadable ${key}`);
      },
    });
    const unreadable = Object.defineProperties({}, Object.fromEntries(['code', 'name', 'message', 'stack'].map((key) => [key, throwing(key)])));
    const dataSource = fakeDataSource('postgres', { initialize: async () => Promise.reject(unreadable) }) as unknown as DataSource;
    instrumentDataSource(dataSource, wa.analytics, { name: 'main' });
    const thrown = await dataSource.initialize().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown === unreadable).toBe(true);
    const events = await wa.events();
    expect(events.map((e) => [e.event, e.properties.data_source, e.properties.success ?? e.properties.error_message])).toEqual([
      ['Database Connection', 'main', false],
      ['Backend Error', 'main', 'connection failed'],
    ]);
    await wa.analytics.shutdown();
  });

  it("adds a PostgreSQL pool's figures to System Performance while initialised, and no longer once stopped", async () => {
    const wa = wireAnalytics({ system: { intervalMs: 3_600_000 } });
    const pool = { totalCount: 4, idleCount: 1, waitingCount: 2, on: () => pool, off: () => pool };
    const dataSource = fakeDataSource('postgres', { isInitialized: true, driver: { master: pool } });
    const instrumentation = instrumentDataSource(dataSource as unknown as DataSource, wa.analytics);
    const sampler = wa.analytics.core.features.attached<SystemSampler>(SystemSampler)!;
    sampler.record();
    dataSource.isInitialized = false; // destroyed: its ended pool is no figure of the app's
    sampler.record();
    dataSource.isInitialized = true;
    instrumentation.stop();
    sampler.record();
    const samples = named(await wa.events(), 'System Performance');
    expect(samples.map((e) => [e.properties.db_pool_total, e.properties.db_pool_idle, e.properties.db_pool_waiting])).toEqual([
      [4, 1, 2],
      [undefined, undefined, undefined],
      [undefined, undefined, undefined],
    ]);
    await wa.analytics.shutdown();
  });

  it('records an error of the PostgreSQL pool (an idle connection broken) as a connection error, and stops listening when stopped', async () => {
    const wa = wireAnalytics();
    const pool = Object.assign(new EventEmitter(), { totalCount: 1, idleCount: 1, waitingCount: 0 });
    const instrumentation = instrumentDataSource(fakeDataSource('postgres', { isInitialized: true, driver: { master: pool } }) as unknown as DataSource, wa.analytics, {
      name: 'main',
    });
    pool.emit('error', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    instrumentation.stop();
    expect(pool.listenerCount('error')).toBe(0);
    expect((await wa.events()).map((e) => [e.event, e.properties.connection_event, e.properties.error_code, e.properties.data_source])).toEqual([
      ['Database Connection', 'initialized', undefined, 'main'],
      ['Database Connection', 'error', '57P01', 'main'],
      ['Backend Error', undefined, '57P01', 'main'],
    ]);
    await wa.analytics.shutdown();
  });

  it('keeps the other instance recording when one of two instances on the same DataSource stops, whichever stops first', async () => {
    const story = async (events: Promise<AnalyticsEvent[]>) =>
      (await events).map((e) => (e.event === 'Database Connection' ? e.properties.connection_event : e.properties.query_type));
    for (const stopsFirst of ['outer', 'inner'] as const) {
      const inner = wireAnalytics();
      const outer = wireAnalytics();
      const dataSource = memoryDataSource();
      instrumentDataSource(dataSource, inner.analytics); // wraps the prototype's initialize/destroy
      instrumentDataSource(dataSource, outer.analytics); // wraps inner's
      const [stopped, kept] = stopsFirst === 'outer' ? [outer, inner] : [inner, outer];
      await stopped.analytics.shutdown();
      await dataSource.initialize();
      await dataSource.getRepository(Customer).count();
      await dataSource.destroy();
      expect({ stopsFirst, events: await story(kept.events()) }).toEqual({ stopsFirst, events: ['initialized', 'SELECT', 'destroyed'] });
      expect({ stopsFirst, events: stopped.wire.length, dropped: stopped.analytics.stats().dropped }).toEqual({ stopsFirst, events: 0, dropped: {} });
      await kept.analytics.shutdown();
    }
  });
});

describe('query fingerprints by the DataSource dialect', () => {
  it('sends no literal of statements whose quotes were misread, end to end on SQLite', async () => {
    const wa = wireAnalytics();
    const dataSource = await memoryDataSource().initialize();
    instrumentDataSource(dataSource, wa.analytics);
    // An e-mail rule that ran before the quotes were read swallowed the opening quote of '@example.com'.
    await dataSource.query("UPDATE customers SET email = name||'@example.com', name = 'hunter2 correct horse' WHERE id = 5");
    // SQLite has no backslash escapes: 'C:\' is a whole string.
    await dataSource.query("SELECT id FROM customers WHERE name = 'C:\\' AND email = 'abc123 secret words'");
    // SQLite may read "..." as a string; better-sqlite3 reads these as names and fails, and a failed query is always recorded.
    await dataSource.query('SELECT id FROM customers WHERE age BETWEEN "LEAK66" AND "LEAK67" OR name GLOB "LEAK68"').catch(() => undefined);
    const queries = named(await wa.events(), 'Database Query');
    expect(queries.map((e) => e.properties.query_fingerprint)).toEqual([
      'UPDATE customers SET email = name || ?, name = ? WHERE id = ?',
      'SELECT id FROM customers WHERE name = ? AND email = ?',
      'SELECT id FROM customers WHERE age BETWEEN ? AND ? OR name GLOB ?',
    ]);
    expect(JSON.stringify(queries)).not.toMatch(/hunter2|horse|abc123|secret|LEAK/);
    await wa.analytics.shutdown();
    await dataSource.destroy();
  });

  it("reads a MySQL DataSource's statements by MySQL's rules", async () => {
    const wa = wireAnalytics();
    // No MySQL server here: the subscriber is driven the way TypeORM drives it.
    const dataSource = { options: { type: 'mariadb' }, subscribers: [], isInitialized: true, driver: {}, initialize: async () => undefined, destroy: async () => undefined };
    const { subscriber } = instrumentDataSource(dataSource as unknown as DataSource, wa.analytics);
    subscriber.afterQuery({ query: 'SELECT id FROM users WHERE password = MD5("hunter2") # customer LEAK note', success: true, executionTime: 1, queryRunner: {} });
    const queries = named(await wa.events(), 'Database Query');
    expect(queries.map((e) => e.properties.query_fingerprint)).toEqual(['SELECT id FROM users WHERE password = ? (?)']);
    expect(await wa.payload()).not.toMatch(/hunter2|LEAK/);
    await wa.analytics.shutdown();
  });

  it.each([
    ['mysql', 'mysql'],
    ['aurora-mysql', 'mysql'],
    ['cockroachdb', 'postgres'],
    ['better-sqlite3', 'sqlite'],
    ['react-native', 'sqlite'],
    ['mssql', 'mssql'],
    ['oracle', 'unknown'],
    ['toString', 'unknown'],
    [undefined, 'unknown'],
  ])('maps options.type %j to the %s dialect', (type, dialect) => {
    expect(typeOrmDialect(type)).toBe(dialect);
  });
});
