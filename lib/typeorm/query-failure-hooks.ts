import type { DataSource } from 'typeorm';
import { replaceOwn } from './replace-own.js';

/** Hears a failed statement: the driver's error, its SQL and the query runner that ran it. */
export type QueryErrorListener = (error: unknown, query: string, queryRunner: object) => void;

type LogQueryError = (error: unknown, query: unknown, parameters?: unknown, queryRunner?: unknown) => unknown;
type Prepare = (sql: unknown) => unknown;

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
  let active = true;
  const undo = replaceOwn(logger, 'logQueryError', function logQueryError(this: unknown, ...args: Parameters<LogQueryError>) {
    const [error, query, , queryRunner] = args;
    if (active && ranOn(dataSource, queryRunner)) listener(error, typeof query === 'string' ? query : '', queryRunner);
    return original.apply(this, args);
  });
  return () => {
    active = false;
    undo();
  };
}

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
  let active = true;
  // better-sqlite3's prepare takes the SQL alone; no rest array is built on this per-query path.
  const undo = replaceOwn(connection, 'prepare', function prepare(this: unknown, sql: unknown) {
    try {
      return original.call(this, sql);
    } catch (error) {
      const runner = driver.queryRunner;
      if (active && runner) listener(error, typeof sql === 'string' ? sql : '', runner);
      throw error;
    }
  });
  return () => {
    active = false;
    undo();
  };
}

/** TypeORM 1.x names a runner's DataSource `dataSource`, 0.3 `connection`. */
function ranOn(dataSource: DataSource, queryRunner: unknown): queryRunner is object {
  if (typeof queryRunner !== 'object' || queryRunner === null) return false;
  const runner = queryRunner as { dataSource?: unknown; connection?: unknown };
  return (runner.dataSource ?? runner.connection) === dataSource;
}
