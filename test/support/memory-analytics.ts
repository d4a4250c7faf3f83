import { afterEach } from '@jest/globals';
import { createAnalytics } from '../../lib/create-analytics.js';
import type { JitsuAnalyticsOptions } from '../../lib/analytics.options.js';
import type { AnalyticsService } from '../../lib/analytics.service.js';
import type { DroppedInfo } from '../../lib/pipeline/analytics-stats.interface.js';
import { MemoryTransport } from '../../lib/transports/memory.transport.js';

// Every instance is shut down after its test, as an app would be: one left running keeps its
// sampler and its process listeners (the uncaught-error monitor) for the rest of the file.
const running = new Set<AnalyticsService>();
afterEach(async () => {
  const instances = [...running];
  running.clear();
  await Promise.all(instances.map((analytics) => analytics.shutdown()));
});

/** `createAnalytics` on a memory transport, with every drop collected; shut down after the test. */
export function memoryAnalytics(options: Omit<JitsuAnalyticsOptions, 'destination'> = {}) {
  const transport = new MemoryTransport();
  const analytics = createAnalytics({ batchSize: 1000, batchTimeout: 60_000, ...options, destination: transport }, { logger: false });
  running.add(analytics);
  const drops: DroppedInfo[] = [];
  analytics.on('dropped', (d) => drops.push(d));
  const delivered = async () => {
    await analytics.flush();
    return transport.events();
  };
  return { analytics, transport, drops, delivered };
}
