import { createAnalytics } from '../../lib/create-analytics.js';
import type { JitsuAnalyticsOptions } from '../../lib/analytics.options.js';
import type { DroppedInfo } from '../../lib/pipeline/analytics-stats.interface.js';
import { MemoryTransport } from '../../lib/transports/memory.transport.js';

/** `createAnalytics` on a memory transport, with every drop collected. */
export function memoryAnalytics(options: Omit<JitsuAnalyticsOptions, 'destination'> = {}) {
  const transport = new MemoryTransport();
  const analytics = createAnalytics({ batchSize: 1000, batchTimeout: 60_000, ...options, destination: transport }, { logger: false });
  const drops: DroppedInfo[] = [];
  analytics.on('dropped', (d) => drops.push(d));
  const delivered = async () => {
    await analytics.flush();
    return transport.events();
  };
  return { analytics, transport, drops, delivered };
}
