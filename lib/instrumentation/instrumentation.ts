import type { AnalyticsCore } from '../analytics-core.js';
import { AnalyticsConfigError } from '../analytics-config.error.js';
import type { JitsuAnalyticsOptions } from '../analytics.options.js';
import { resolveErrorTracking, type ResolvedErrorTracking } from '../http/api-tracking.resolver.js';
import { resolveDatabaseOptions, type ResolvedDatabaseOptions } from './database-options.js';
import { OutboundHttpInstrumentation } from './outbound-http.js';
import { resolveOutboundHttpOptions, type ResolvedOutboundHttpOptions } from './outbound-http-options.js';
import { SystemSampler } from './system-sampler.js';
import { resolveSystemOptions, type ResolvedSystemOptions } from './system-options.js';
import { UncaughtErrorRecorder } from './uncaught-errors.js';

export interface InstrumentationOptions {
  system: ResolvedSystemOptions;
  outboundHttp: ResolvedOutboundHttpOptions;
  database: ResolvedDatabaseOptions;
  errors: ResolvedErrorTracking;
}

/** The core's automatic sources: the sampler, the outbound subscription and the uncaught-error monitor, started and stopped together. */
export interface Instrumentation {
  start(): void;
  stop(): void;
}

/** Validates the `system`, `outboundHttp`, `database` and `errors` groups; one `AnalyticsConfigError` lists every problem. */
export function resolveInstrumentationOptions(raw: JitsuAnalyticsOptions): InstrumentationOptions {
  const problems: string[] = [];
  const attempt = <T>(resolve: () => T): T | undefined => {
    try {
      return resolve();
    } catch (error) {
      if (!(error instanceof AnalyticsConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const system = attempt(() => resolveSystemOptions(raw.system));
  const outboundHttp = attempt(() => resolveOutboundHttpOptions(raw.outboundHttp));
  const database = attempt(() => resolveDatabaseOptions(raw.database));
  const errors = attempt(() => resolveErrorTracking(raw.errors));
  if (!system || !outboundHttp || !database || !errors) throw new AnalyticsConfigError(problems);
  return { system, outboundHttp, database, errors };
}

/**
 * Creates the enabled sources and attaches them to `core` (so `core.shutdown()` stops them, and the
 * TypeORM instrumentation finds the sampler to add pool gauges to) without starting them: Nest
 * starts them at bootstrap, once every module has registered its gauges. A disabled core gets none.
 */
export function prepareInstrumentation(core: AnalyticsCore, options: InstrumentationOptions): Instrumentation {
  const parts: Array<SystemSampler | OutboundHttpInstrumentation | UncaughtErrorRecorder> = [];
  if (core.enabled && options.system.enabled) parts.push(core.features.attach(SystemSampler, new SystemSampler(core, options.system)));
  if (core.enabled && options.outboundHttp.enabled) {
    parts.push(core.features.attach(OutboundHttpInstrumentation, new OutboundHttpInstrumentation(core, options.outboundHttp)));
  }
  if (core.enabled && options.errors.uncaught) parts.push(core.features.attach(UncaughtErrorRecorder, new UncaughtErrorRecorder(core)));
  return {
    start: () => parts.forEach((part) => part.start()),
    stop: () =>
      parts.forEach((part) => {
        part.stop();
        core.features.detach(part.constructor, part);
      }),
  };
}

/** For `createAnalytics`: validates, prepares and starts at once. */
export function startInstrumentation(core: AnalyticsCore): Instrumentation {
  const instrumentation = prepareInstrumentation(core, resolveInstrumentationOptions(core.options.raw));
  instrumentation.start();
  return instrumentation;
}
