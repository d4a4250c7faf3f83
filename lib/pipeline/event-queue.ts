import type { QueuedEvent } from '../transports/transport.interface.js';

export interface Pending {
  readonly item: QueuedEvent;
  /** Enqueue order, used by flush() to know what was queued before it was called. */
  readonly seq: number;
}

/** FIFO of pending events with O(1) push/shift and a running byte total. */
export class EventQueue {
  private items: Pending[] = [];
  private head = 0;
  private byteTotal = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.byteTotal;
  }

  peek(): Pending | undefined {
    return this.items[this.head];
  }

  push(pending: Pending): void {
    this.items.push(pending);
    this.byteTotal += pending.item.bytes;
  }

  shift(): Pending | undefined {
    const pending = this.items[this.head];
    if (pending === undefined) return undefined;
    this.items[this.head++] = undefined as unknown as Pending;
    this.byteTotal -= pending.item.bytes;
    this.compact();
    return pending;
  }

  /** Takes from the head as many events as fit in both limits (always at least one). */
  takeBatch(maxEvents: number, maxBytes: number): Pending[] {
    const batch: Pending[] = [];
    let bytes = 0;
    while (batch.length < maxEvents) {
      const next = this.items[this.head];
      if (next === undefined) break;
      if (batch.length > 0 && bytes + next.item.bytes > maxBytes) break;
      bytes += next.item.bytes;
      batch.push(next);
      this.items[this.head++] = undefined as unknown as Pending;
    }
    this.byteTotal -= bytes;
    this.compact();
    return batch;
  }

  /** Empties the queue, returning what it held. */
  drainAll(): Pending[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    this.byteTotal = 0;
    return rest;
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
