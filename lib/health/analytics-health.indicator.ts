import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { AnalyticsService } from '../analytics.service.js';
import { resolveHealthOptions, type AnalyticsHealthOptions } from './health-options.js';
import { assessPipelineHealth } from './pipeline-health.js';

/**
 * A `@nestjs/terminus` indicator for the delivery pipeline: down when deliveries have failed for
 * longer than `failingForMs` or the queue is `queueFullRatio` full, with the figures in its
 * details. Add it to the providers of a module that imports `TerminusModule`:
 *
 * ```ts
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.analytics.isHealthy('analytics', { failingForMs: 60_000 })]); }
 * ```
 *
 * The details carry counts and times only: the last error's text (which names the destination's
 * host) stays in `stats().lastError`, since health endpoints are often public.
 */
@Injectable()
export class AnalyticsHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly analytics: AnalyticsService,
  ) {}

  /** Throws `AnalyticsConfigError` on bad options (a programming error, not a health state). */
  isHealthy<const Key extends string = 'analytics'>(key?: Key, options?: AnalyticsHealthOptions): HealthIndicatorResult<Key> {
    const thresholds = resolveHealthOptions(options);
    const session = this.indicators.check((key ?? 'analytics') as Key);
    const core = this.analytics.core;
    if (!core.enabled) return session.up({ enabled: false });
    const stats = core.stats();
    const health = assessPipelineHealth(stats, core.queueLimits, thresholds);
    const details = {
      enabled: true,
      queued: stats.queued,
      inFlight: stats.inFlight,
      queuedBytes: stats.queuedBytes,
      maxQueueSize: core.queueLimits.maxQueueSize,
      maxQueueBytes: core.queueLimits.maxQueueBytes,
      queueFill: health.queueFill,
      queueFullRatio: thresholds.queueFullRatio,
      failingSince: stats.failingSince,
      failingForMs: health.failingForMs,
      failingForLimitMs: thresholds.failingForMs,
      lastSuccessAt: stats.lastSuccessAt,
      sent: stats.sent,
      failed: stats.failed,
      dropped: stats.dropped,
      reasons: health.reasons,
    };
    return health.status === 'up' ? session.up(details) : session.down(details);
  }
}
