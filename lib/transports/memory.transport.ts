import type { AnalyticsEvent } from '../events/analytics-event.interface.js';
import type { AnalyticsTransport, DeliveryResult, QueuedEvent } from './transport.interface.js';

/**
 * Keeps delivered events in memory, parsed back from the exact JSON that would go on the wire.
 * For tests (`nestjs-jitsu-analytics/testing`) and for apps that read their own events.
 */
export class MemoryTransport implements AnalyticsTransport {
  private readonly delivered: AnalyticsEvent[] = [];
  private readonly listeners = new Set<() => void>();

  async send(batch: readonly QueuedEvent[]): Promise<DeliveryResult> {
    for (const item of batch) this.delivered.push(JSON.parse(item.json) as AnalyticsEvent);
    for (const listener of this.listeners) listener();
    return {};
  }

  events(): AnalyticsEvent[] {
    return [...this.delivered];
  }

  clear(): void {
    this.delivered.length = 0;
  }

  /** Calls `listener` after each delivered batch; returns the unsubscribe function. */
  onDelivery(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
