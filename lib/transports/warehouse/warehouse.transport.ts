import { DEFAULT_TABLES, type TableNames } from '../../events/table-router.js';
import { DeliveryError } from '../delivery-error.js';
import type { AnalyticsTransport, DeliveryResult, QueuedEvent } from '../transport.interface.js';
import { openPostgres } from './postgres.dialect.js';
import { openSqlite } from './sqlite.dialect.js';
import { type PlannedGroup, type Rejection, bisect, planBatch, sliceGroup } from './warehouse-batch.js';
import { MissingDriverError, type WarehouseDialect } from './warehouse-dialect.js';
import { type FailureKind, classifyPostgresError, classifySqliteError, describeError } from './warehouse-errors.js';
import { type TableSchema, tableSchema } from './warehouse-schema.js';
import { type WarehouseTarget, parseWarehouseUrl, passwordRedactor } from './warehouse-url.js';

/** `destination: { type: 'warehouse', url }` in the module options. */
export interface WarehouseDestinationOptions {
  type: 'warehouse';
  /** `sqlite:data/analytics.sqlite`, `sqlite::memory:`, or `postgres://user:pass@host:5432/db`. */
  url: string;
}

export interface WarehouseTransport extends AnalyticsTransport {
  send(batch: readonly QueuedEvent[], signal: AbortSignal): Promise<DeliveryResult>;
  close(): Promise<void>;
}

export interface WarehouseTransportOptions {
  url: string;
  tables?: TableNames;
  /** How long one SQL statement may take before the send fails retryably (PostgreSQL), default 10 000 ms. */
  requestTimeoutMs?: number;
}

const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

/**
 * A transport that writes events straight into SQL tables (one per routed table) instead of a
 * Jitsu server. Nothing connects until the first `send`. Throws at once on a malformed `url`.
 */
export function createWarehouseTransport(options: WarehouseTransportOptions): WarehouseTransport {
  const target = parseWarehouseUrl(options.url);
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  return new SqlWarehouseTransport(target, options.tables ?? DEFAULT_TABLES, passwordRedactor(options.url), timeoutMs);
}

class SqlWarehouseTransport implements WarehouseTransport {
  private dialect?: Promise<WarehouseDialect>;
  private readonly schemas = new Map<string, TableSchema>();
  private readonly ensured = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly target: WarehouseTarget,
    private readonly tables: TableNames,
    private readonly redact: (text: string) => string,
    private readonly statementTimeoutMs: number,
  ) {}

  async send(batch: readonly QueuedEvent[], signal: AbortSignal): Promise<DeliveryResult> {
    if (this.closed) {
      throw new DeliveryError('Warehouse transport is closed', { retryable: false, dropReason: 'closed' });
    }
    if (signal.aborted) throw new DeliveryError('Warehouse send aborted before it started', { retryable: true });
    const delivery = this.deliver(batch, signal);
    this.inFlight.add(delivery);
    try {
      return await delivery;
    } finally {
      this.inFlight.delete(delivery);
    }
  }

  /** Lets sends already under way finish, then releases the connection or pool. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    const dialect = this.dialect;
    this.dialect = undefined;
    if (dialect) await dialect.then((d) => d.close(), () => undefined);
  }

  private async deliver(batch: readonly QueuedEvent[], signal: AbortSignal): Promise<DeliveryResult> {
    const plan = planBatch(batch, (table) => this.schema(table), new Date().toISOString());
    const rejected = plan.rejected;
    if (plan.groups.length > 0) {
      const dialect = await this.connect();
      const ready = await this.ensureTables(dialect, plan.groups, signal, rejected);
      if (ready.length > 0) {
        try {
          await dialect.insertBatch(ready, signal);
        } catch (error) {
          this.throwUnlessData(dialect.classify(error), error);
          await this.isolateBadRows(dialect, ready, signal, rejected);
        }
      }
    }
    return rejected.length > 0 ? { rejected } : {};
  }

  /**
   * The batch failed for a data reason: find the culprits by halving each group that fails until
   * the failing parts are single rows. A statement per row would cost a round trip each, which on
   * a remote database outlasts the send deadline. Tables are re-checked first, since a table
   * dropped or altered behind our back looks just like bad data.
   */
  private async isolateBadRows(
    dialect: WarehouseDialect,
    groups: readonly PlannedGroup[],
    signal: AbortSignal,
    rejected: Rejection[],
  ): Promise<void> {
    for (const group of groups) this.ensured.delete(group.schema.table);
    for (const group of await this.ensureTables(dialect, groups, signal, rejected)) {
      await bisect(0, group.rows.length, (start, end) => this.insertRange(dialect, group, start, end, signal, rejected));
    }
  }

  /**
   * Whether rows [start, end) landed; a single row that fails is rejected. A send retried after
   * an abort mid-search stores nothing twice: the insert skips message ids already there.
   */
  private async insertRange(
    dialect: WarehouseDialect,
    group: PlannedGroup,
    start: number,
    end: number,
    signal: AbortSignal,
    rejected: Rejection[],
  ): Promise<boolean> {
    if (signal.aborted) throw new DeliveryError('Warehouse send aborted while isolating a bad event', { retryable: true });
    const single = end - start === 1;
    try {
      // One row needs no transaction: a round trip instead of three on PostgreSQL.
      if (single) await dialect.insertOne(group.schema, group.rows[start]!, signal);
      else await dialect.insertBatch([sliceGroup(group, start, end)], signal);
      return true;
    } catch (error) {
      this.throwUnlessData(dialect.classify(error), error);
      if (single) rejected.push({ messageId: group.messageIds[start]!, reason: `Insert failed: ${this.describe(error)}` });
      return false;
    }
  }

  /** Groups whose table is ready; a table that cannot be created rejects its own events only. */
  private async ensureTables(
    dialect: WarehouseDialect,
    groups: readonly PlannedGroup[],
    signal: AbortSignal,
    rejected: Rejection[],
  ): Promise<PlannedGroup[]> {
    const ready: PlannedGroup[] = [];
    for (const group of groups) {
      try {
        await this.ensure(dialect, group.schema, signal);
        ready.push(group);
      } catch (error) {
        this.throwUnlessData(dialect.classify(error), error);
        const reason = `Table ${group.schema.table} could not be prepared: ${this.describe(error)}`;
        for (const messageId of group.messageIds) rejected.push({ messageId, reason });
      }
    }
    return ready;
  }

  private ensure(dialect: WarehouseDialect, schema: TableSchema, signal: AbortSignal): Promise<void> {
    let ensured = this.ensured.get(schema.table);
    if (!ensured) {
      ensured = dialect.ensureTable(schema, signal);
      this.ensured.set(schema.table, ensured);
      ensured.catch(() => this.ensured.delete(schema.table));
    }
    return ensured;
  }

  private connect(): Promise<WarehouseDialect> {
    if (!this.dialect) {
      const opening =
        this.target.dialect === 'sqlite'
          ? openSqlite(this.target.filename)
          : openPostgres(this.target.connectionString, this.statementTimeoutMs);
      this.dialect = opening;
      opening.catch(() => {
        if (this.dialect === opening) this.dialect = undefined;
      });
    }
    return this.dialect.catch((error: unknown) => {
      if (error instanceof MissingDriverError) throw new DeliveryError(error.message, { retryable: false });
      const classify = this.target.dialect === 'sqlite' ? classifySqliteError : classifyPostgresError;
      const kind = classify(error);
      // Failing to open is never about the events: treat it as the database being unreachable.
      throw this.deliveryError(kind === 'data' ? 'retryable' : kind, error);
    });
  }

  private throwUnlessData(kind: FailureKind, error: unknown): void {
    if (error instanceof DeliveryError) throw error;
    if (kind !== 'data') throw this.deliveryError(kind, error);
  }

  private deliveryError(kind: Exclude<FailureKind, 'data'>, error: unknown): DeliveryError {
    const where = `Warehouse (${this.target.dialect})`;
    const detail = this.describe(error);
    if (kind === 'retryable') return new DeliveryError(`${where} unavailable: ${detail}`, { retryable: true });
    if (kind === 'unauthorized') {
      return new DeliveryError(`${where} refused the credentials: ${detail}`, { retryable: false, dropReason: 'unauthorized' });
    }
    return new DeliveryError(`${where} cannot store events: ${detail}`, { retryable: false });
  }

  private describe(error: unknown): string {
    return describeError(error, this.redact);
  }

  private schema(table: string): TableSchema {
    let schema = this.schemas.get(table);
    if (!schema) {
      schema = tableSchema(table, this.tables);
      this.schemas.set(table, schema);
    }
    return schema;
  }
}
