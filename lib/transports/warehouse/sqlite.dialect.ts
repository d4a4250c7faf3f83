import { mkdirSync, statSync } from 'node:fs';
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
const MEMORY = ':memory:';

const sqliteType = (type: ColumnType): string => SQLITE_TYPES[type];

type DatabaseClass = typeof BetterSqlite3;

export async function openSqlite(filename: string): Promise<WarehouseDialect> {
  const { default: Database } = await loadDriver('better-sqlite3', 'SQLite', () => import('better-sqlite3'));
  return new SqliteDialect(Database, filename);
}

class SqliteDialect implements WarehouseDialect {
  readonly name = 'sqlite';
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private db: BetterSqlite3.Database;
  /** `dev:ino` of the file opened, to notice it being deleted or rotated away. */
  private identity: string | undefined;

  constructor(
    private readonly Database: DatabaseClass,
    private readonly filename: string,
  ) {
    this.db = this.open();
  }

  async ensureTable(schema: TableSchema): Promise<void> {
    const db = this.current();
    db.exec(createTableSql(schema, sqliteType));
    const existing = new Set(
      (db.prepare(`PRAGMA table_info(${quoteIdent(schema.table)})`).all() as { name: string }[]).map((c) => c.name),
    );
    assertAnalyticsTable(schema.table, existing);
    for (const column of schema.columns) {
      if (existing.has(column.name)) continue;
      try {
        db.exec(addColumnSql(schema.table, column, sqliteType, false));
      } catch (error) {
        // Another process may have added it between our PRAGMA and ALTER.
        if (!/duplicate column name/i.test((error as Error).message)) throw error;
      }
    }
    this.statements.delete(schema.table);
  }

  async insertBatch(groups: readonly TableRows[]): Promise<void> {
    const db = this.current();
    const statements = groups.map((group) => this.statement(group.schema));
    db.transaction(() => {
      groups.forEach((group, i) => {
        for (const row of group.rows) statements[i]!.run(toSqlite(row));
      });
    })();
  }

  async insertOne(schema: TableSchema, row: readonly SqlValue[]): Promise<void> {
    this.current();
    this.statement(schema).run(toSqlite(row));
  }

  classify(error: unknown): FailureKind {
    return classifySqliteError(error);
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  /**
   * The handle on the file the url names. An open handle keeps writing into a deleted or renamed
   * file, where nobody reads: then the old handle is closed (flushing its WAL into that file) and
   * the path opened afresh. Its tables are missing, which the transport repairs like a dropped table.
   */
  private current(): BetterSqlite3.Database {
    if (this.db.open && this.identity === fileIdentity(this.filename)) return this.db;
    this.statements.clear();
    if (this.db.open) this.retire(this.db);
    this.db = this.open();
    return this.db;
  }

  /**
   * SQLite skips the checkpoint on closing a moved file and leaves its WAL under the old name,
   * where the next file opened at that path would read it as its own: checkpoint and empty the WAL
   * first, so a rotated file keeps every row and the new one starts clean.
   */
  private retire(db: BetterSqlite3.Database): void {
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  }

  private open(): BetterSqlite3.Database {
    if (this.filename !== MEMORY) mkdirSync(dirname(this.filename), { recursive: true });
    const db = new this.Database(this.filename);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // Safe with WAL (a crash loses at most the last commits, never consistency) and much faster.
      db.pragma('synchronous = NORMAL');
    } catch (error) {
      db.close();
      throw error;
    }
    this.identity = fileIdentity(this.filename);
    return db;
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

/** Which file a path names right now; `undefined` for none (and for `:memory:`, which never changes). */
function fileIdentity(filename: string): string | undefined {
  if (filename === MEMORY) return undefined;
  const stat = statSync(filename, { throwIfNoEntry: false, bigint: true });
  return stat ? `${stat.dev}:${stat.ino}` : undefined;
}

/** SQLite has no boolean type: store 1/0, as the INTEGER column declares. */
function toSqlite(row: readonly SqlValue[]): (string | number | null)[] {
  return row.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}
