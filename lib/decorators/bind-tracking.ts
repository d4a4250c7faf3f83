import type { AnalyticsService } from '../analytics.service.js';
import { bindCore } from './instance-binding.js';

/**
 * Binds an object with `@Track*` methods to an analytics instance, for code outside Nest
 * (`createAnalytics` in workers and scripts): its decorated methods then record to `analytics`.
 * Inside Nest this is done for you. Returns the instance; throws a TypeError when it cannot take
 * the binding (a frozen or sealed object, a primitive).
 *
 * ```ts
 * const analytics = createAnalytics({ ... });
 * const payments = bindTracking(new PaymentService(), analytics);
 * ```
 */
export function bindTracking<T extends object>(instance: T, analytics: AnalyticsService): T {
  if (!bindCore(instance, analytics.core)) {
    throw new TypeError('bindTracking(instance, analytics): the instance must be an extensible object (not frozen, sealed or a primitive)');
  }
  return instance;
}
