import type { AnalyticsCore } from '../analytics-core.js';
import { ApiTracker } from './api-tracker.js';
import { resolveApiTracking } from './api-tracking.resolver.js';

/**
 * One `ApiTracker` per analytics instance. A side table keyed by the core, because the callers
 * that need it (the service's `trackApiRequest`, the module's providers, an app's exception
 * filter) hold only the core; the WeakMap keeps two apps in one process apart and lets a closed
 * app's tracker be collected with its core.
 */
const trackers = new WeakMap<AnalyticsCore, ApiTracker | Error>();

/** Throws `AnalyticsConfigError` for bad `api`/`errors` options: the module calls it at bootstrap. */
export function apiTrackerFor(core: AnalyticsCore): ApiTracker {
  const known = trackers.get(core);
  if (known instanceof Error) throw known;
  if (known) return known;
  try {
    const tracker = new ApiTracker(core, resolveApiTracking(core.options.raw, core.options.ipPolicy));
    trackers.set(core, tracker);
    return tracker;
  } catch (error) {
    trackers.set(core, error as Error);
    throw error;
  }
}

/** For request-time callers, which must never throw: bad options are reported once and tracking is off. */
export function apiTrackerOrNothing(core: AnalyticsCore): ApiTracker | undefined {
  const known = trackers.get(core);
  if (known instanceof ApiTracker) return known;
  if (known instanceof Error) return undefined;
  try {
    return apiTrackerFor(core);
  } catch (error) {
    core.reporter.error(error as Error);
    return undefined;
  }
}
