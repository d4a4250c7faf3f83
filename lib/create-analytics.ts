import { Logger, type LoggerService } from '@nestjs/common';
import { AnalyticsCore } from './analytics-core.js';
import { resolveOptions } from './analytics-options.resolver.js';
import type { JitsuAnalyticsOptions } from './analytics.options.js';
import { AnalyticsService } from './analytics.service.js';
import { LOG_CONTEXT } from './jitsu-analytics.constants.js';
import { startInstrumentation } from './instrumentation/instrumentation.js';
import { describeDestination, resolveTransport } from './transports/resolve-transport.js';

export interface CreateAnalyticsExtras {
  /** Where the library logs; default Nest's `Logger` with context `JitsuAnalytics`. `false` silences it. */
  logger?: LoggerService | false;
}

/**
 * The same service without Nest: for workers, scripts and framework-less handlers. Call
 * `shutdown()` before the process exits to deliver what is queued. Throws `AnalyticsConfigError`
 * on bad options.
 */
export function createAnalytics(options: JitsuAnalyticsOptions, extras: CreateAnalyticsExtras = {}): AnalyticsService {
  const resolved = resolveOptions(options);
  const logger = extras.logger === false ? undefined : (extras.logger ?? new Logger(LOG_CONTEXT));
  const transport = resolveTransport(resolved, logger ?? new Logger(LOG_CONTEXT));
  const core = new AnalyticsCore(resolved, transport, logger);
  // The line the Nest module logs at bootstrap, through the core's logger, which never throws.
  core.logger?.log(describeDestination(resolved));
  // The system sampler and outbound HTTP tracking (per their options); `shutdown()` stops them.
  startInstrumentation(core);
  return new AnalyticsService(core);
}
