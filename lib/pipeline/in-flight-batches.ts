import type { Pending } from './pending-store.interface.js';

export interface Batch {
  /** Its events whose outcome is not final yet. */
  events: readonly Pending[];
  readonly minSeq: number;
}

/** The batches being sent, and how many of their events still wait for a final outcome. */
export class InFlightBatches {
  private readonly batches = new Set<Batch>();
  private events = 0;

  get size(): number {
    return this.batches.size;
  }

  get eventCount(): number {
    return this.events;
  }

  add(events: readonly Pending[]): Batch {
    const batch: Batch = { events, minSeq: events[0]!.seq };
    this.batches.add(batch);
    this.events += events.length;
    return batch;
  }

  /** False when there is nothing to settle: no events, or the batch already left (given up at shutdown). */
  settlePart(batch: Batch, done: readonly Pending[]): boolean {
    if (done.length === 0 || !this.batches.has(batch)) return false;
    let rest: readonly Pending[] = [];
    if (done.length < batch.events.length) {
      const finished = new Set(done);
      rest = batch.events.filter((p) => !finished.has(p));
    }
    this.events -= batch.events.length - rest.length;
    batch.events = rest;
    return true;
  }

  /** Its events whose outcome was not final yet, or undefined when the batch already left. */
  settle(batch: Batch): readonly Pending[] | undefined {
    if (!this.batches.delete(batch)) return undefined;
    this.events -= batch.events.length;
    return batch.events;
  }

  holdsUpTo(seq: number): boolean {
    for (const batch of this.batches) if (batch.minSeq <= seq) return true;
    return false;
  }

  list(): Batch[] {
    return [...this.batches];
  }
}
