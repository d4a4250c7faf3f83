import type { Percentiles } from './percentile.js';

/** Everything the page at `/analytics` shows, as `GET /analytics/api/summary` returns it. */
export interface DashboardSummary {
  generatedAt: string;
  /** Where the numbers come from, and where the app is sending new events. */
  source: { warehouse: string; exists: boolean; destination: string };
  tables: TableCount[];
  /** API requests per minute (UTC, `YYYY-MM-DDTHH:MM`), oldest first. */
  traffic: TrafficPoint[];
  routes: RouteStats[];
  /** Latency percentiles per route and minute, for the chart. */
  latency: LatencyPoint[];
  errors: ErrorStats;
  slowQueries: QueryStats[];
  payments: PaymentOutcome[];
  recent: RecentEvent[];
}

export interface TableCount {
  table: string;
  rows: number;
}

export interface TrafficPoint {
  minute: string;
  requests: number;
  failed: number;
}

/** `route` is `METHOD /template`, e.g. `GET /api/products/:id`. */
export interface RouteStats extends Percentiles {
  route: string;
  requests: number;
  failed: number;
}

export interface LatencyPoint extends Percentiles {
  route: string;
  minute: string;
  requests: number;
}

export interface ErrorStats {
  requests: number;
  /** Requests answered with a status >= 400. */
  failed: number;
  /** Requests answered with a status >= 500. */
  serverErrors: number;
  /** failed / requests, 0 without requests. */
  rate: number;
  /** Rows of `backend_error_events` by `error_source`. */
  bySource: Array<{ source: string; count: number }>;
}

export interface QueryStats {
  fingerprint: string;
  type: string | null;
  table: string | null;
  count: number;
  avgMs: number;
  maxMs: number;
  failed: number;
}

export interface PaymentOutcome {
  outcome: 'approved' | 'declined';
  count: number;
  /** Sum of `payment_amount` per currency. */
  amounts: Record<string, number>;
}

export interface RecentEvent {
  timestamp: string;
  table: string;
  event: string;
  userId: string | null;
  requestId: string | null;
  detail: string;
}
