import type { JitsuAnalyticsOptions } from '../../../lib/analytics.options.js';
import { createAnalytics } from '../../../lib/create-analytics.js';
import type { DroppedInfo } from '../../../lib/pipeline/analytics-stats.interface.js';
import type { AnalyticsTransport, QueuedEvent } from '../../../lib/transports/transport.interface.js';
import { CapturingLogger } from '../../secrets/support/log-capture.js';

/** A custom destination keeping the exact JSON of every event it is given. */
export class CapturingDestination implements AnalyticsTransport {
  private payloads: string[] = [];

  async send(batch: readonly QueuedEvent[]): Promise<void> {
    for (const item of batch) this.payloads.push(item.json);
  }

  /** The payloads received since the last call. */
  take(): string[] {
    return this.payloads.splice(0);
  }
}

export interface Settled {
  payloads: string[];
  /** Events counted as dropped since the last settle, by every `dropped` announcement. */
  droppedCount: number;
  drops: DroppedInfo[];
}

/**
 * `createAnalytics` on a capturing destination with a capturing logger. `settle()` delivers what
 * was queued and returns what arrived and what was counted as dropped since the previous call,
 * so a property can check that every offered event is one or the other.
 */
export function fuzzAnalytics(options: Omit<JitsuAnalyticsOptions, 'destination'> = {}) {
  const destination = new CapturingDestination();
  const logger = new CapturingLogger();
  const analytics = createAnalytics(
    { batchSize: 100_000, batchTimeout: 60_000, ...options, destination },
    { logger },
  );
  let drops: DroppedInfo[] = [];
  const errors: Error[] = [];
  analytics.on('dropped', (d) => drops.push(d)).on('error', (e) => errors.push(e));
  const settle = async (): Promise<Settled> => {
    await analytics.flush();
    const taken = drops;
    drops = [];
    return { payloads: destination.take(), droppedCount: taken.reduce((n, d) => n + d.count, 0), drops: taken };
  };
  return { analytics, destination, logger, errors, settle };
}
