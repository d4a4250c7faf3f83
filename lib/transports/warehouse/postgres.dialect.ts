import type { Pool, PoolClient } from 'pg';
import { DeliveryError } from '../delivery-error.js';
import { storableJson, storableText } from './postgres-text.js';
import { type WarehouseDialect, type TableRows, loadDriver } from './warehouse-dialect.js';
import { classifyPostgresError, type FailureKind } from './warehouse-errors.js';
import type { SqlValue } from './warehouse-row.js';
import { type ColumnType, type TableSchema, addColumnSql, assertAnalyticsTable, createTableSql, insertSql } from './warehouse-schema.js';

const POSTGRES_TYPES: Record<ColumnType, string> = {
  text: 'TEXT',
  integer: 'BIGINT',
  real: 'DOUBLE PRECISION',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMPTZ',
  json: 'JSONB',
};

const MAX_ROWS_PER_INSERT = 500;
/** The wire protocol counts bind parameters in 16 bits. */
const MAX_PARAMETERS = 65_535;
/** A concurrent CREATE TABLE IF NOT EXISTS can still collide on the table's row type. */
const ALREADY_EXISTS = new Set(['42P07', '23505']);

const postgresType = (type: ColumnType): string => POSTGRES_TYPES[type];

export async function openPostgres(connectionString: string, statementTimeoutMs: number): Promise<WarehouseDialect> {
  const { default: pg } = await loadDriver('pg', 'PostgreSQL', () => import('pg'));
  const pool = new pg.Pool({
    connectionString,
    max: 4,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 10_000,
    // A statement stuck on a lock or on a connection gone silent would hold its pooled client (and
    // the send) until TCP gives up, many minutes: past this it fails retryably and the client is
    // discarded. Client-side on purpose: a `statement_timeout` startup parameter is refused by
    // PgBouncer, which would make every connection fail.
    query_timeout: statementTimeoutMs,
    keepAlive: true,
    // The pool must never be what keeps the observed application's process alive.
    allowExitOnIdle: true,
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, that would crash
  // the application. The next send reconnects and reports the outage as a retryable failure.
  pool.on('error', () => undefined);
  return new PostgresDialect(pool);
}

class PostgresDialect implements WarehouseDialect {
  readonly name = 'postgres';
  private readonly prepared = new Map<string, { name: string; text: string }>();

  constructor(private readonly pool: Pool) {}

  async ensureTable(schema: TableSchema, signal: AbortSignal): Promise<void> {
    await this.withClient(signal, async (client) => {
      await client.query(createTableSql(schema, postgresType)).catch((error: unknown) => {
        if (!ALREADY_EXISTS.has((error as { code?: string }).code ?? '')) throw error;
      });
      const { rows } = await client.query<{ column_name: string }>(
        'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
        [schema.table],
      );
      const existing = new Set(rows.map((r) => r.column_name));
      assertAnalyticsTable(schema.table, existing);
      for (const column of schema.columns) {
        if (!existing.has(column.name)) await client.query(addColumnSql(schema.table, column, postgresType, true));
      }
    });
  }

  async insertBatch(groups: readonly TableRows[], signal: AbortSignal): Promise<void> {
    // No ROLLBACK on failure: `withClient` discards a client that failed, and closing its
    // connection aborts the transaction (a ROLLBACK would queue behind a statement that hangs).
    await this.withClient(signal, async (client) => {
      await client.query('BEGIN');
      for (const group of groups) await this.insertChunks(client, group, signal);
      await client.query('COMMIT');
    });
  }

  async insertOne(schema: TableSchema, row: readonly SqlValue[], signal: AbortSignal): Promise<void> {
    const values = row.map((value, c) => storable(value, schema.columns[c]!.type));
    await this.withClient(signal, (client) => client.query(insertSql(schema, 1, placeholder), values));
  }

  classify(error: unknown): FailureKind {
    return classifyPostgresError(error);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /**
   * Runs `work` on a client of its own. An abort ends that client, which fails the statement in
   * progress at once: one waiting on a lock or a stalled server would otherwise hold the send, and
   * with it `close()` and the process, for as long as the wait lasts. A transaction cut short this
   * way never commits.
   */
  private async withClient<T>(signal: AbortSignal, work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect(signal);
    // pg emits 'error' on a checked-out client whose connection dies (a terminated backend, a
    // restart); unheard, that event would stop the process. The query in progress fails as well,
    // and that failure is the one this send reports (a retryable connection error).
    const onConnectionError = (): void => undefined;
    const onAbort = (): void => void client.end().catch(() => undefined);
    client.on('error', onConnectionError);
    signal.addEventListener('abort', onAbort, { once: true });
    let failure: unknown;
    try {
      return await work(client);
    } catch (error) {
      failure = error;
      throw signal.aborted ? abortedError() : error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      client.off('error', onConnectionError);
      // A client that failed (or was ended) mid-work may be broken: discard it rather than reuse it.
      client.release(failure === undefined ? undefined : true);
    }
  }

  /** A pooled client; an abort while waiting for one gives up at once (the client, once there, goes back). */
  private connect(signal: AbortSignal): Promise<PoolClient> {
    if (signal.aborted) return Promise.reject(abortedError());
    const connecting = this.pool.connect();
    return new Promise<PoolClient>((resolve, reject) => {
      const onAbort = (): void => {
        connecting.then((client) => client.release(), () => undefined);
        reject(abortedError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      connecting.then(
        (client) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) return;
          resolve(client);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  private async insertChunks(client: PoolClient, group: TableRows, signal: AbortSignal): Promise<void> {
    const width = group.schema.columns.length;
    const chunkSize = Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / width));
    for (let start = 0; start < group.rows.length; start += chunkSize) {
      if (signal.aborted) throw new DeliveryError('Warehouse send aborted before the batch was committed', { retryable: true });
      const chunk = group.rows.slice(start, start + chunkSize);
      const params: SqlValue[] = [];
      for (const row of chunk) row.forEach((value, c) => params.push(storable(value, group.schema.columns[c]!.type)));
      await client.query({ ...this.statement(group.schema, chunk.length, chunkSize), values: params });
    }
  }

  /**
   * Full-size chunks are named so the server parses that shape once per connection; odd-sized
   * tails stay unnamed so server-side prepared statements do not pile up per size.
   */
  private statement(schema: TableSchema, rows: number, fullSize: number): { name?: string; text: string } {
    if (rows !== fullSize) return { text: insertSql(schema, rows, placeholder) };
    let prepared = this.prepared.get(schema.table);
    if (!prepared) {
      prepared = { name: `jitsu_wh_${this.prepared.size + 1}`, text: insertSql(schema, rows, placeholder) };
      this.prepared.set(schema.table, prepared);
    }
    return prepared;
  }
}

/**
 * Text PostgreSQL refuses (NUL, lone-surrogate escapes in JSON) would cost the whole event; the
 * replacement character keeps the rest of it.
 */
function storable(value: SqlValue, type: ColumnType): SqlValue {
  if (typeof value !== 'string') return value;
  return type === 'json' ? storableJson(value) : storableText(value);
}

function abortedError(): DeliveryError {
  return new DeliveryError('Warehouse send aborted; its transaction was not committed', { retryable: true });
}

function placeholder(n: number): string {
  return `$${n}`;
}
