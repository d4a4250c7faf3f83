import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { AnalyticsCore } from '../analytics-core.js';
import { systemEvent, type SystemFields } from '../events/event-builders.js';
import { cpuPercent, loopDelay, sumGauges } from './process-metrics.js';
import type { ResolvedSystemOptions } from './system-options.js';

/** Reads extra figures for the System Performance event (e.g. a database pool's), or undefined when it has none now. */
export type SystemGauge = () => Readonly<Record<string, number>> | undefined;

/** The histogram's own timer period: fine enough to see a 20 ms stall, cheap enough to leave on. */
export const LOOP_RESOLUTION_MS = 10;

export interface SystemSample extends SystemFields {
  /** Longest single delay since the last sample: a stall too short to move p99 over a long interval still shows here. */
  eventLoopDelayMaxMs: number;
  /** Summed readings of every gauge (`db_pool_total`, ...). */
  gauges: Record<string, number>;
}

/**
 * Records a `System Performance` event every `intervalMs`: memory, CPU percent since the last
 * sample, event-loop delay percentiles since the last sample, uptime, and the figures of any
 * registered gauge (database pools). Its timer is unref'd, so it never keeps the process alive.
 */
export class SystemSampler {
  /** Created on first use: a sampler that is built and never started holds no native handle. */
  private histogram?: IntervalHistogram;
  private readonly gauges = new Set<SystemGauge>();
  private timer?: NodeJS.Timeout;
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();
  private stopped = false;

  constructor(
    private readonly core: AnalyticsCore,
    private readonly options: ResolvedSystemOptions,
  ) {}

  private get loop(): IntervalHistogram {
    return (this.histogram ??= monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS }));
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.loop.enable();
    this.lastCpu = process.cpuUsage();
    this.lastAt = performance.now();
    this.timer = setInterval(() => this.record(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.histogram?.disable();
  }

  /** Registers a gauge read at every sample; returns the function that removes it. */
  addGauge(gauge: SystemGauge): () => void {
    this.gauges.add(gauge);
    return () => this.gauges.delete(gauge);
  }

  /** Takes a sample and starts the next measurement window (CPU and loop delay are "since the last sample"). */
  sample(): SystemSample {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const elapsedMs = now - this.lastAt;
    const delay = loopDelay(this.loop, LOOP_RESOLUTION_MS);
    this.loop.reset();
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const memory = process.memoryUsage();
    return {
      memoryRssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      cpuPercent: cpuPercent(cpu, elapsedMs),
      eventLoopDelayP50Ms: delay.p50Ms,
      eventLoopDelayP99Ms: delay.p99Ms,
      eventLoopDelayMaxMs: delay.maxMs,
      uptimeS: process.uptime(),
      gauges: sumGauges([...this.gauges].map(readGauge)),
    };
  }

  /** Takes a sample and records it; never throws (a timer callback has nobody to throw to). */
  record(): void {
    try {
      const { gauges, eventLoopDelayMaxMs, ...fields } = this.sample();
      this.core.recordKind(systemEvent(fields, { ...gauges, event_loop_delay_max_ms: Math.round(eventLoopDelayMaxMs * 100) / 100 }));
    } catch (error) {
      this.core.reporter.error(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/** A gauge that throws (a pool being torn down) contributes nothing rather than losing the sample. */
function readGauge(gauge: SystemGauge): Readonly<Record<string, number>> | undefined {
  try {
    return gauge();
  } catch {
    return undefined;
  }
}
