import { Injectable } from '@nestjs/common';
import type { AnalyticsEvent } from '../events/analytics-event.interface.js';
import { AnalyticsService } from '../analytics.service.js';
import { MemoryTransport } from '../transports/memory.transport.js';

/** Reads what the app under test tracked, as it would have gone on the wire. */
@Injectable()
export class AnalyticsRecorder {
  constructor(
    private readonly transport: MemoryTransport,
    private readonly analytics: AnalyticsService,
  ) {}

  /** Every event delivered so far (call `flush()` or `waitFor()` first: delivery is asynchronous). */
  events(): AnalyticsEvent[] {
    return this.transport.events();
  }

  eventsFor(table: string): AnalyticsEvent[] {
    return this.events().filter((e) => e.JITSU_TABLE_NAME === table);
  }

  clear(): void {
    this.transport.clear();
  }

  /** Delivers everything queued so far. */
  flush(): Promise<void> {
    return this.analytics.flush();
  }

  /** Resolves with the first delivered event matching `predicate`; rejects after `timeoutMs`. */
  async waitFor(predicate: (event: AnalyticsEvent) => boolean, timeoutMs = 2000): Promise<AnalyticsEvent> {
    const found = () => this.transport.events().find(predicate);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.analytics.flush();
      const event = found();
      if (event) return event;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`AnalyticsRecorder.waitFor: no matching event within ${timeoutMs} ms (${this.transport.events().length} events recorded)`);
      }
      await new Promise<void>((resolve) => {
        const stop = this.transport.onDelivery(() => {
          clearTimeout(timer);
          stop();
          resolve();
        });
        // Not unref()'d: a test awaiting waitFor() must get its answer, never a process that
        // exits half-way with code 0 because nothing else kept it alive.
        const timer = setTimeout(() => {
          stop();
          resolve();
        }, Math.min(left, 50));
      });
    }
  }
}
