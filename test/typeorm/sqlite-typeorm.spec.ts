import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import type { AnalyticsEvent } from '../../lib/events/analytics-event.interface.js';
import { instrumentDataSource } from '../../lib/typeorm/index.js';
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
    await expect(reports.query('SELECT * FROM missing_table')).rejects.toThrow();
    const events = (await wa.events()).filter((e) => e.event !== 'Database Connection');
    expect(events.map((e) => [e.event, e.properties.data_source])).toEqual([
      ['Database Query', 'reports'],
      ['Database Query', 'default'],
      ['Database Query', 'reports'],
      ['Backend Error', 'reports'],
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
