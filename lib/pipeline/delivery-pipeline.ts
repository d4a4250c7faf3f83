import type { RetryPolicy } from '../analytics-options.resolver.js';
import { MAX_EVENT_BYTES } from '../analytics-options.resolver.js';
import type { OverflowPolicy } from '../analytics.options.js';
import { DeliveryError } from '../transports/delivery-error.js';
import type { AnalyticsTransport, DeliveryResult, QueuedEvent } from '../transports/transport.interface.js';
import type { AnalyticsReporter } from './analytics-reporter.js';
import { EventQueue } from './event-queue.js';
import type { Pending, PendingStore, StoreStall } from './pending-store.interface.js';
import { readDeliveryResult } from './delivery-result.js';
import { asDeliveryError, decideRetry } from './retry-policy.js';
import { Signal } from './signal.js';
import { sleep, timesOut, unrefTimer } from './timers.js';

export interface PipelineOptions {
  batchSize: number;
  batchTimeout: number;
  maxQueueSize: number;
  maxQueueBytes: number;
  overflow: OverflowPolicy;
  maxBatchEvents: number;
  maxBatchBytes: number;
  maxInFlight: number;
  retry: RetryPolicy;
  /**
   * The transport's own deadline per request, ms. A send still unsettled a grace period later is
   * treated as timed out and retried, so a destination that never answers (and ignores the abort
   * signal) cannot hold a batch, its in-flight slot and every flush forever. None when absent.
   */
  requestTimeout?: number;
}

export interface ShutdownReport {
  /** Events that could not be delivered before the deadline (counted as dropped `shutdown`, unless spooled). */
  undelivered: number;
  /** With a durable store (the disk spool): how many of them were kept for the next start instead. */
  spooled?: number;
}

interface Batch {
  readonly events: Pending[];
  readonly minSeq: number;
}

/**
 * The bounded queue and its sender. `offer` is synchronous and O(1): it never waits on the
 * network. Batches leave when `batchSize` events are queued, when `batchTimeout` has passed since
 * the queue became non-empty, on `flush()` and at shutdown; each takes as many queued events as
 * fit `maxBatchEvents`/`maxBatchBytes`, so bursts go out in few large requests, and a steady
 * stream grows its batches while one is in flight. Memory is bounded by counting queued and
 * in-flight events together.
 */
export class DeliveryPipeline {
  private readonly inFlight = new Set<Batch>();
  private readonly settled = new Signal();
  private readonly abort = new AbortController();
  private heldEvents = 0;
  private heldBytes = 0;
  private inFlightEvents = 0;
  private seq = 0;
  private flushUntil = 0;
  private timer?: NodeJS.Timeout;
  private drainScheduled = false;
  private state: 'open' | 'closing' | 'closed' = 'open';
  private closing?: Promise<ShutdownReport>;
  /** Set when shutdown gave up on in-flight sends: their late outcome is no longer reported. */
  private abandoned = false;
  private readonly retryPolicy: RetryPolicy;

  constructor(
    private readonly transport: AnalyticsTransport,
    private readonly options: PipelineOptions,
    private readonly reporter: AnalyticsReporter,
    private readonly queue: PendingStore = new EventQueue(),
  ) {
    // The spool exists to outlast outages: its batches are retried until delivered or finally
    // refused, however long that takes (the disk bound, `spool_full`, limits what waits).
    this.retryPolicy = queue.durable
      ? { ...options.retry, maxAttempts: Number.POSITIVE_INFINITY, maxElapsedMs: Number.POSITIVE_INFINITY }
      : options.retry;
    // A durable store may start with what an earlier process left: it goes out first.
    this.heldEvents = queue.length;
    this.heldBytes = queue.bytes;
    if (queue.length > 0) this.scheduleDrain();
  }

  /** Queues one serialised event; false when it was dropped (already counted and announced). */
  offer(item: QueuedEvent): boolean {
    if (this.state === 'closed') return this.reject('closed', item, 'analytics is shut down');
    if (item.bytes > MAX_EVENT_BYTES) {
      return this.reject('too_large', item, `event of ${item.bytes} bytes exceeds Jitsu's ${MAX_EVENT_BYTES}-byte limit`);
    }
    // A durable store spills to disk and bounds itself; maxQueueSize/maxQueueBytes bound its memory inside it.
    if (!this.queue.durable && !this.makeRoom(item.bytes)) return this.reject('queue_full', item, 'queue bound reached');
    const refused = this.queue.push({ item, seq: this.seq + 1 });
    if (refused) return this.reject(refused.reason, item, refused.detail);
    this.seq++;
    this.heldEvents++;
    this.heldBytes += item.bytes;
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
   * How many more events the memory bound takes before refusing them (`queue_full`), so a caller
   * can drop an event before paying to build it. Infinite where the bound never refuses the
   * newest: `overflow: 'dropOldest'`, a durable store (it bounds itself), or a closed pipeline
   * (that refusal is `closed`).
   */
  roomForEvents(): number {
    if (this.queue.durable || this.options.overflow === 'dropOldest' || this.state === 'closed') return Number.POSITIVE_INFINITY;
    if (this.heldBytes >= this.options.maxQueueBytes) return 0;
    return this.options.maxQueueSize - this.heldEvents;
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
    return this.inFlightEvents;
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
    // Events a durable store still holds once idle are those it could not hand out.
    const undelivered = this.heldEvents;
    if (timedOut) {
      this.abort.abort();
      const rest = this.queue.drainAll();
      this.release(rest);
      this.giveUp(rest, `not delivered within shutdownTimeout (${timeoutMs} ms)`);
      // A transport that ignores the abort signal must not hold shutdown hostage.
      if (await timesOut(drained, ABORT_GRACE_MS)) this.abandonInFlight();
    }
    this.state = 'closed';
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
    for (const batch of [...this.inFlight]) {
      this.giveUp(batch.events, 'the transport did not stop after the shutdown deadline');
      // Given up, so no longer in flight: a pending flush() resolves instead of waiting for a send that may never end.
      this.settle(batch);
    }
  }

  /** Events left undelivered at shutdown: dropped, unless a durable store keeps them for the next start. */
  private giveUp(events: readonly Pending[], detail: string): void {
    if (this.queue.durable) return;
    this.reporter.dropped('shutdown', events.map((p) => p.item.messageId), detail);
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
    for (const batch of this.inFlight) if (batch.minSeq <= target) return true;
    return false;
  }

  private makeRoom(bytes: number): boolean {
    const fits = () =>
      this.heldEvents + 1 <= this.options.maxQueueSize && this.heldBytes + bytes <= this.options.maxQueueBytes;
    if (fits()) return true;
    if (this.options.overflow !== 'dropOldest') return false;
    const evicted: Pending[] = [];
    while (!fits() && this.queue.length > 0) {
      const oldest = this.queue.shift()!;
      this.release([oldest]);
      evicted.push(oldest);
    }
    this.reporter.dropped('queue_full', evicted.map((p) => p.item.messageId), 'queue bound reached; oldest dropped');
    if (evicted.length > 0) this.settled.notify();
    return fits();
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
      const batch: Batch = { events, minSeq: events[0]!.seq };
      this.inFlight.add(batch);
      this.inFlightEvents += events.length;
      this.deliver(events)
        .catch((error: unknown) => this.reporter.error(asDeliveryError(error)))
        .then(() => this.settle(batch));
    }
    if (this.queue.length === 0) this.clearTimer();
  }

  private fullBatchWaiting(): boolean {
    return this.queue.length >= this.options.maxBatchEvents || this.queue.bytes >= this.options.maxBatchBytes;
  }

  private settle(batch: Batch): void {
    if (!this.inFlight.delete(batch)) return;
    this.inFlightEvents -= batch.events.length;
    this.release(batch.events);
    this.settled.notify();
    if (this.state !== 'closed') this.drain();
  }

  private release(events: readonly Pending[]): void {
    for (const p of events) {
      this.heldEvents--;
      this.heldBytes -= p.item.bytes;
    }
  }

  /** Sends one batch until it is delivered or finally dropped. Never rejects. */
  private async deliver(events: readonly Pending[]): Promise<void> {
    const startedAt = Date.now();
    const ids = () => events.map((p) => p.item.messageId);
    for (let attempts = 1; ; attempts++) {
      // Already counted when shutdown abandoned the batch (the second half of a split, say).
      if (this.abandoned) return;
      if (this.abort.signal.aborted) return this.giveUp(events, 'shutdown deadline reached');
      try {
        const result = await this.sendWithinDeadline(events.map((p) => p.item));
        if (this.abandoned) return;
        const { warnings, rejected } = readDeliveryResult(result, this.reporter);
        for (const warning of warnings) this.reporter.warn('destination_warning', warning);
        return this.recordResult(events, rejected);
      } catch (thrown) {
        if (this.abandoned) return;
        const error = asDeliveryError(thrown);
        if (this.abort.signal.aborted) return this.giveUp(events, 'shutdown deadline reached');
        const decision = decideRetry(
          error,
          { attempts, elapsedMs: Date.now() - startedAt, batchLength: events.length },
          this.retryPolicy,
        );
        this.reporter.failedAttempt(error, decision.action === 'retry');
        if (decision.action === 'split') {
          const half = Math.ceil(events.length / 2);
          await this.deliver(events.slice(0, half));
          return this.deliver(events.slice(half));
        }
        if (decision.action === 'drop') {
          if (decision.reason === 'unauthorized' || decision.reason === 'rejected') this.reporter.error(error);
          // A transport closed under us is a shutdown, not a verdict on the events: a durable store keeps them.
          if (decision.reason !== 'closed') this.queue.acknowledge(events);
          return this.reporter.dropped(decision.reason, ids(), error.message);
        }
        await sleep(decision.delayMs, this.abort.signal);
      }
    }
  }

  private sendWithinDeadline(items: QueuedEvent[]): Promise<DeliveryResult | void> {
    const timeout = this.options.requestTimeout;
    if (timeout === undefined) return Promise.resolve(this.transport.send(items, this.abort.signal));
    const deadlineMs = timeout + ABORT_GRACE_MS;
    // The send is told to stop at the deadline too: the retry that follows must not race a late
    // first attempt still writing the same events (a warehouse inserting row by row, say).
    // Linked by hand: AbortSignal.any on a long-lived signal leaks its dependants on Node 20.
    const attempt = new AbortController();
    const shutdown = this.abort.signal;
    const onShutdown = (): void => attempt.abort();
    if (shutdown.aborted) attempt.abort();
    else shutdown.addEventListener('abort', onShutdown, { once: true });
    const sending = Promise.resolve(this.transport.send(items, attempt.signal));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = unrefTimer(() => {
        reject(new DeliveryError(`the destination did not answer within ${deadlineMs} ms`, { retryable: true }));
        attempt.abort();
      }, deadlineMs);
    });
    // The send that lost the race may still settle later: its outcome no longer matters.
    sending.catch(() => undefined);
    return Promise.race([sending, deadline]).finally(() => {
      clearTimeout(timer);
      shutdown.removeEventListener('abort', onShutdown);
    });
  }

  private recordResult(
    events: readonly Pending[],
    rejected: ReadonlyArray<{ messageId: string; reason: string }> | undefined,
  ): void {
    this.queue.acknowledge(events);
    if (!rejected || rejected.length === 0) return this.reporter.sent(events.map((p) => p.item.messageId));
    const refused = new Map(rejected.map((r) => [r.messageId, r.reason]));
    const accepted: string[] = [];
    const refusedIds: string[] = [];
    for (const p of events) (refused.has(p.item.messageId) ? refusedIds : accepted).push(p.item.messageId);
    if (accepted.length > 0) this.reporter.sent(accepted);
    const reasons = [...new Set(refusedIds.map((id) => refused.get(id)))].slice(0, 3).join('; ');
    this.reporter.dropped('rejected', refusedIds, `rejected by the destination: ${reasons}`);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Any period: the interval only keeps the event loop referenced. */
const KEEP_ALIVE_MS = 60_000;
const ABORT_GRACE_MS = 1000;
