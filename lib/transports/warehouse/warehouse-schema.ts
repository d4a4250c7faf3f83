import { COMMON_FIELDS, EVENT_CATALOG, type EventKind, type FieldType } from '../../events/event-catalog.js';
import { DEFAULT_TABLES, TABLE_NAME_PATTERN, type TableNames } from '../../events/table-router.js';

export type ColumnType = FieldType | 'timestamp' | 'json';

/** Where a column's value comes from in an `AnalyticsEvent`. */
export type ColumnSource =
  | 'messageId'
  | 'timestamp'
  | 'receivedAt'
  | 'event'
  | 'userId'
  | 'anonymousId'
  | 'property'
  | 'properties'
  | 'context';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly source: ColumnSource;
  /** For a `property` column: the envelope field used when the property is absent. */
  readonly fallback?: ColumnSource;
}

export interface TableSchema {
  readonly table: string;
  /** The catalogued kind whose typed columns this table has; undefined for a custom table. */
  readonly kind?: EventKind;
  readonly columns: readonly ColumnSpec[];
}

export const KEY_COLUMN = 'message_id';
export const PROPERTIES_COLUMN = 'properties';
export const CONTEXT_COLUMN = 'context';

const ENVELOPE_COLUMNS: readonly ColumnSpec[] = [
  { name: KEY_COLUMN, type: 'text', source: 'messageId' },
  { name: 'timestamp', type: 'timestamp', source: 'timestamp' },
  { name: 'received_at', type: 'timestamp', source: 'receivedAt' },
  { name: 'event', type: 'text', source: 'event' },
  { name: 'user_id', type: 'text', source: 'userId' },
  { name: 'anonymous_id', type: 'text', source: 'anonymousId' },
];

const COMMON_COLUMNS: readonly ColumnSpec[] = [
  ...ENVELOPE_COLUMNS,
  ...Object.entries(COMMON_FIELDS).map(([name, type]): ColumnSpec => ({ name, type, source: 'property' })),
];

const JSON_COLUMNS: readonly ColumnSpec[] = [
  { name: PROPERTIES_COLUMN, type: 'json', source: 'properties' },
  { name: CONTEXT_COLUMN, type: 'json', source: 'context' },
];

/**
 * The columns of a table: common columns, then the typed fields of the kind whose table name it
 * is (per `tables`, so renamed tables keep their columns), then the two JSON columns. A kind field
 * that shares a name with an envelope column (authentication's `user_id`) fills that column
 * instead of duplicating it, falling back to the top-level value.
 */
export function tableSchema(table: string, tables: TableNames = DEFAULT_TABLES): TableSchema {
  if (!isValidTableName(table)) throw new Error(`Invalid warehouse table name (must match ${TABLE_NAME_PATTERN})`);
  const spec = EVENT_CATALOG.find((s) => tables[s.kind] === table);
  if (!spec) return { table, columns: [...COMMON_COLUMNS, ...JSON_COLUMNS] };

  const columns = COMMON_COLUMNS.map((column): ColumnSpec => {
    const fieldType = spec.fields[column.name];
    if (fieldType === undefined || column.source === 'property') return column;
    return { name: column.name, type: fieldType, source: 'property', fallback: column.source };
  });
  const known = new Set(columns.map((c) => c.name));
  for (const [name, type] of Object.entries(spec.fields)) {
    if (!known.has(name)) columns.push({ name, type, source: 'property' });
  }
  return { table, kind: spec.kind, columns: [...columns, ...JSON_COLUMNS] };
}

export function isValidTableName(table: unknown): table is string {
  return typeof table === 'string' && TABLE_NAME_PATTERN.test(table);
}

/** Quotes an identifier that `TABLE_NAME_PATTERN` already admitted (so reserved words still work). */
export function quoteIdent(name: string): string {
  if (!TABLE_NAME_PATTERN.test(name)) throw new Error('Refusing to quote an identifier outside TABLE_NAME_PATTERN');
  return `"${name}"`;
}

export function createTableSql(schema: TableSchema, sqlType: (type: ColumnType) => string): string {
  const columns = schema.columns.map(
    (c) => `${quoteIdent(c.name)} ${sqlType(c.type)}${c.name === KEY_COLUMN ? ' PRIMARY KEY' : ''}`,
  );
  return `CREATE TABLE IF NOT EXISTS ${quoteIdent(schema.table)} (${columns.join(', ')})`;
}

/** The code of `foreignTableError`, which both dialects classify as a data failure (not retried). */
export const FOREIGN_TABLE = 'WAREHOUSE_FOREIGN_TABLE';

/**
 * A table of that name exists and is not one the library made (no `message_id` column): an
 * application table in the same database. It is left untouched, and the events meant for it
 * are rejected, instead of having analytics columns added to it.
 */
export function assertAnalyticsTable(table: string, existingColumns: ReadonlySet<string>): void {
  if (existingColumns.has(KEY_COLUMN)) return;
  throw Object.assign(new Error(`table ${table} exists and is not an analytics table (it has no ${KEY_COLUMN} column); it is left as it is`), {
    code: FOREIGN_TABLE,
  });
}

export function addColumnSql(
  table: string,
  column: ColumnSpec,
  sqlType: (type: ColumnType) => string,
  ifNotExists: boolean,
): string {
  const guard = ifNotExists ? 'IF NOT EXISTS ' : '';
  return `ALTER TABLE ${quoteIdent(table)} ADD COLUMN ${guard}${quoteIdent(column.name)} ${sqlType(column.type)}`;
}

/**
 * A multi-row INSERT that skips rows whose message_id is already there, which is what makes a
 * retried batch add nothing. `placeholder` numbers parameters from 1 in row-major order.
 */
export function insertSql(schema: TableSchema, rowCount: number, placeholder: (n: number) => string): string {
  const width = schema.columns.length;
  const rows: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    const params = schema.columns.map((_, c) => placeholder(r * width + c + 1));
    rows.push(`(${params.join(', ')})`);
  }
  const names = schema.columns.map((c) => quoteIdent(c.name)).join(', ');
  return `INSERT INTO ${quoteIdent(schema.table)} (${names}) VALUES ${rows.join(', ')} ON CONFLICT (${quoteIdent(KEY_COLUMN)}) DO NOTHING`;
}
