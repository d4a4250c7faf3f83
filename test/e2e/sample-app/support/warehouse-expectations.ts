import Database from 'better-sqlite3';

/**
 * The dashboard's numbers computed straight from the warehouse with plain SQL, independently of
 * the sample app's dashboard code, so a test can hold each panel against them.
 */
export interface WarehouseFigures {
  tables: Record<string, number>;
  requests: number;
  failed: number;
  serverErrors: number;
  routes: Record<string, { requests: number; failed: number; p50: number; p95: number; p99: number }>;
  /** Minutes (UTC, `YYYY-MM-DDTHH:MM`) with API traffic, oldest first. */
  minutes: string[];
  /** Latency percentiles by route, then by minute. */
  routeMinutes: Record<string, Record<string, { p50: number; p95: number; p99: number }>>;
  errorSources: Record<string, number>;
  payments: { approved: number; declined: number };
  queries: Record<string, { count: number; maxMs: number; avgMs: number; failed: number }>;
  newestTimestamp: string;
}

/** Nearest rank: the smallest value with at least p% of the sample at or below it. */
function nearestRank(sorted: number[], p: number): number {
  const value = sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
  return Math.round(value * 10) / 10;
}

export function warehouseFigures(file: string): WarehouseFigures {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    const tables = Object.fromEntries(names.map((t) => [t, count(`SELECT count(*) FROM "${t}"`)]));
    const routes: WarehouseFigures['routes'] = {};
    const rows = db
      .prepare(`SELECT method, route, status_code, duration_ms, substr(timestamp, 1, 16) AS minute FROM api_events ORDER BY duration_ms`)
      .all() as Array<{ method: string; route: string | null; status_code: number; duration_ms: number; minute: string }>;
    const durations = new Map<string, number[]>();
    const cellDurations = new Map<string, Map<string, number[]>>();
    for (const row of rows) {
      const key = `${row.method} ${row.route ?? '(unmatched)'}`;
      routes[key] ??= { requests: 0, failed: 0, p50: 0, p95: 0, p99: 0 };
      routes[key].requests++;
      if (row.status_code >= 400) routes[key].failed++;
      durations.set(key, [...(durations.get(key) ?? []), row.duration_ms]);
      const byMinute = cellDurations.get(key) ?? new Map<string, number[]>();
      byMinute.set(row.minute, [...(byMinute.get(row.minute) ?? []), row.duration_ms]);
      cellDurations.set(key, byMinute);
    }
    const percentiles = (values: number[]) => ({ p50: nearestRank(values, 50), p95: nearestRank(values, 95), p99: nearestRank(values, 99) });
    for (const [key, values] of durations) Object.assign(routes[key]!, percentiles(values));
    const routeMinutes = Object.fromEntries(
      [...cellDurations].map(([key, byMinute]) => [key, Object.fromEntries([...byMinute].map(([minute, values]) => [minute, percentiles(values)]))]),
    );
    const grouped = (sql: string) => Object.fromEntries((db.prepare(sql).raw().all() as Array<[string, number]>).map(([k, v]) => [k, v]));
    const queries = Object.fromEntries(
      (
        db
          .prepare(
            `SELECT query_fingerprint AS f, count(*) AS count, max(query_duration_ms) AS maxMs, avg(query_duration_ms) AS avgMs,
                    sum(query_success = 0) AS failed FROM database_events GROUP BY 1`,
          )
          .all() as Array<{ f: string; count: number; maxMs: number; avgMs: number; failed: number }>
      ).map(({ f, ...rest }) => [f, rest]),
    );
    const newest = names.map((t) => db.prepare(`SELECT max(timestamp) FROM "${t}"`).pluck().get() as string).sort();
    return {
      tables,
      requests: rows.length,
      failed: rows.filter((r) => r.status_code >= 400).length,
      serverErrors: rows.filter((r) => r.status_code >= 500).length,
      routes,
      minutes: [...new Set(rows.map((r) => r.minute))].sort(),
      routeMinutes,
      errorSources: grouped(`SELECT error_source, count(*) FROM backend_error_events GROUP BY 1`),
      payments: {
        approved: count(`SELECT count(*) FROM payment_events WHERE payment_success = 1`),
        declined: count(`SELECT count(*) FROM payment_events WHERE payment_success = 0`),
      },
      queries,
      newestTimestamp: newest[newest.length - 1]!,
    };
  } finally {
    db.close();
  }
}
