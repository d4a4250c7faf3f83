import { DataSource, type DataSourceOptions, type Logger } from 'typeorm';
import type { AnalyticsEvent } from '../../lib/events/analytics-event.interface.js';
import { instrumentDataSource } from '../../lib/typeorm/index.js';
import { wireAnalytics, type WireAnalytics } from '../instrumentation/wire-analytics.js';
import { Customer, ENTITIES, Invoice } from './entities.js';

/** How the shared TypeORM acceptance tests reach one kind of database. */
export interface TypeOrmHarness {
  /** Connection options of a new, empty database (entities and synchronize are added here). */
  freshOptions(): Promise<DataSourceOptions>;
  /** The driver's placeholder for the i-th (1-based) parameter of a raw query. */
  placeholder(i: number): string;
  /** The SQLSTATE / driver code of a unique violation. */
  uniqueViolationCode: string;
  /** The code of a statement on a table that does not exist, where the driver streams results (not SQLite). */
  streams?: { missingTableCode: string };
}

/** Values that must never leave the process: each is distinctive enough not to appear by chance. */
export const SECRETS = {
  email: 'zelda.q7@hyrule-secret.example',
  name: 'Zelda Quokka-9931',
  age: 7351937,
  otherEmail: 'link.k2@koholint-secret.example',
  otherName: 'Link Kestrel-4418',
  otherAge: 6128374,
  total: 9182736,
};
const FORBIDDEN = [
  ...Object.values(SECRETS).map(String),
  'hyrule-secret',
  'koholint-secret',
  'zelda.q7',
  'Quokka',
  'Kestrel',
];
const TRANSACTION_CONTROL = new Set(['BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']);

/** Records the SQL of every statement TypeORM runs, whoever asked for it. */
export class StatementLog implements Logger {
  readonly statements: string[] = [];
  logQuery(query: string): void {
    this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

export async function openDataSource(h: TypeOrmHarness, extra: Partial<DataSourceOptions> = {}): Promise<DataSource> {
  const dataSource = new DataSource({ ...(await h.freshOptions()), entities: ENTITIES, synchronize: true, ...extra } as DataSourceOptions);
  await dataSource.initialize();
  return dataSource;
}

const dbQueries = (events: AnalyticsEvent[]) => events.filter((e) => e.event === 'Database Query');
const dataStatements = (events: AnalyticsEvent[]) =>
  dbQueries(events)
    .filter((e) => !TRANSACTION_CONTROL.has(e.properties.query_type as string))
    .map((e) => ({ type: e.properties.query_type, table: e.properties.query_table }));
const types = (events: AnalyticsEvent[]) => dbQueries(events).map((e) => e.properties.query_type);

/** A realistic mix: repositories, query builder, raw SQL with literals and with parameters, a transaction. */
export async function workload(dataSource: DataSource, h: TypeOrmHarness): Promise<void> {
  const customers = dataSource.getRepository(Customer);
  const saved = await customers.save({ email: SECRETS.email, name: SECRETS.name, age: SECRETS.age });
  await customers.findOneBy({ email: SECRETS.email });
  await customers.update({ email: SECRETS.email }, { name: SECRETS.otherName });
  await dataSource.getRepository(Invoice).insert({ customerId: saved.id, totalCents: SECRETS.total });
  await customers.createQueryBuilder('c').where('c.age >= :age', { age: SECRETS.age }).getMany();
  await dataSource.query(`SELECT id FROM customers WHERE name = '${SECRETS.otherName}' AND age IN (${SECRETS.age}, ${SECRETS.otherAge})`);
  await dataSource.query(`UPDATE customers SET age = ${h.placeholder(1)} WHERE email = ${h.placeholder(2)}`, [SECRETS.otherAge, SECRETS.email]);
  await dataSource.transaction(async (manager) => {
    await manager.save(Customer, { email: SECRETS.otherEmail, name: SECRETS.name, age: SECRETS.otherAge });
    await manager.delete(Invoice, { totalCents: SECRETS.total });
  });
  await customers.save({ email: SECRETS.email, name: SECRETS.name, age: 1 }).catch(() => undefined);
  await customers.delete({ email: SECRETS.otherEmail });
}

export function describeTypeOrmAcceptance(label: string, h: TypeOrmHarness): void {
  describe(`TypeORM query subscriber on ${label}`, () => {
    let dataSource: DataSource;
    let wa: WireAnalytics;
    /** Events produced by `run` alone. */
    const during = async (run: () => Promise<unknown>): Promise<AnalyticsEvent[]> => {
      await wa.clear();
      await run();
      return wa.events();
    };

    beforeEach(async () => {
      dataSource = await openDataSource(h);
      wa = wireAnalytics();
      instrumentDataSource(dataSource, wa.analytics);
    });
    afterEach(async () => {
      await wa.analytics.shutdown();
      if (dataSource.isInitialized) await dataSource.destroy();
    });

    it('records repository INSERT, SELECT, UPDATE and DELETE with type, table, duration and success', async () => {
      const customers = dataSource.getRepository(Customer);
      const insert = await during(() => customers.save({ email: SECRETS.email, name: SECRETS.name, age: SECRETS.age }));
      expect(dataStatements(insert)).toEqual([{ type: 'INSERT', table: 'customers' }]);
      // save() wraps its INSERT in a transaction: the control statements are recorded, classified.
      expect(types(insert)).toEqual(['BEGIN', 'INSERT', 'COMMIT']);

      const select = await during(() => customers.findOneBy({ email: SECRETS.email }));
      expect(dataStatements(select)).toEqual([{ type: 'SELECT', table: 'customers' }]);
      const update = await during(() => customers.update({ email: SECRETS.email }, { name: SECRETS.otherName }));
      expect(dataStatements(update)).toEqual([{ type: 'UPDATE', table: 'customers' }]);
      const remove = await during(() => customers.delete({ email: SECRETS.email }));
      expect(dataStatements(remove)).toEqual([{ type: 'DELETE', table: 'customers' }]);

      for (const event of [...insert, ...select, ...update, ...remove]) {
        expect(event.JITSU_TABLE_NAME).toBe('database_events');
        expect(event.properties).toMatchObject({ event_category: 'backend', event_action: 'database_query', query_success: true });
        expect(typeof event.properties.query_duration_ms).toBe('number');
        expect(event.properties.query_duration_ms as number).toBeGreaterThanOrEqual(0);
        expect(event.properties.query_fingerprint).toEqual(expect.any(String));
      }
      // An identifier as the dialect quotes it: "email", or `email` on MySQL and MariaDB.
      expect(select[0].properties.query_fingerprint).toMatch(/(["`])email\1 = \?/);
    });

    it('records query-builder statements with their parameters removed', async () => {
      const events = await during(async () => {
        await dataSource.getRepository(Customer).createQueryBuilder('c').where('c.age >= :age', { age: SECRETS.age }).getMany();
        await dataSource.createQueryBuilder().update(Customer).set({ age: SECRETS.otherAge }).where('email = :email', { email: SECRETS.email }).execute();
      });
      expect(dataStatements(events)).toEqual([
        { type: 'SELECT', table: 'customers' },
        { type: 'UPDATE', table: 'customers' },
      ]);
      for (const event of events) expect(event.properties.query_fingerprint).toContain('?');
    });

    it('fingerprints raw query() SQL: inline literals become ?, IN lists collapse', async () => {
      const [literal, parameterised] = await during(async () => {
        await dataSource.query(`SELECT id FROM customers WHERE name = '${SECRETS.name}' AND age IN (${SECRETS.age}, ${SECRETS.otherAge}, 3)`);
        await dataSource.query(`UPDATE customers SET age = ${h.placeholder(1)} WHERE email = ${h.placeholder(2)}`, [SECRETS.age, SECRETS.email]);
      });
      expect(literal.properties).toMatchObject({
        query_type: 'SELECT',
        query_table: 'customers',
        query_fingerprint: 'SELECT id FROM customers WHERE name = ? AND age IN (?)',
      });
      expect(parameterised.properties).toMatchObject({
        query_type: 'UPDATE',
        query_table: 'customers',
        query_fingerprint: 'UPDATE customers SET age = ? WHERE email = ?',
      });
    });

    it('records a constraint violation as a failed query with its code, plus a Backend Error, and rethrows it untouched', async () => {
      const customers = dataSource.getRepository(Customer);
      await customers.save({ email: SECRETS.email, name: SECRETS.name, age: SECRETS.age });
      let thrown: unknown;
      const events = await during(() => customers.save({ email: SECRETS.email, name: SECRETS.otherName, age: 2 }).catch((e) => (thrown = e)));
      expect((thrown as Error).name).toBe('QueryFailedError');

      expect(types(events)).toEqual(['BEGIN', 'INSERT', 'ROLLBACK']);
      const failed = dbQueries(events)[1];
      expect(failed.properties).toMatchObject({ query_success: false, query_table: 'customers', error_code: h.uniqueViolationCode });
      expect(failed.properties.query_duration_ms as number).toBeGreaterThanOrEqual(0);
      const errors = events.filter((e) => e.event === 'Backend Error');
      expect(errors).toHaveLength(1);
      expect(errors[0].JITSU_TABLE_NAME).toBe('backend_error_events');
      expect(errors[0].properties).toMatchObject({ error_source: 'database', error_code: h.uniqueViolationCode, query_table: 'customers' });
      expect(errors[0].properties.error_message).toEqual(expect.any(String));
    });

    it('records a committed and a rolled-back transaction with their control statements classified', async () => {
      const committed = await during(() =>
        dataSource.transaction(async (manager) => {
          await manager.insert(Customer, { email: SECRETS.email, name: SECRETS.name, age: SECRETS.age });
          await manager.update(Customer, { email: SECRETS.email }, { age: SECRETS.otherAge });
        }),
      );
      expect(types(committed)).toEqual(['BEGIN', 'INSERT', 'UPDATE', 'COMMIT']);
      expect(dbQueries(committed).every((e) => e.properties.query_success === true)).toBe(true);

      const failure = new Error('business rule says no');
      const rolledBack = await during(() =>
        dataSource
          .transaction(async (manager) => {
            await manager.delete(Customer, { email: SECRETS.email });
            throw failure;
          })
          .catch((e: unknown) => expect(e).toBe(failure)),
      );
      expect(types(rolledBack)).toEqual(['BEGIN', 'DELETE', 'ROLLBACK']);
      expect(await dataSource.getRepository(Customer).countBy({ email: SECRETS.email })).toBe(1);
    });

    // Only drivers that stream (PostgreSQL, MySQL/MariaDB; not SQLite) have these statements.
    const { streams } = h;
    if (streams) {
      it("records a streamed statement (QueryBuilder.stream()), which reaches no subscriber, until its stream is read to the end", async () => {
        const customers = dataSource.getRepository(Customer);
        await customers.insert([
          { email: SECRETS.email, name: SECRETS.name, age: SECRETS.age },
          { email: SECRETS.otherEmail, name: SECRETS.otherName, age: SECRETS.otherAge },
        ]);
        const READ_PAUSE_MS = 50;
        let rows = 0;
        // Inside a request: the statement belongs to it, though its rows arrive on a connection opened before.
        const events = await during(() =>
          wa.analytics.core.requestContext.run({ requestId: 'req-streamed-1' }, async () => {
            const stream = await customers.createQueryBuilder('c').where('c.age >= :age', { age: SECRETS.otherAge }).stream();
            stream.pause();
            await new Promise((resolve) => setTimeout(resolve, READ_PAUSE_MS));
            for await (const row of stream) rows += row ? 1 : 0;
          }),
        );
        expect(rows).toBe(2);
        expect(dataStatements(events)).toEqual([{ type: 'SELECT', table: 'customers' }]);
        expect(dbQueries(events)[0].properties).toMatchObject({
          query_success: true,
          query_fingerprint: expect.stringContaining('>= ?'),
          request_id: 'req-streamed-1',
        });
        expect(dbQueries(events)[0].properties.query_duration_ms as number).toBeGreaterThanOrEqual(READ_PAUSE_MS - 5);
        expect(await wa.payload()).not.toContain(String(SECRETS.otherAge));
      });

      it('records a streamed statement that fails, with a Backend Error, and one its reader closes early once', async () => {
        const runner = dataSource.createQueryRunner();
        let failure: unknown;
        const failed = await during(async () => {
          const stream = await runner.stream('SELECT * FROM no_such_table_here');
          await new Promise<void>((resolve) => {
            stream.on('error', (error) => (failure = error));
            stream.on('close', resolve);
            stream.resume();
          });
        });
        expect(failure).toMatchObject({ code: streams.missingTableCode });
        expect(dbQueries(failed).map((e) => [e.properties.query_success, e.properties.error_code])).toEqual([[false, streams.missingTableCode]]);
        expect(failed.filter((e) => e.event === 'Backend Error').map((e) => e.properties.error_source)).toEqual(['database']);

        await dataSource.getRepository(Customer).insert({ email: SECRETS.email, name: SECRETS.name, age: SECRETS.age });
        const closed = await during(async () => {
          const stream = await runner.stream('SELECT * FROM customers');
          await new Promise<void>((resolve) => {
            stream.once('data', () => stream.destroy());
            stream.on('close', () => resolve());
          });
        });
        expect(dbQueries(closed).map((e) => e.properties.query_success)).toEqual([true]);
        await runner.release();
      });
    } else {
      it('leaves a driver without streams to refuse stream() as it does, recording nothing', async () => {
        const runner = dataSource.createQueryRunner();
        const events = await during(async () => {
          await expect(Promise.resolve().then(() => runner.stream('SELECT * FROM customers'))).rejects.toThrow(/not supported/i);
        });
        expect(events).toEqual([]);
      });
    }

    it('never puts a literal value of the data into the wire payload', async () => {
      await wa.clear();
      await workload(dataSource, h);
      const payload = await wa.payload();
      expect(dbQueries(await wa.events()).length).toBeGreaterThan(15);
      // messageId and timestamps are random or time-based digits: they are not the data under test.
      const data = payload.replace(/"(messageId|timestamp)":"[^"]*"/g, '');
      for (const value of FORBIDDEN) expect({ value, found: data.includes(value) }).toEqual({ value, found: false });
    });

    it('adds no statement of its own: an instrumented DataSource runs exactly what an uninstrumented one runs', async () => {
      const plainLog = new StatementLog();
      const instrumentedLog = new StatementLog();
      const plain = await openDataSource(h, { logger: plainLog, logging: true });
      const instrumented = await openDataSource(h, { logger: instrumentedLog, logging: true });
      try {
        instrumentDataSource(instrumented, wa.analytics);
        plainLog.statements.length = 0;
        instrumentedLog.statements.length = 0;
        await wa.clear();
        await workload(plain, h);
        await workload(instrumented, h);
        expect(instrumentedLog.statements).toEqual(plainLog.statements);
        // ...and each of those statements was recorded exactly once.
        const recorded = dbQueries(await wa.events());
        expect(recorded).toHaveLength(instrumentedLog.statements.length);
      } finally {
        await plain.destroy();
        await instrumented.destroy();
      }
    });

    it('leaves a DataSource that was not instrumented alone (e.g. one that stores analytics)', async () => {
      const other = await openDataSource(h);
      try {
        const events = await during(() => workload(other, h));
        expect(events).toEqual([]);
        expect(other.subscribers).toHaveLength(0);
      } finally {
        await other.destroy();
      }
    });

    it('stop() removes the subscriber: later queries are not recorded', async () => {
      const instrumentation = instrumentDataSource(dataSource, wa.analytics);
      expect(dataSource.subscribers).toContain(instrumentation.subscriber);
      instrumentation.stop();
      expect(dataSource.subscribers).not.toContain(instrumentation.subscriber);
      expect(await during(() => dataSource.getRepository(Customer).find())).toEqual([]);
    });

    it('analytics shutdown detaches the subscriber instead of counting every later query as dropped', async () => {
      await wa.analytics.shutdown();
      expect(dataSource.subscribers).toHaveLength(0);
      await dataSource.getRepository(Customer).find();
      expect(wa.analytics.stats().dropped).toEqual({});
    });
  });
}
