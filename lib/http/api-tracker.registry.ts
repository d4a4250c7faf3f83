import type { AnalyticsCore } from '../analytics-core.js';
import { ApiTracker } from './api-tracker.js';
import { resolveApiTracking } from './api-tracking.resolver.js';

/**
 * One `ApiTracker` per analytics instance, attached to its core: the callers that need it (the
 * service's `trackApiRequest`, the module's providers, an app's exception filter) hold only the
 * core, and two apps in one process stay apart. Throws `AnalyticsConfigError` for bad
 * `api`/`errors` options: the module calls it at bootstrap.
 */
export function apiTrackerFor(core: AnalyticsCore): ApiTracker {
  return (
    core.features.attached<ApiTracker>(ApiTracker) ??
    core.features.attach(ApiTracker, new ApiTracker(core, resolveApiTracking(core.options.raw, core.options.ipPolicy)))
  );
}

/** For request-time callers, which must never throw: bad options are reported (once) and tracking is off. */
export function apiTrackerOrNothing(core: AnalyticsCore): ApiTracker | undefined {
  try {
    return apiTrackerFor(core);
  } catch (error) {
    core.reporter.error(error as Error);
    return undefined;
  }
}
