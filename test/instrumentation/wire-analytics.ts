import { createAnalytics } from '../../lib/create-analytics.js';
import type { JitsuAnalyticsOptions } from '../../lib/analytics.options.js';
import type { AnalyticsEvent } from '../../lib/events/analytics-event.interface.js';
import type { DroppedInfo } from '../../lib/pipeline/analytics-stats.interface.js';
import type { AnalyticsTransport, QueuedEvent } from '../../lib/transports/transport.interface.js';

/**
 * `createAnalytics` on a transport that keeps each event's serialised JSON exactly as it would go
 * on the wire, so privacy assertions run on the bytes that leave the process. The sampler is off
 * unless a test turns it on, so only the events under test are delivered.
 */
export function wireAnalytics(options: Omit<JitsuAnalyticsOptions, 'destination'> = {}) {
  const wire: QueuedEvent[] = [];
  const transport: AnalyticsTransport = {
    send: async (batch) => {
      wire.push(...batch);
      return {};
    },
  };
  const analytics = createAnalytics(
    { batchSize: 1000, batchTimeout: 60_000, system: { enabled: false }, ...options, destination: transport },
    { logger: false },
  );
  const drops: DroppedInfo[] = [];
  analytics.on('dropped', (d) => drops.push(d));
  const events = async (): Promise<AnalyticsEvent[]> => {
    await analytics.flush();
    return wire.map((item) => JSON.parse(item.json) as AnalyticsEvent);
  };
  const payload = async (): Promise<string> => {
    await analytics.flush();
    return wire.map((item) => item.json).join('\n');
  };
  const clear = async () => {
    await analytics.flush();
    wire.length = 0;
  };
  return { analytics, wire, drops, events, payload, clear };
}

export type WireAnalytics = ReturnType<typeof wireAnalytics>;
