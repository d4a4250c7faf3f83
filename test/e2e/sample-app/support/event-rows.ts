import Database from 'better-sqlite3';

/** One event as a flat record: a warehouse row, or a Jitsu event's properties with its envelope. */
export type EventRow = Record<string, unknown>;
export type RowsByTable = Map<string, EventRow[]>;

/** Every row of every table in the warehouse file, oldest first. */
export function warehouseRows(file: string): RowsByTable {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
    return new Map(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY timestamp, message_id`).all() as EventRow[]]));
  } finally {
    db.close();
  }
}

interface WireEvent {
  event?: string;
  messageId?: string;
  timestamp?: string;
  userId?: string;
  properties?: Record<string, unknown>;
  JITSU_TABLE_NAME?: string;
}

/**
 * Events as the fake Jitsu server accepted them, shaped like warehouse rows: the properties,
 * plus `event`, `message_id`, `timestamp` and `user_id` (the property when the kind has one,
 * else the top-level `userId`, as the warehouse fills that column).
 */
export function jitsuRows(events: readonly object[]): RowsByTable {
  const byTable: RowsByTable = new Map();
  for (const raw of events as WireEvent[]) {
    const table = raw.JITSU_TABLE_NAME ?? '(no table)';
    const row: EventRow = {
      ...raw.properties,
      event: raw.event,
      message_id: raw.messageId,
      timestamp: raw.timestamp,
      user_id: raw.properties?.user_id ?? raw.userId ?? null,
    };
    byTable.set(table, [...(byTable.get(table) ?? []), row]);
  }
  for (const rows of byTable.values()) rows.sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)));
  return byTable;
}

/**
 * The fields of each table that do not depend on timing or ids: two runs of the same requests
 * must produce the same multiset of these, whatever the destination.
 */
export const STABLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  api_events: ['method', 'path', 'route', 'status_code', 'controller', 'handler', 'user_id'],
  authentication_events: ['auth_action', 'auth_success', 'auth_method', 'failure_reason', 'user_id'],
  payment_events: ['payment_action', 'payment_amount', 'payment_currency', 'payment_success', 'payment_provider', 'user_id'],
  email_events: ['email_template', 'email_success', 'recipient_domain', 'email_provider'],
  file_operation_events: ['file_operation', 'file_type', 'file_size_bytes', 'file_success'],
  external_api_events: ['service', 'endpoint', 'http_method', 'status_code', 'success', 'user_id'],
  backend_error_events: ['error_source', 'error_name', 'status_code', 'method', 'route'],
  database_events: ['query_type', 'query_table', 'query_fingerprint', 'query_success'],
  custom_events: ['event', 'event_action'],
};

/** SQLite stores booleans as 0/1 and leaves absent fields NULL; JSON has true/false and omits them. */
function normalised(value: unknown): unknown {
  if (value === true) return 1;
  if (value === false) return 0;
  return value ?? null;
}

/** A sorted list of `table | field=value ...` lines, one per event, for the tables in STABLE_FIELDS. */
export function signatures(rows: RowsByTable): string[] {
  const lines: string[] = [];
  for (const [table, fields] of Object.entries(STABLE_FIELDS)) {
    for (const row of rows.get(table) ?? []) {
      lines.push(`${table} | ${fields.map((f) => `${f}=${JSON.stringify(normalised(row[f]))}`).join(' ')}`);
    }
  }
  return lines.sort();
}
