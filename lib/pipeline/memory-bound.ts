import type { AnalyticsReporter } from './analytics-reporter.js';
import type { Pending, PendingStore } from './pending-store.interface.js';
import type { PipelineOptions } from './pipeline-options.interface.js';
import type { Signal } from './signal.js';

/**
 * The pipeline's memory bound (`maxQueueSize`/`maxQueueBytes`): it counts queued and in-flight
 * events together, from the moment an event is queued until its outcome is final.
 */
export class MemoryBound {
  private heldEvents: number;
  private heldBytes: number;

  /** `settled` hears of events evicted by `overflow: 'dropOldest'`: their outcome is final. */
  constructor(
    private readonly options: Pick<PipelineOptions, 'maxQueueSize' | 'maxQueueBytes' | 'overflow'>,
    private readonly queue: PendingStore,
    private readonly reporter: AnalyticsReporter,
    private readonly settled: Signal,
  ) {
    // A durable store may start with what an earlier process left: it is held from the start.
    this.heldEvents = queue.length;
    this.heldBytes = queue.bytes;
  }

  room(): number {
    if (this.options.overflow === 'dropOldest') return Number.POSITIVE_INFINITY;
    if (this.heldBytes >= this.options.maxQueueBytes) return 0;
    return this.options.maxQueueSize - this.heldEvents;
  }

  makeRoom(bytes: number): boolean {
    if (this.fits(bytes)) return true;
    if (this.options.overflow !== 'dropOldest') return false;
    const evicted: Pending[] = [];
    while (!this.fits(bytes) && this.queue.length > 0) {
      const oldest = this.queue.shift()!;
      this.release([oldest]);
      evicted.push(oldest);
    }
    this.reporter.dropped('queue_full', evicted.map((p) => p.item.messageId), 'queue bound reached; oldest dropped');
    if (evicted.length > 0) this.settled.notify();
    return this.fits(bytes);
  }

  hold(bytes: number): void {
    this.heldEvents++;
    this.heldBytes += bytes;
  }

  release(events: readonly Pending[]): void {
    for (const p of events) {
      this.heldEvents--;
      this.heldBytes -= p.item.bytes;
    }
  }

  private fits(bytes: number): boolean {
    return this.heldEvents + 1 <= this.options.maxQueueSize && this.heldBytes + bytes <= this.options.maxQueueBytes;
  }
}
