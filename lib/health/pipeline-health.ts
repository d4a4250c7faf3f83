import type { PipelineHealth } from '../pipeline/analytics-stats.interface.js';
import type { StoreStall } from '../pipeline/pending-store.interface.js';

/** When the pipeline counts as down. */
export interface HealthThresholds {
  /** Down once every delivery attempt has failed, or queued events could not be read back, for longer than this, ms. */
  failingForMs: number;
  /** Down once the queue holds at least this fraction of `maxQueueSize` events or `maxQueueBytes` bytes. */
  queueFullRatio: number;
}

/** What `stats().health` applies, and the indicator's defaults: 5 minutes of failures, a queue 90% full. */
export const DEFAULT_HEALTH_THRESHOLDS: Readonly<HealthThresholds> = Object.freeze({
  failingForMs: 5 * 60_000,
  queueFullRatio: 0.9,
});

/** The counters of `stats()` the rule reads. */
export interface HealthFacts {
  queued: number;
  inFlight: number;
  queuedBytes: number;
  failingSince?: string;
  /** Set while the queue holds events it cannot hand out (a spool whose backlog fails to read). */
  stalled?: StoreStall;
}

export interface QueueLimits {
  maxQueueSize: number;
  maxQueueBytes: number;
}

/**
 * The pipeline is down when it has stopped delivering for long enough that events are piling up
 * or being lost, not on the first failure: a short outage is what the retry policy absorbs.
 * `failingSince` is only cleared by a successful delivery, so an instance whose last attempt
 * failed stays down until one succeeds, even when nothing is queued meanwhile.
 */
export function assessPipelineHealth(
  facts: HealthFacts,
  limits: QueueLimits,
  thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
  now: number = Date.now(),
): PipelineHealth {
  const reasons: string[] = [];
  // Held events (queued and in flight) are what maxQueueSize bounds; in-flight bytes are not
  // counted separately, so bytes are the queued ones only.
  const held = facts.queued + facts.inFlight;
  const eventFill = held / limits.maxQueueSize;
  const byteFill = facts.queuedBytes / limits.maxQueueBytes;
  const queueFill = Math.max(eventFill, byteFill);
  if (queueFill >= thresholds.queueFullRatio) {
    const figure = eventFill >= byteFill
      ? `${held} of ${limits.maxQueueSize} events`
      : `${facts.queuedBytes} of ${limits.maxQueueBytes} bytes`;
    reasons.push(`queue ${percent(queueFill)} full (${figure}), at or above the ${percent(thresholds.queueFullRatio)} limit`);
  }
  const failingForMs = failingFor(facts.failingSince, now);
  if (failingForMs !== undefined && failingForMs > thresholds.failingForMs) {
    reasons.push(`deliveries failing since ${facts.failingSince} (${duration(failingForMs)}), longer than the ${duration(thresholds.failingForMs)} allowed`);
  }
  // Held back as long as failed deliveries are: both stop events from leaving.
  const stalledForMs = facts.stalled && failingFor(facts.stalled.since, now);
  if (stalledForMs !== undefined && stalledForMs > thresholds.failingForMs) {
    reasons.push(`${facts.stalled!.reason}, since ${facts.stalled!.since} (${duration(stalledForMs)})`);
  }
  const health: PipelineHealth = { status: reasons.length > 0 ? 'down' : 'up', reasons, queueFill };
  if (failingForMs !== undefined) health.failingForMs = failingForMs;
  return health;
}

function failingFor(since: string | undefined, now: number): number | undefined {
  if (since === undefined) return undefined;
  const start = Date.parse(since);
  return Number.isNaN(start) ? undefined : Math.max(0, now - start);
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}

function duration(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}
