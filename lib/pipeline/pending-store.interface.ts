import type { QueuedEvent } from '../transports/transport.interface.js';
import type { DropReason } from './analytics-stats.interface.js';

export interface Pending {
  readonly item: QueuedEvent;
  /** Enqueue order, used by flush() to know what was queued before it was called. */
  readonly seq: number;
}

/** Why a store could not take an event; the pipeline counts it as a drop with this reason. */
export interface StoreRefusal {
  reason: Extract<DropReason, 'spool_full' | 'spool_failed'>;
  detail: string;
}

/** Why a store holds events it cannot hand out, and since when (an ISO time). */
export interface StoreStall {
  since: string;
  reason: string;
}

/**
 * Where the pipeline keeps events that are waiting to be sent: a FIFO it takes batches from.
 * Two implementations: `EventQueue` (memory only) and `DiskSpool` (lib/spool/), whose events
 * outlive the process. Events taken out (`shift`, `takeBatch`) are in flight; the pipeline calls
 * `acknowledge` once they reach a final outcome, so a durable store may forget them.
 */
export interface PendingStore {
  /** Events waiting (not in flight). */
  readonly length: number;
  /** Serialised bytes of the events waiting. */
  readonly bytes: number;
  /**
   * True when what it holds survives the process: it bounds itself (the pipeline's
   * `maxQueueSize`/`maxQueueBytes` no longer refuse events) and what is undelivered at shutdown
   * is kept for the next start rather than dropped.
   */
  readonly durable: boolean;
  /**
   * Set while the store counts events it cannot hand out (a spool whose backlog fails to read):
   * `peek` then answers undefined although `length` is not 0.
   */
  readonly stalled?: StoreStall;
  peek(): Pending | undefined;
  /** Queues one event at the tail, or says why it cannot. */
  push(pending: Pending): StoreRefusal | undefined;
  shift(): Pending | undefined;
  /** Takes from the head as many events as fit in both limits (always at least one when not empty). */
  takeBatch(maxEvents: number, maxBytes: number): Pending[];
  /** Empties the store at shutdown, returning the events that are lost with it. */
  drainAll(): Pending[];
  /** These events, taken earlier, were delivered or finally dropped: they need not be kept. */
  acknowledge(events: readonly Pending[]): void;
  /** Releases what the store holds open (files, timers); called once, last. */
  close(): void;
}
