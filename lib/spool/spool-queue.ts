import { EventQueue } from '../pipeline/event-queue.js';
import type { Pending, StoreStall } from '../pipeline/pending-store.interface.js';
import type { BacklogReader, SpooledPending } from './backlog-reader.js';
import type { SegmentState } from './segment-state.js';
import { ioMessage } from './spool-directory.js';
import { BacklogReadRetry } from './read-retry.js';
import type { SpoolNotices } from './spool-notices.js';

/** How many events, and bytes of them, the spool keeps in memory (`maxQueueSize`/`maxQueueBytes`). */
export interface SpoolWindow {
  maxEvents: number;
  maxBytes: number;
}

/**
 * The spool's waiting events in order: the newest are kept in a bounded in-memory window while
 * nothing older waits on disk, and once the window is full the rest is read back from the
 * backlog, in order, as the sender takes batches.
 */
export class SpoolQueue {
  private readonly window = new EventQueue();
  private readonly readRetry = new BacklogReadRetry();
  private closed = false;

  constructor(
    private readonly limits: SpoolWindow,
    private readonly backlog: BacklogReader,
    private readonly notices: SpoolNotices,
  ) {}

  get length(): number {
    return this.closed ? 0 : this.window.length + this.backlog.length;
  }

  get bytes(): number {
    return this.closed ? 0 : this.window.bytes + this.backlog.bytes;
  }

  /** Waiting events held in memory (the window); the rest are only on disk. */
  get inMemory(): number {
    return this.window.length;
  }

  get stalled(): StoreStall | undefined {
    return this.closed ? undefined : this.readRetry.stall;
  }

  peek(): Pending | undefined {
    this.refill(1, 1);
    return this.window.peek();
  }

  shift(): Pending | undefined {
    this.refill(1, 1);
    return this.window.shift();
  }

  takeBatch(maxEvents: number, maxBytes: number): Pending[] {
    this.refill(maxEvents, maxBytes);
    return this.window.takeBatch(maxEvents, maxBytes);
  }

  /** An event just appended at `offset` of `segment`. */
  add(pending: Pending, segment: SegmentState, offset: number): void {
    const bytes = pending.item.bytes;
    const { maxEvents, maxBytes } = this.limits;
    if (this.backlog.length === 0 && this.window.length < maxEvents && this.window.bytes + bytes <= maxBytes) {
      const spooled: SpooledPending = { item: pending.item, seq: pending.seq, segment: segment.id, offset };
      this.window.push(spooled);
    } else {
      this.backlog.add(segment, offset, bytes);
    }
  }

  clearWindow(): void {
    this.window.drainAll();
  }

  close(): void {
    this.closed = true;
    this.window.drainAll();
    this.backlog.close();
  }

  private refill(targetEvents: number, targetBytes: number): void {
    if (this.closed || this.backlog.length === 0) return;
    const { maxEvents, maxBytes } = this.limits;
    const window = this.window;
    const wantsMore = () =>
      window.length < targetEvents && window.bytes < targetBytes && window.length < maxEvents && window.bytes < maxBytes;
    if (window.length > 0 && !wantsMore()) return;
    if (!this.readRetry.mayRead()) return;
    try {
      this.backlog.readInto((pending) => {
        window.push(pending);
        return wantsMore();
      });
      this.readRetry.succeeded();
    } catch (error) {
      // Until a read succeeds, the events stay counted (and on disk); once given up, those wait for the next start.
      const code = (error as NodeJS.ErrnoException | null)?.code;
      const outcome = this.readRetry.failed(typeof code === 'string' ? code : 'an I/O error', Date.now());
      if (outcome.kind === 'gave_up') this.backlog.setAside();
      this.notices.readFailed(outcome, ioMessage(error));
    }
  }
}
