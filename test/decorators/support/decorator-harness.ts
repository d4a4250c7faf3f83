import { createAnalytics } from '../../../lib/create-analytics.js';
import type { JitsuAnalyticsOptions } from '../../../lib/analytics.options.js';
import type { AnalyticsEvent } from '../../../lib/events/analytics-event.interface.js';
import type { DroppedInfo } from '../../../lib/pipeline/analytics-stats.interface.js';
import { MemoryTransport } from '../../../lib/transports/memory.transport.js';
import { bindTracking } from '../../../lib/decorators/bind-tracking.js';
import { CapturingLogger } from '../../secrets/support/log-capture.js';

/** Fields every event of the harness carries besides its own (the harness fixes the environment). */
export const COMMON = { event_category: 'backend', environment: 'unit' } as const;

/**
 * An analytics instance on the memory transport, outside Nest: `bind` attaches decorated
 * objects to it, `events()` delivers and returns what was recorded, `drops` collects drops and
 * `logger.lines` what the library logged.
 */
export function decoratorHarness(options: Omit<JitsuAnalyticsOptions, 'destination'> = {}) {
  const transport = new MemoryTransport();
  const logger = new CapturingLogger();
  const analytics = createAnalytics(
    { batchSize: 1000, batchTimeout: 60_000, environment: 'unit', ...options, destination: transport },
    { logger },
  );
  const drops: DroppedInfo[] = [];
  analytics.on('dropped', (d) => drops.push(d));
  return {
    analytics,
    drops,
    logger,
    bind: <T extends object>(instance: T): T => bindTracking(instance, analytics),
    async events(): Promise<AnalyticsEvent[]> {
      await analytics.flush();
      return transport.events();
    },
    async table(name: string): Promise<AnalyticsEvent[]> {
      await analytics.flush();
      return transport.events().filter((e) => e.JITSU_TABLE_NAME === name);
    },
    close: () => analytics.shutdown(),
  };
}

export type DecoratorHarness = ReturnType<typeof decoratorHarness>;

/** The only event in `events`, failing clearly when there is not exactly one. */
export function only(events: AnalyticsEvent[]): AnalyticsEvent {
  if (events.length !== 1) throw new Error(`expected exactly one event, got ${events.length}: ${events.map((e) => e.event).join(', ')}`);
  return events[0]!;
}
