import type { DataSource } from 'typeorm';
import type { AnalyticsCore } from '../analytics-core.js';
import type { AnalyticsService } from '../analytics.service.js';
import { type ConnectionEventType, type ConnectionFacts, recordConnectionEvent } from '../instrumentation/connection-events.js';
import { type DatabaseOptions, resolveDatabaseOptions } from '../instrumentation/database-options.js';
import { QueryRecorder } from '../instrumentation/query-recorder.js';
import { SystemSampler } from '../instrumentation/system-sampler.js';
import { AnalyticsQuerySubscriber } from './analytics-query.subscriber.js';
import { eventPool, poolFigures } from './pool-gauge.js';
import { onQueryErrorLogged, onSqlitePrepareFailed } from './query-failure-hooks.js';
import { onQueryStreamed } from './query-stream-hooks.js';
import { typeOrmDialect } from './typeorm-dialect.js';

export interface InstrumentDataSourceOptions extends DatabaseOptions {
  /** How events name this DataSource (`data_source`). Default 'default'. */
  name?: string;
}

/** One instrumented DataSource; `stop()` removes everything that was added to it. */
export interface DataSourceInstrumentation {
  readonly dataSource: DataSource;
  readonly subscriber: AnalyticsQuerySubscriber;
  stop(): void;
}

type Lifecycle = Pick<DataSource, 'initialize' | 'destroy'>;

/**
 * Records every query `dataSource` runs (`Database Query`, plus `Backend Error` on failure) and
 * its connection events (`Database Connection`: initialised, destroyed, connection errors), and
 * adds its PostgreSQL pool figures to the System Performance event. Call it before or after
 * `initialize()`; the queries `initialize()` itself runs (synchronize, migrations) are not
 * recorded, since TypeORM replaces `subscribers` there. Instrumenting the same DataSource again
 * for the same analytics instance replaces the earlier instrumentation. Throws
 * `AnalyticsConfigError` on bad options.
 *
 * TypeORM APIs relied on (present in 0.3.23+ and 1.x): `dataSource.subscribers` (the array the
 * broadcaster reads on every query), `beforeQuery`/`afterQuery` of `EntitySubscriberInterface`,
 * `logger.logQueryError`, `createQueryRunner()` and its runners' `stream()` (streamed statements
 * reach no subscriber), and, for better-sqlite3, `driver.databaseConnection.prepare` and
 * `driver.queryRunner` (0.3's better-sqlite3 driver tells subscribers of no failure),
 * `isInitialized`, `options.type`, `initialize()`/`destroy()`, and `driver.master` (the `pg.Pool`).
 * `initialize()` replaces `subscribers` with the ones in the DataSource options, and neither
 * version has a hook for initialise/destroy, so those two methods are wrapped on this instance
 * only (never on the prototype) and restored by `stop()`, as are `logQueryError`, `prepare` and
 * `createQueryRunner`.
 */
export function instrumentDataSource(
  dataSource: DataSource,
  analytics: AnalyticsService | AnalyticsCore,
  options: InstrumentDataSourceOptions = {},
): DataSourceInstrumentation {
  const core = 'core' in analytics ? analytics.core : analytics;
  const { name, ...database } = options;
  const resolved = resolveDatabaseOptions(core.options.raw.database, database, 'instrumentDataSource');
  const dataSourceName = name ?? 'default';
  // The recorder caches fingerprints per statement, so it serves this DataSource's dialect only.
  const recorder = new QueryRecorder(core, resolved, typeOrmDialect(dataSource.options?.type), Math.random, dataSourceName);
  const subscriber = new AnalyticsQuerySubscriber(recorder);
  core.features.attached<DataSourceInstrumentation>(dataSource)?.stop();
  if (!core.enabled) return { dataSource, subscriber, stop: () => undefined };

  const facts: ConnectionFacts = { dataSource: dataSourceName, dbType: String(dataSource.options?.type ?? 'unknown') };
  const connection = (type: ConnectionEventType, detail?: { durationMs?: number; error?: unknown }) =>
    recordConnectionEvent(core, facts, type, detail);
  const onPoolError = (error: Error) => connection('error', { error });
  let listenedPool: ReturnType<typeof eventPool>;
  // Failures TypeORM 0.3 tells subscribers nothing of, recorded only while the subscriber listens:
  // the statements of initialize() itself are not recorded.
  const unreported = (error: unknown, query: string, runner: object) => {
    if (dataSource.subscribers.includes(subscriber)) subscriber.queryFailed(error, query, runner);
  };
  let unhookPrepare: (() => void) | undefined;

  const attach = () => {
    if (!dataSource.subscribers.includes(subscriber)) dataSource.subscribers.push(subscriber);
    // initialize() opened a new connection.
    unhookPrepare?.();
    unhookPrepare = onSqlitePrepareFailed(dataSource, unreported);
    const pool = eventPool(dataSource);
    if (pool !== listenedPool) {
      listenedPool?.off('error', onPoolError);
      pool?.on('error', onPoolError);
      listenedPool = pool;
    }
  };
  const detachSubscriber = () => {
    const index = dataSource.subscribers.indexOf(subscriber);
    if (index !== -1) dataSource.subscribers.splice(index, 1);
  };

  const original: Lifecycle = { initialize: dataSource.initialize, destroy: dataSource.destroy };
  const ownBefore = { initialize: Object.hasOwn(dataSource, 'initialize'), destroy: Object.hasOwn(dataSource, 'destroy') };
  // Another wrapper may be installed on top of ours; once stopped, ours only passes calls through.
  let active = true;
  const wrapped: Lifecycle = {
    initialize: async function initialize(this: DataSource) {
      if (!active) return original.initialize.call(this);
      const started = performance.now();
      try {
        const result = await original.initialize.call(this);
        attach();
        connection('initialized', { durationMs: performance.now() - started });
        return result;
      } catch (error) {
        connection('error', { error });
        throw error;
      }
    },
    destroy: async function destroy(this: DataSource) {
      if (!active) return original.destroy.call(this);
      const started = performance.now();
      try {
        await original.destroy.call(this);
      } catch (error) {
        connection('error', { error });
        throw error;
      }
      connection('destroyed', { durationMs: performance.now() - started });
    },
  };
  Object.assign(dataSource, wrapped);

  if (dataSource.isInitialized) {
    attach();
    // Under Nest the DataSource was initialised before any module could see it: this is that moment, reported late.
    connection('initialized');
  }
  const removeGauge = core.features.attached<SystemSampler>(SystemSampler)?.addGauge(() => poolFigures(dataSource));
  const unhookErrorLog = onQueryErrorLogged(dataSource, unreported);
  const unhookStreams = onQueryStreamed(dataSource, (query, durationMs, error) => {
    if (dataSource.subscribers.includes(subscriber)) subscriber.queryStreamed(query, durationMs, error);
  });

  const instrumentation: DataSourceInstrumentation = {
    dataSource,
    subscriber,
    stop: () => {
      active = false;
      detachSubscriber();
      listenedPool?.off('error', onPoolError);
      listenedPool = undefined;
      removeGauge?.();
      unhookErrorLog();
      unhookStreams();
      unhookPrepare?.();
      for (const key of ['initialize', 'destroy'] as const) {
        if (dataSource[key] !== wrapped[key]) continue;
        if (ownBefore[key]) Object.assign(dataSource, { [key]: original[key] });
        else delete (dataSource as Partial<Lifecycle>)[key];
      }
      core.features.detach(dataSource, instrumentation);
    },
  };
  return core.features.attach(dataSource, instrumentation);
}
