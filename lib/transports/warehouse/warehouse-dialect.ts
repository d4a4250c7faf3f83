import type { FailureKind } from './warehouse-errors.js';
import type { SqlValue } from './warehouse-row.js';
import type { TableSchema } from './warehouse-schema.js';

export interface TableRows {
  readonly schema: TableSchema;
  readonly rows: ReadonlyArray<readonly SqlValue[]>;
}

/**
 * One SQL database behind the warehouse transport. Methods throw the driver's own errors; the
 * transport turns them into delivery outcomes through `classify`.
 */
export interface WarehouseDialect {
  readonly name: 'sqlite' | 'postgres';
  /**
   * Creates the table if needed and adds the columns an older version of it lacks. Every method
   * given a signal stops waiting on the database when it aborts (shutdown), rejecting retryably.
   */
  ensureTable(schema: TableSchema, signal: AbortSignal): Promise<void>;
  /** Inserts every row in one transaction: all land or none do. */
  insertBatch(groups: readonly TableRows[], signal: AbortSignal): Promise<void>;
  /** Inserts one row in its own transaction. */
  insertOne(schema: TableSchema, row: readonly SqlValue[], signal: AbortSignal): Promise<void>;
  classify(error: unknown): FailureKind;
  close(): Promise<void>;
}

/** Thrown by a dialect when the driver package is not installed: a configuration error. */
export class MissingDriverError extends Error {
  constructor(driver: string, dialect: string) {
    super(`The ${dialect} warehouse needs the '${driver}' package: npm install ${driver}`);
    this.name = 'MissingDriverError';
  }
}

/** Loads an optional driver on first use, so apps that never use this dialect need not install it. */
export async function loadDriver<T>(driver: string, dialect: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new MissingDriverError(driver, dialect);
    throw error;
  }
}
