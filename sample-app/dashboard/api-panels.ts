import type { ErrorStats, LatencyPoint, RouteStats, TrafficPoint } from './dashboard-summary.js';
import { latencyPercentiles } from './percentile.js';

/** One row of `api_events` as the dashboard reads it. */
export interface ApiRow {
  method: string | null;
  route: string | null;
  path: string | null;
  status_code: number | null;
  duration_ms: number | null;
  timestamp: string;
}

export interface ApiPanels {
  traffic: TrafficPoint[];
  routes: RouteStats[];
  latency: LatencyPoint[];
  errors: Omit<ErrorStats, 'bySource'>;
}

/** The chart shows this many most recent minutes that had traffic. */
export const MAX_MINUTES = 60;

/**
 * Requests per minute, per-route latency percentiles overall and per minute, and the error rate,
 * from `api_events` rows. A request Nest matched to no route is grouped under its method and
 * `(unmatched)`, so probes for random paths cannot add a line per path.
 */
export function apiPanels(rows: readonly ApiRow[]): ApiPanels {
  const perMinute = new Map<string, TrafficPoint>();
  const perRoute = new Map<string, { failed: number; durations: number[] }>();
  const perRouteMinute = new Map<string, { route: string; minute: string; durations: number[] }>();
  let failed = 0;
  let serverErrors = 0;
  for (const row of rows) {
    const minute = row.timestamp.slice(0, 16);
    const route = `${row.method ?? '?'} ${row.route ?? '(unmatched)'}`;
    const isFailure = (row.status_code ?? 0) >= 400;
    const duration = row.duration_ms ?? 0;
    if (isFailure) failed++;
    if ((row.status_code ?? 0) >= 500) serverErrors++;

    const point = perMinute.get(minute) ?? { minute, requests: 0, failed: 0 };
    point.requests++;
    if (isFailure) point.failed++;
    perMinute.set(minute, point);

    const stats = perRoute.get(route) ?? { failed: 0, durations: [] };
    stats.durations.push(duration);
    if (isFailure) stats.failed++;
    perRoute.set(route, stats);

    const key = `${route}\u0000${minute}`;
    const cell = perRouteMinute.get(key) ?? { route, minute, durations: [] };
    cell.durations.push(duration);
    perRouteMinute.set(key, cell);
  }
  const traffic = [...perMinute.values()].sort((a, b) => a.minute.localeCompare(b.minute)).slice(-MAX_MINUTES);
  const shownMinutes = new Set(traffic.map((p) => p.minute));
  const routes = [...perRoute.entries()]
    .map(([route, s]) => ({ route, requests: s.durations.length, failed: s.failed, ...latencyPercentiles(s.durations) }))
    .sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route));
  const latency = [...perRouteMinute.values()]
    .filter((c) => shownMinutes.has(c.minute))
    .map((c) => ({ route: c.route, minute: c.minute, requests: c.durations.length, ...latencyPercentiles(c.durations) }))
    .sort((a, b) => a.minute.localeCompare(b.minute) || a.route.localeCompare(b.route));
  const requests = rows.length;
  return { traffic, routes, latency, errors: { requests, failed, serverErrors, rate: requests === 0 ? 0 : failed / requests } };
}
