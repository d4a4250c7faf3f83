import { AsyncResource } from 'node:async_hooks';
import type { DataSource } from 'typeorm';
import { isReadableStream, onStreamOver } from '../instrumentation/stream-end.js';
import { replaceOwn } from './replace-own.js';

/** Hears a streamed statement once its stream is over: its SQL, how long it ran, its error if it failed. */
export type QueryStreamListener = (query: string, durationMs: number, error: unknown) => void;

type CreateQueryRunner = (...args: unknown[]) => unknown;
type Stream = (query: unknown, ...rest: unknown[]) => unknown;

/**
 * `QueryRunner.stream()` (a query builder's `stream()`, on PostgreSQL, MySQL/MariaDB, SQL Server,
 * Oracle, CockroachDB) tells subscribers nothing of its statement. Every runner TypeORM uses comes
 * from `dataSource.createQueryRunner()`, so this wraps that method on this DataSource instance and
 * `stream` on each runner it hands out (that runner only, never the class). A statement is timed
 * from the call until its stream ends, fails, or is closed early by its reader: rows arrive as the
 * reader takes them, so a slow reader counts. The statement itself and what `stream()` returns
 * or throws are untouched. A stream that could not start (no connection, a driver without
 * streams) is not a statement that ran: `query()` records none either. The returned function
 * restores `createQueryRunner`; runners already handed out keep a wrapper that passes through.
 */
export function onQueryStreamed(dataSource: DataSource, listener: QueryStreamListener): () => void {
  const target = dataSource as unknown as { createQueryRunner?: CreateQueryRunner };
  const original = target.createQueryRunner;
  if (typeof original !== 'function') return () => undefined;
  let active = true;
  // better-sqlite3's driver hands out one runner for every query: wrap it once.
  const wrappedRunners = new WeakSet<object>();
  const undo = replaceOwn(target, 'createQueryRunner', function createQueryRunner(this: unknown, ...args: unknown[]) {
    const runner = original.apply(this, args);
    if (active && typeof runner === 'object' && runner !== null && !wrappedRunners.has(runner)) {
      wrappedRunners.add(runner);
      wrapStream(runner as { stream?: Stream }, (query, durationMs, error) => {
        try {
          if (active) listener(query, durationMs, error);
        } catch {
          // Called from the reader's stream events: recording must never break the reader.
        }
      });
    }
    return runner;
  });
  return () => {
    active = false;
    undo();
  };
}

function wrapStream(runner: { stream?: Stream }, listener: QueryStreamListener): void {
  const original = runner.stream;
  if (typeof original !== 'function') return;
  replaceOwn(runner, 'stream', function stream(this: unknown, query: unknown, ...rest: unknown[]) {
    const startedAt = performance.now();
    const result = original.call(this, query, ...rest);
    const sql = typeof query === 'string' ? query : '';
    if (result instanceof Promise) {
      // Rows arrive on the connection's socket, in the context it was opened in: the statement
      // belongs to the request that called stream().
      const over = AsyncResource.bind((error: unknown) => listener(sql, performance.now() - startedAt, error));
      result.then(
        (readable: unknown) => {
          if (isReadableStream(readable)) onStreamOver(readable, over);
        },
        () => undefined,
      );
    }
    return result;
  });
}
