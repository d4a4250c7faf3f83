import { DEFAULT_TABLES, type EventKind } from '../../lib/index.js';
import type { RecentEvent } from './dashboard-summary.js';

type Row = Record<string, unknown>;

const KIND_OF_TABLE = new Map<string, EventKind | 'custom'>(
  Object.entries(DEFAULT_TABLES).map(([kind, table]) => [table, kind as EventKind | 'custom']),
);

const ok = (value: unknown): string => (value === 1 || value === true ? 'ok' : value === 0 || value === false ? 'failed' : '?');
const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
const ms = (value: unknown): string => (typeof value === 'number' ? `${Math.round(value * 10) / 10} ms` : '');

/** One line saying what happened, from the typed columns of the event's table. */
export function describeRow(table: string, row: Row): string {
  switch (KIND_OF_TABLE.get(table)) {
    case 'api':
      return `${text(row.method)} ${text(row.path)} → ${text(row.status_code)} in ${ms(row.duration_ms)}`;
    case 'database':
      return `${text(row.query_type)} ${text(row.query_table)} ${ok(row.query_success)} in ${ms(row.query_duration_ms)}`;
    case 'authentication':
      return `${text(row.auth_action)} ${ok(row.auth_success)}${row.failure_reason ? ` (${text(row.failure_reason)})` : ''}`;
    case 'payment':
      return `${text(row.payment_action)} ${text(row.payment_amount)} ${text(row.payment_currency)} ${ok(row.payment_success)}`;
    case 'email':
      return `${text(row.email_template)} to @${text(row.recipient_domain)} ${ok(row.email_success)}`;
    case 'file':
      return `${text(row.file_operation)} ${text(row.file_type)} ${text(row.file_size_bytes)} B ${ok(row.file_success)}`;
    case 'external_api':
      return `${text(row.service)} ${text(row.http_method)} ${text(row.endpoint)} → ${text(row.status_code)} in ${ms(row.duration_ms)}`;
    case 'system':
      return `rss ${Math.round(Number(row.memory_rss_bytes) / 1048576)} MiB, cpu ${text(row.cpu_percent)}%, loop p99 ${ms(row.event_loop_delay_p99_ms)}`;
    case 'error':
      return `${text(row.error_source)}: ${text(row.error_name)}${row.status_code ? ` (${text(row.status_code)})` : ''}`;
    default:
      return text(row.event_action);
  }
}

/** The `limit` newest rows across tables, each already the newest of its own table. */
export function newestEvents(rowsByTable: ReadonlyMap<string, readonly Row[]>, limit: number): RecentEvent[] {
  const all: RecentEvent[] = [];
  for (const [table, rows] of rowsByTable) {
    for (const row of rows) {
      all.push({
        timestamp: text(row.timestamp),
        table,
        event: text(row.event),
        userId: row.user_id === null || row.user_id === undefined ? null : String(row.user_id),
        requestId: row.request_id === null || row.request_id === undefined ? null : String(row.request_id),
        detail: describeRow(table, row),
      });
    }
  }
  return all.sort((a, b) => b.timestamp.localeCompare(a.timestamp) || a.table.localeCompare(b.table)).slice(0, limit);
}
