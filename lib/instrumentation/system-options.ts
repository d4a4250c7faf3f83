import { MAX_TIMER_MS, OptionReader } from '../options/option-reader.js';

/**
 * `system`: the System Performance sampler. Besides the catalogue fields each event carries
 * `event_loop_delay_max_ms` (a stall too short to move p99 over a long interval still shows
 * there) and, for DataSources instrumented on PostgreSQL, `db_pool_total`, `db_pool_idle` and
 * `db_pool_waiting`, summed over their pools.
 */
export interface SystemOptions {
  /** Record a `System Performance` event every `intervalMs`. Default true. */
  enabled?: boolean | string;
  /** Time between two samples, ms (from 100 to 2^31-1, setInterval's limit). Default 60 000. */
  intervalMs?: number | string;
}

export interface ResolvedSystemOptions {
  enabled: boolean;
  intervalMs: number;
}

export const DEFAULT_SYSTEM_INTERVAL_MS = 60_000;
/** Below this, sampling itself (and the events it sends) would become the load being measured. */
export const MIN_SYSTEM_INTERVAL_MS = 100;

/** Throws `AnalyticsConfigError` naming every bad field. */
export function resolveSystemOptions(raw: unknown): ResolvedSystemOptions {
  const read = new OptionReader('system');
  const o = read.object(raw, ['enabled', 'intervalMs']);
  const enabled = read.bool('enabled', o.enabled, true);
  const intervalMs = Math.round(read.number('intervalMs', o.intervalMs, DEFAULT_SYSTEM_INTERVAL_MS, { min: MIN_SYSTEM_INTERVAL_MS, max: MAX_TIMER_MS }));
  read.throwIfAny();
  return { enabled, intervalMs };
}
