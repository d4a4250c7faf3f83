import type { IntervalHistogram } from 'node:perf_hooks';

/**
 * Pure arithmetic behind the System Performance fields, kept apart from timers so it is tested
 * with exact inputs.
 */

/** CPU time used by the process between two `process.cpuUsage()` readings, as a percent of one core (0 to 100 × cores). */
export function cpuPercent(usage: NodeJS.CpuUsage, elapsedMs: number): number {
  if (!(elapsedMs > 0)) return 0;
  const busyMicros = usage.user + usage.system;
  return Math.max(0, (busyMicros / 1000 / elapsedMs) * 100);
}

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Event-loop delay from a `monitorEventLoopDelay` histogram. The histogram records the time
 * between two ticks of its `resolutionMs` timer, so an idle loop reads about `resolutionMs`;
 * the delay is what comes on top of it (never below 0). An empty histogram (no tick yet) is 0.
 */
export function loopDelay(histogram: Pick<IntervalHistogram, 'count' | 'percentile' | 'max'>, resolutionMs: number): LoopDelay {
  if (!(histogram.count > 0)) return { p50Ms: 0, p99Ms: 0, maxMs: 0 };
  const delay = (ns: number) => Math.max(0, ns / 1e6 - resolutionMs);
  return {
    p50Ms: delay(histogram.percentile(50)),
    p99Ms: delay(histogram.percentile(99)),
    maxMs: delay(histogram.max),
  };
}

/** Adds gauge readings key by key: several pools give one process-wide figure per key. */
export function sumGauges(readings: ReadonlyArray<Readonly<Record<string, number>> | undefined>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const reading of readings) {
    if (!reading) continue;
    for (const [key, value] of Object.entries(reading)) {
      if (Number.isFinite(value)) total[key] = (total[key] ?? 0) + value;
    }
  }
  return total;
}
