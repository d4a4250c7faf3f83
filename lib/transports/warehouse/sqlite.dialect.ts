import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { type WarehouseDialect, type TableRows, loadDriver } from './warehouse-dialect.js';
import { classifySqliteError, type FailureKind } from './warehouse-errors.js';
import type { SqlValue } from './warehouse-row.js';
import {
  type ColumnType,
  type TableSchema,
  addColumnSql,
  assertAnalyticsTable,
  createTableSql,
  insertSql,
  quoteIdent,
} from './warehouse-schema.js';

const SQLITE_TYPES: Record<ColumnType, string> = {
  text: 'TEXT',
  integer: 'INTEGER',
  real: 'REAL',
  boolean: 'INTEGER',
  timestamp: 'TEXT',
  json: 'TEXT',
};

/**
 * better-sqlite3 is synchronous, so a lock wait blocks the event loop: keep it short and let the
 * pipeline's backoff do the waiting instead (SQLITE_BUSY is retryable).
 */
const BUSY_TIMEOUT_MS = 250;

const sqliteType = (type: ColumnType): string => SQLITE_TYPES[type];

export async function openSqlite(filename: string): Promise<WarehouseDialect> {
  const { default: Database } = await loadDriver('better-sqlite3', 'SQLite', () => import('better-sqlite3'));
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const db = new Database(filename);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Safe with WAL (a crash loses at most the last commits, never consistency) and much faster.
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteDialect(db);
}

class SqliteDialect implements WarehouseDialect {
  readonly name = 'sqlite';
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly db: BetterSqlite3.Database) {}

  async ensureTable(schema: TableSchema): Promise<void> {
    this.db.exec(createTableSql(schema, sqliteType));
    const existing = new Set(
      (this.db.prepare(`PRAGMA table_info(${quoteIdent(schema.table)})`).all() as { name: string }[]).map((c) => c.name),
    );
    assertAnalyticsTable(schema.table, existing);
    for (const column of schema.columns) {
      if (existing.has(column.name)) continue;
      try {
        this.db.exec(addColumnSql(schema.table, column, sqliteType, false));
      } catch (error) {
        // Another process may have added it between our PRAGMA and ALTER.
        if (!/duplicate column name/i.test((error as Error).message)) throw error;
      }
    }
    this.statements.delete(schema.table);
  }

  async insertBatch(groups: readonly TableRows[]): Promise<void> {
    const statements = groups.map((group) => this.statement(group.schema));
    this.db.transaction(() => {
      groups.forEach((group, i) => {
        for (const row of group.rows) statements[i]!.run(toSqlite(row));
      });
    })();
  }

  async insertOne(schema: TableSchema, row: readonly SqlValue[]): Promise<void> {
    this.statement(schema).run(toSqlite(row));
  }

  classify(error: unknown): FailureKind {
    return classifySqliteError(error);
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  private statement(schema: TableSchema): BetterSqlite3.Statement {
    let statement = this.statements.get(schema.table);
    if (!statement) {
      statement = this.db.prepare(insertSql(schema, 1, () => '?'));
      this.statements.set(schema.table, statement);
    }
    return statement;
  }
}

/** SQLite has no boolean type: store 1/0, as the INTEGER column declares. */
function toSqlite(row: readonly SqlValue[]): (string | number | null)[] {
  return row.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}
