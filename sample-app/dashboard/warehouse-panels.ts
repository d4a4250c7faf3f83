import type BetterSqlite3 from 'better-sqlite3';
import { DEFAULT_TABLES } from '../../lib/index.js';
import { type ApiRow, apiPanels } from './api-panels.js';
import type { DashboardSummary, PaymentOutcome, QueryStats, TableCount } from './dashboard-summary.js';
import { newestEvents } from './recent-events.js';

type Db = BetterSqlite3.Database;
type Panels = Omit<DashboardSummary, 'generatedAt' | 'source'>;

/** How many of the newest API rows the latency figures are computed from (SQLite has no percentiles). */
export const API_ROWS_READ = 50_000;
export const SLOW_QUERIES_SHOWN = 10;
export const RECENT_EVENTS_SHOWN = 25;

/** The warehouse tables, i.e. the tables with the columns every event table has. */
export function eventTables(db: Db): string[] {
  const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  return names.filter((name) => {
    const columns = new Set(db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[]);
    return ['message_id', 'timestamp', 'event', 'user_id', 'request_id'].every((c) => columns.has(c));
  });
}

/** Every panel, read in one transaction so the numbers agree with each other. */
export function readPanels(db: Db): Panels {
  return db.transaction(() => {
    const tables = eventTables(db);
    const has = (table: string) => tables.includes(table);
    const api = apiPanels(has(DEFAULT_TABLES.api) ? apiRows(db) : []);
    return {
      tables: tableCounts(db, tables),
      traffic: api.traffic,
      routes: api.routes,
      latency: api.latency,
      errors: { ...api.errors, bySource: has(DEFAULT_TABLES.error) ? errorsBySource(db) : [] },
      slowQueries: has(DEFAULT_TABLES.database) ? slowQueries(db) : [],
      payments: has(DEFAULT_TABLES.payment) ? payments(db) : [],
      recent: newestEvents(new Map(tables.map((t) => [t, newestRows(db, t)])), RECENT_EVENTS_SHOWN),
    };
  })();
}

function tableCounts(db: Db, tables: readonly string[]): TableCount[] {
  return tables.map((table) => ({ table, rows: db.prepare(`SELECT count(*) FROM ${quote(table)}`).pluck().get() as number }));
}

function apiRows(db: Db): ApiRow[] {
  return db
    .prepare(`SELECT method, route, path, status_code, duration_ms, timestamp FROM ${quote(DEFAULT_TABLES.api)} ORDER BY timestamp DESC LIMIT ?`)
    .all(API_ROWS_READ) as ApiRow[];
}

function errorsBySource(db: Db): Array<{ source: string; count: number }> {
  return db
    .prepare(`SELECT coalesce(error_source, '?') AS source, count(*) AS count FROM ${quote(DEFAULT_TABLES.error)} GROUP BY 1 ORDER BY 2 DESC, 1`)
    .all() as Array<{ source: string; count: number }>;
}

function slowQueries(db: Db): QueryStats[] {
  return db
    .prepare(
      `SELECT query_fingerprint AS fingerprint, max(query_type) AS type, max(query_table) AS "table", count(*) AS count,
              round(avg(query_duration_ms), 2) AS avgMs, max(query_duration_ms) AS maxMs,
              sum(CASE WHEN query_success = 0 THEN 1 ELSE 0 END) AS failed
         FROM ${quote(DEFAULT_TABLES.database)} WHERE query_fingerprint IS NOT NULL
        GROUP BY query_fingerprint ORDER BY maxMs DESC, count DESC LIMIT ?`,
    )
    .all(SLOW_QUERIES_SHOWN) as QueryStats[];
}

function payments(db: Db): PaymentOutcome[] {
  const rows = db
    .prepare(
      `SELECT payment_success AS success, coalesce(payment_currency, '?') AS currency, count(*) AS count, coalesce(sum(payment_amount), 0) AS amount
         FROM ${quote(DEFAULT_TABLES.payment)} GROUP BY 1, 2`,
    )
    .all() as Array<{ success: number | null; currency: string; count: number; amount: number }>;
  const outcomes: PaymentOutcome[] = [
    { outcome: 'approved', count: 0, amounts: {} },
    { outcome: 'declined', count: 0, amounts: {} },
  ];
  for (const row of rows) {
    const outcome = outcomes[row.success === 1 ? 0 : 1]!;
    outcome.count += row.count;
    outcome.amounts[row.currency] = Math.round(((outcome.amounts[row.currency] ?? 0) + row.amount) * 100) / 100;
  }
  return outcomes;
}

function newestRows(db: Db, table: string): Record<string, unknown>[] {
  return db.prepare(`SELECT * FROM ${quote(table)} ORDER BY timestamp DESC LIMIT ?`).all(RECENT_EVENTS_SHOWN) as Record<string, unknown>[];
}

/** Names come from sqlite_master, not from users; quoting still keeps odd names harmless. */
function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
