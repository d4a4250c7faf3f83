import { AnalyticsConfigError } from '../analytics-config.error.js';
import { describeValue } from '../options/describe-value.js';
import { DEFAULT_HEALTH_THRESHOLDS, type HealthThresholds } from './pipeline-health.js';

/** Options of `AnalyticsHealthIndicator.isHealthy(key, options)`. */
export interface AnalyticsHealthOptions {
  /** Down once every delivery attempt has failed for longer than this, ms. Default 300 000 (5 minutes). */
  failingForMs?: number | string;
  /** Down once the queue holds at least this fraction (0 < r <= 1) of `maxQueueSize` events or `maxQueueBytes` bytes. Default 0.9. */
  queueFullRatio?: number | string;
}

/** Fills in the defaults; throws `AnalyticsConfigError` naming each bad option. */
export function resolveHealthOptions(options?: AnalyticsHealthOptions | null): HealthThresholds {
  if (options === undefined || options === null) return { ...DEFAULT_HEALTH_THRESHOLDS };
  if (typeof options !== 'object') {
    throw new AnalyticsConfigError([`health options: expected an object { failingForMs?, queueFullRatio? }, got ${typeof options}`]);
  }
  const problems: string[] = [];
  const failingForMs = numberOption(options.failingForMs, DEFAULT_HEALTH_THRESHOLDS.failingForMs);
  if (failingForMs === undefined || failingForMs < 0) {
    problems.push(`health.failingForMs: got ${describeValue(options.failingForMs)}, expected a number of milliseconds >= 0`);
  }
  const queueFullRatio = numberOption(options.queueFullRatio, DEFAULT_HEALTH_THRESHOLDS.queueFullRatio);
  if (queueFullRatio === undefined || queueFullRatio <= 0 || queueFullRatio > 1) {
    problems.push(`health.queueFullRatio: got ${describeValue(options.queueFullRatio)}, expected a number greater than 0 and at most 1 (e.g. 0.9)`);
  }
  if (problems.length > 0) throw new AnalyticsConfigError(problems);
  return { failingForMs: failingForMs!, queueFullRatio: queueFullRatio! };
}

/** Numbers, or numeric strings (values often come from `process.env`); undefined when neither. */
function numberOption(value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
