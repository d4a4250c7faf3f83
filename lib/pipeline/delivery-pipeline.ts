import { MAX_EVENT_BYTES } from '../analytics-options.resolver.js';
import type { AnalyticsTransport, QueuedEvent } from '../transports/transport.interface.js';
import type { AnalyticsReporter } from './analytics-reporter.js';
import { ABORT_GRACE_MS, BatchSender } from './batch-sender.js';
import { EventQueue } from './event-queue.js';
import { type Batch, InFlightBatches } from './in-flight-batches.js';
import { MemoryBound } from './memory-bound.js';
import type { Pending, PendingStore, StoreStall } from './pending-store.interface.js';
import type { PipelineOptions, ShutdownReport } from './pipeline-options.interface.js';
import { asDeliveryError } from './retry-policy.js';
import { Signal } from './signal.js';
import { timesOut, unrefTimer } from './timers.js';

/**
 * The bounded queue and its sender. `offer` is synchronous and O(1): it never waits on the
 * network. Batches leave when `batchSize` events are queued, when `batchTimeout` has passed since
 * the queue became non-empty, on `flush()` and at shutdown; each takes as many queued events as
 * fit `maxBatchEvents`/`maxBatchBytes`, so bursts go out in few large requests, and a steady
 * stream grows its batches while one is in flight. Memory is bounded by counting queued and
 * in-flight events together.
 */
export class DeliveryPipeline {
  private readonly inFlight = new InFlightBatches();
  private readonly settled = new Signal();
  private readonly abort = new AbortController();
  private readonly bound: MemoryBound;
  private seq = 0;
  private flushUntil = 0;
  private timer?: NodeJS.Timeout;
  private drainScheduled = false;
  private state: 'open' | 'closing' | 'closed' = 'open';
  private closing?: Promise<ShutdownReport>;
  /** Set when shutdown gave up on in-flight sends: their late outcome is no longer reported. */
  private abandoned = false;
  private readonly sender: BatchSender;

  constructor(
    private readonly transport: AnalyticsTransport,
    private readonly options: PipelineOptions,
    private readonly reporter: AnalyticsReporter,
    private readonly queue: PendingStore = new EventQueue(),
    /** Called when the last held event (queued or in flight) has its outcome. */
    private readonly onIdle: () => void = () => undefined,
  ) {
    // The spool exists to outlast outages: its batches are retried until delivered or finally
    // refused, however long that takes (the disk bound, `spool_full`, limits what waits).
    const retryPolicy = queue.durable
      ? { ...options.retry, maxAttempts: Number.POSITIVE_INFINITY, maxElapsedMs: Number.POSITIVE_INFINITY }
      : options.retry;
    this.sender = new BatchSender({
      transport,
      reporter,
      store: queue,
      retryPolicy,
      requestTimeout: options.requestTimeout,
      shutdown: this.abort.signal,
      abandoned: () => this.abandoned,
      giveUp: (events, detail) => this.giveUp(events, detail),
    });
    this.bound = new MemoryBound(options, queue, reporter, this.settled);
    // A durable store may start with what an earlier process left: it goes out first.
    if (queue.length > 0) this.scheduleDrain();
  }

  /** Queues one serialised event; false when it was dropped (already counted and announced). */
  offer(item: QueuedEvent): boolean {
    if (this.state === 'closed') return this.reject('closed', item, 'analytics is shut down');
    // Past the shutdown deadline nothing leaves a memory queue any more, nor is it reported again.
    if (this.abort.signal.aborted && !this.queue.durable) return this.reject('closed', item, 'analytics is shutting down (deadline passed)');
    if (item.bytes > MAX_EVENT_BYTES) {
      return this.reject('too_large', item, `event of ${item.bytes} bytes exceeds Jitsu's ${MAX_EVENT_BYTES}-byte limit`);
    }
    // A durable store spills to disk and bounds itself; maxQueueSize/maxQueueBytes bound its memory inside it.
    if (!this.queue.durable && !this.bound.makeRoom(item.bytes)) return this.reject('queue_full', item, 'queue bound reached');
    const refused = this.queue.push({ item, seq: this.seq + 1 });
    if (refused) return this.reject(refused.reason, item, refused.detail);
    this.seq++;
    this.bound.hold(item.bytes);
    if (this.queue.length >= this.options.batchSize || this.state === 'closing') this.scheduleDrain();
    else this.timer ??= unrefTimer(() => this.onBatchTimeout(), this.options.batchTimeout);
    return true;
  }

  /** Resolves when every event queued before the call is delivered or finally dropped. */
  async flush(): Promise<void> {
    const target = this.seq;
    this.flushUntil = Math.max(this.flushUntil, target);
    this.drain();
    if (!this.pendingUpTo(target)) return;
    // Retry waits and the batch timer never keep a process alive on their own; a caller awaiting
    // flush() (a script's last line) asks for the opposite, so a referenced timer holds it open
    // until the events are delivered or dropped.
    const keepAlive = setInterval(() => undefined, KEEP_ALIVE_MS);
    try {
      while (this.pendingUpTo(target)) await this.settled.next();
    } finally {
      clearInterval(keepAlive);
    }
  }

  /** Delivers what it can within `timeoutMs`, then gives up on the rest, reporting it. Idempotent. */
  shutdown(timeoutMs: number): Promise<ShutdownReport> {
    this.closing ??= this.close(timeoutMs);
    return this.closing;
  }

  /**
   * The process is exiting without a shutdown: no send can start or finish any more. A memory
   * queue's events, queued and in flight, are counted as dropped (`exit`); a durable store keeps
   * them for the next start. Synchronous, as `exit` listeners must be. Returns how many events
   * were not delivered.
   */
  abandonAtExit(detail: string): number {
    if (this.state === 'closed') return 0;
    this.state = 'closed';
    this.abandoned = true;
    this.clearTimer();
    const inFlight = this.inFlight.list().flatMap((batch) => batch.events);
    const undelivered = this.queue.length + inFlight.length;
    this.giveUp([...inFlight, ...this.queue.drainAll()], detail, 'exit');
    return undelivered;
  }

  /**
   * How many more events the memory bound takes before refusing them (`queue_full`), so a caller
   * can drop an event before paying to build it. Infinite where the bound never refuses the
   * newest: `overflow: 'dropOldest'`, a durable store (it bounds itself), or a closed pipeline
   * (that refusal is `closed`).
   */
  roomForEvents(): number {
    if (this.queue.durable || this.state === 'closed') return Number.POSITIVE_INFINITY;
    return this.bound.room();
  }

  /** After shutdown: every event offered is refused (`closed`). */
  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Queued events are on disk (the spool): an event counts as kept once `offer` returns. */
  get durable(): boolean {
    return this.queue.durable;
  }

  get queuedEvents(): number {
    return this.queue.length;
  }

  get queuedBytes(): number {
    return this.queue.bytes;
  }

  get inFlightCount(): number {
    return this.inFlight.eventCount;
  }

  /** Why events wait that the store cannot hand out, while that lasts. */
  get storeStalled(): StoreStall | undefined {
    return this.queue.stalled;
  }

  private async close(timeoutMs: number): Promise<ShutdownReport> {
    this.state = 'closing';
    this.clearTimer();
    const drained = this.untilIdle();
    const timedOut = await timesOut(drained, timeoutMs);
    // Counted from the store rather than the memory bound: a spool can lose events to a damaged or
    // removed file (counted as spool_lost), and a durable store may hold some it could not hand out.
    const undelivered = this.queue.length + this.inFlight.eventCount;
    if (timedOut) {
      this.abort.abort();
      const rest = this.queue.drainAll();
      this.bound.release(rest);
      this.giveUp(rest, `not delivered within shutdownTimeout (${timeoutMs} ms)`);
      // A transport that ignores the abort signal must not hold shutdown hostage.
      if (await timesOut(drained, ABORT_GRACE_MS)) this.abandonInFlight();
    }
    this.state = 'closed';
    // A store that still counted events it could not hand out had the batch timer coming back for them.
    this.clearTimer();
    try {
      // A transport whose close never settles must not hold shutdown past its deadline either.
      if (await timesOut(Promise.resolve(this.transport.close?.()), ABORT_GRACE_MS)) {
        this.reporter.warn('transport_close_timeout', `the destination did not close within ${ABORT_GRACE_MS} ms`);
      }
    } catch (error) {
      this.reporter.error(asDeliveryError(error));
    }
    try {
      this.queue.close();
    } catch (error) {
      this.reporter.error(error instanceof Error ? error : new Error(String(error)));
    }
    // A flush() still waiting on events kept for the next start ends here.
    this.settled.notify();
    return this.queue.durable ? { undelivered, spooled: undelivered } : { undelivered };
  }

  private abandonInFlight(): void {
    this.abandoned = true;
    for (const batch of this.inFlight.list()) {
      this.giveUp(batch.events, 'the transport did not stop after the shutdown deadline');
      // Given up, so no longer in flight: a pending flush() resolves instead of waiting for a send that may never end.
      this.settle(batch);
    }
  }

  /** Events left undelivered at shutdown (or exit): dropped, unless a durable store keeps them for the next start. */
  private giveUp(events: readonly Pending[], detail: string, reason: 'shutdown' | 'exit' = 'shutdown'): void {
    if (this.queue.durable) return;
    this.reporter.dropped(reason, events.map((p) => p.item.messageId), detail);
  }

  private async untilIdle(): Promise<void> {
    this.flushUntil = Number.POSITIVE_INFINITY;
    this.drain();
    // Past the deadline, what a durable store still holds stays there: only in-flight sends are
    // awaited. So does what it cannot hand out (a backlog failing to read): waiting cannot help.
    while ((!this.abort.signal.aborted && this.queue.peek() !== undefined) || this.inFlight.size > 0) await this.settled.next();
  }

  private pendingUpTo(target: number): boolean {
    // Shut down: nothing more leaves this process (a durable store keeps the rest for the next start).
    if (this.state === 'closed') return false;
    const head = this.queue.peek();
    if (head !== undefined && head.seq <= target) return true;
    return this.inFlight.holdsUpTo(target);
  }

  private reject(reason: 'closed' | 'too_large' | 'queue_full' | 'spool_full' | 'spool_failed', item: QueuedEvent, detail: string): false {
    this.reporter.dropped(reason, [item.messageId], detail);
    return false;
  }

  private onBatchTimeout(): void {
    this.timer = undefined;
    this.flushUntil = Math.max(this.flushUntil, this.seq);
    this.drain();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    // Deferred so that a synchronous burst of track() calls leaves as a few large batches.
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    }).unref();
  }

  private drain(): void {
    // After the shutdown deadline a durable store keeps its events: reading them out only to give
    // them up would hold shutdown for as long as the whole backlog takes to read.
    if (this.abort.signal.aborted) return;
    while (this.inFlight.size < this.options.maxInFlight && this.queue.length > 0) {
      // A spool whose backlog fails to read can count events it cannot hand out yet: the batch
      // timer comes back for them, also when no new event arrives to wake the pipeline.
      const head = this.queue.peek();
      if (head === undefined) {
        this.timer ??= unrefTimer(() => this.onBatchTimeout(), this.options.batchTimeout);
        break;
      }
      const forced = head.seq <= this.flushUntil;
      if (!forced && this.queue.length < this.options.batchSize) break;
      // While a batch is on its way, a partial one waits for it and leaves with whatever arrived
      // meanwhile: a busy service sends a few large requests rather than one per `batchSize`
      // events. Full batches and flushes use every slot.
      if (!forced && this.inFlight.size > 0 && !this.fullBatchWaiting()) break;
      const events = this.queue.takeBatch(this.options.maxBatchEvents, this.options.maxBatchBytes);
      if (events.length === 0) break;
      const batch = this.inFlight.add(events);
      this.sender
        .deliver(events, (done) => this.settlePart(batch, done))
        .catch((error: unknown) => this.reporter.error(asDeliveryError(error)))
        .then(() => this.settle(batch));
    }
    if (this.queue.length === 0) this.clearTimer();
  }

  private fullBatchWaiting(): boolean {
    return this.queue.length >= this.options.maxBatchEvents || this.queue.bytes >= this.options.maxBatchBytes;
  }

  /**
   * Events of a batch whose outcome is final leave the in-flight count and the memory bound at
   * once, while the rest may still be sent (retried, or the other half of a split).
   */
  private settlePart(batch: Batch, done: readonly Pending[]): void {
    if (this.inFlight.settlePart(batch, done)) this.bound.release(done);
  }

  private settle(batch: Batch): void {
    const rest = this.inFlight.settle(batch);
    if (rest === undefined) return;
    this.bound.release(rest);
    this.settled.notify();
    if (this.state !== 'closed') this.drain();
    if (this.queue.length === 0 && this.inFlight.size === 0) this.onIdle();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Any period: the interval only keeps the event loop referenced. */
const KEEP_ALIVE_MS = 60_000;
