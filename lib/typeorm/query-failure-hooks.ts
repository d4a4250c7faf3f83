import type { DataSource } from 'typeorm';

/** Hears a failed statement: the driver's error, its SQL and the query runner that ran it. */
export type QueryErrorListener = (error: unknown, query: string, queryRunner: object) => void;

type LogQueryError = (error: unknown, query: unknown, parameters?: unknown, queryRunner?: unknown) => unknown;

/**
 * TypeORM 0.3's better-sqlite3 driver reports a statement that fails as it runs (a constraint
 * violation, a busy database) to the DataSource's logger only, never to subscribers. This wraps
 * `logQueryError` on that logger instance (never its class) and passes on the failures of this
 * DataSource's own runners: an app may give one logger to several DataSources. The returned
 * function undoes it, or leaves a pass-through if another wrapper was installed on top.
 */
export function onQueryErrorLogged(dataSource: DataSource, listener: QueryErrorListener): () => void {
  const logger = dataSource.logger as unknown as { logQueryError?: LogQueryError } | undefined;
  const original = logger?.logQueryError;
  if (!logger || typeof original !== 'function') return () => undefined;
  const ownBefore = Object.hasOwn(logger, 'logQueryError');
  let active = true;
  const wrapped: LogQueryError = function logQueryError(this: unknown, ...args) {
    const [error, query, , queryRunner] = args;
    if (active && ranOn(dataSource, queryRunner)) listener(error, typeof query === 'string' ? query : '', queryRunner);
    return original.apply(this, args);
  };
  try {
    logger.logQueryError = wrapped;
  } catch {
    // A frozen logger: failures TypeORM tells subscribers about are still recorded.
    return () => undefined;
  }
  return () => {
    active = false;
    if (logger.logQueryError !== wrapped) return;
    if (ownBefore) logger.logQueryError = original;
    else delete logger.logQueryError;
  };
}

/** TypeORM 1.x names a runner's DataSource `dataSource`, 0.3 `connection`. */
function ranOn(dataSource: DataSource, queryRunner: unknown): queryRunner is object {
  if (typeof queryRunner !== 'object' || queryRunner === null) return false;
  const runner = queryRunner as { dataSource?: unknown; connection?: unknown };
  return (runner.dataSource ?? runner.connection) === dataSource;
}

type Prepare = (sql: unknown) => unknown;

/**
 * TypeORM 0.3's better-sqlite3 runner prepares each statement before its error handling, so one
 * SQLite refuses to prepare (a syntax error, a missing table or column) reaches neither
 * subscribers nor the logger. This wraps `prepare` on the DataSource's open better-sqlite3
 * connection (that instance only) and passes on what it throws, as run by the driver's one
 * query runner; the error itself is rethrown untouched. TypeORM 1.x reports the same error
 * afterwards, and the subscriber records it once. Call once the DataSource is initialised; the
 * returned function undoes it.
 */
export function onSqlitePrepareFailed(dataSource: DataSource, listener: QueryErrorListener): () => void {
  if (dataSource.options?.type !== 'better-sqlite3') return () => undefined;
  const driver = dataSource.driver as unknown as { databaseConnection?: { prepare?: Prepare }; queryRunner?: object } | undefined;
  const connection = driver?.databaseConnection;
  const original = connection?.prepare;
  if (!connection || typeof original !== 'function') return () => undefined;
  const ownBefore = Object.hasOwn(connection, 'prepare');
  let active = true;
  // better-sqlite3's prepare takes the SQL alone; no rest array is built on this per-query path.
  const wrapped: Prepare = function prepare(this: unknown, sql) {
    try {
      return original.call(this, sql);
    } catch (error) {
      const runner = driver.queryRunner;
      if (active && runner) listener(error, typeof sql === 'string' ? sql : '', runner);
      throw error;
    }
  };
  try {
    connection.prepare = wrapped;
  } catch {
    return () => undefined;
  }
  return () => {
    active = false;
    if (connection.prepare !== wrapped) return;
    if (ownBefore) connection.prepare = original;
    else delete connection.prepare;
  };
}
