import type { Pending, PendingStore } from './pending-store.interface.js';

export type { Pending } from './pending-store.interface.js';

/**
 * FIFO of pending events with O(1) push/shift and a running byte total. Memory only: the
 * pipeline bounds it, and what it holds is lost with the process.
 */
export class EventQueue implements PendingStore {
  readonly durable = false;
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

  push(pending: Pending): undefined {
    this.items.push(pending);
    this.byteTotal += pending.item.bytes;
    return undefined;
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

  /** Nothing to forget: a delivered event already left the queue when it was taken. */
  acknowledge(): void {}

  close(): void {}

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
