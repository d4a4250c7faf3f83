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

export async function openPostgres(connectionString: string): Promise<WarehouseDialect> {
  const { default: pg } = await loadDriver('pg', 'PostgreSQL', () => import('pg'));
  const pool = new pg.Pool({
    connectionString,
    max: 4,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 10_000,
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

  async ensureTable(schema: TableSchema): Promise<void> {
    await this.pool.query(createTableSql(schema, postgresType)).catch((error: unknown) => {
      if (!ALREADY_EXISTS.has((error as { code?: string }).code ?? '')) throw error;
    });
    const { rows } = await this.pool.query<{ column_name: string }>(
      'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
      [schema.table],
    );
    const existing = new Set(rows.map((r) => r.column_name));
    assertAnalyticsTable(schema.table, existing);
    for (const column of schema.columns) {
      if (!existing.has(column.name)) await this.pool.query(addColumnSql(schema.table, column, postgresType, true));
    }
  }

  async insertBatch(groups: readonly TableRows[], signal: AbortSignal): Promise<void> {
    const client = await this.pool.connect();
    // pg emits 'error' on a checked-out client whose connection dies (a terminated backend, a
    // restart); unheard, that event would stop the process. The query in progress fails as well,
    // and that failure is the one this batch reports (a retryable connection error).
    const onConnectionError = (): void => undefined;
    client.on('error', onConnectionError);
    let failure: unknown;
    try {
      await client.query('BEGIN');
      for (const group of groups) await this.insertChunks(client, group, signal);
      await client.query('COMMIT');
    } catch (error) {
      failure = error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onConnectionError);
      // A client that failed mid-transaction may be broken: discard it rather than reuse it.
      client.release(failure === undefined ? undefined : true);
    }
  }

  async insertOne(schema: TableSchema, row: readonly SqlValue[]): Promise<void> {
    const values = row.map((value, c) => storable(value, schema.columns[c]!.type));
    await this.pool.query(insertSql(schema, 1, placeholder), values);
  }

  classify(error: unknown): FailureKind {
    return classifyPostgresError(error);
  }

  async close(): Promise<void> {
    await this.pool.end();
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

function placeholder(n: number): string {
  return `$${n}`;
}
