import type { RetryPolicy } from '../analytics-options.resolver.js';
import { DeliveryError } from '../transports/delivery-error.js';
import type { AnalyticsTransport, DeliveryResult, QueuedEvent } from '../transports/transport.interface.js';
import type { AnalyticsReporter } from './analytics-reporter.js';
import { readDeliveryResult } from './delivery-result.js';
import type { Pending, PendingStore } from './pending-store.interface.js';
import { asDeliveryError, decideRetry } from './retry-policy.js';
import { sleep, unrefTimer } from './timers.js';

/**
 * How long a send may outlive its deadline or the shutdown abort before it is no longer waited
 * for, ms: long enough for a transport that honours the signal to stop.
 */
export const ABORT_GRACE_MS = 1000;

/** What sending a batch needs from the pipeline that owns it. */
export interface BatchSenderOwner {
  readonly transport: AnalyticsTransport;
  readonly reporter: AnalyticsReporter;
  /** Where delivered and finally dropped events are acknowledged. */
  readonly store: PendingStore;
  readonly retryPolicy: RetryPolicy;
  /** See `PipelineOptions.requestTimeout`. */
  readonly requestTimeout: number | undefined;
  /** Aborted at the shutdown deadline. */
  readonly shutdown: AbortSignal;
  /** True once shutdown gave up on sends in flight: their late outcome is no longer reported. */
  abandoned(): boolean;
  /** Events left undelivered at shutdown. */
  giveUp(events: readonly Pending[], detail: string): void;
}

/** Takes one batch through its attempts: retries, splits of a batch too large, and the final outcome. */
export class BatchSender {
  constructor(private readonly owner: BatchSenderOwner) {}

  /**
   * Sends one batch until it is delivered or finally dropped. Events the destination could not
   * take right now (`retry`) go round again on their own, as a failed batch would. `settled` hears
   * of each part of the batch as soon as its outcome is final, so what is still in flight is
   * exactly what is still being sent. Never rejects.
   */
  async deliver(batch: readonly Pending[], settled: (events: readonly Pending[]) => void): Promise<void> {
    const startedAt = Date.now();
    let events = batch;
    for (let attempts = 1; ; attempts++) {
      // Already counted when shutdown abandoned the batch (the second half of a split, say).
      if (this.owner.abandoned()) return;
      if (this.owner.shutdown.aborted) return this.giveUp(events, settled);
      let error: DeliveryError;
      try {
        const result = await this.sendWithinDeadline(events.map((p) => p.item));
        if (this.owner.abandoned()) return;
        const { warnings, rejected, retry } = readDeliveryResult(result, this.owner.reporter);
        for (const warning of warnings) this.owner.reporter.warn('destination_warning', warning);
        const again = retry && retry.length > 0 ? this.takenBack(events, retry) : undefined;
        if (!again) return this.recordResult(events, rejected, settled);
        const done = events.filter((p) => !again.events.has(p));
        if (done.length > 0) this.recordResult(done, rejected, settled);
        events = [...again.events];
        error = new DeliveryError(`the destination could not take ${events.length} event(s) now: ${again.reasons}`, { retryable: true });
      } catch (thrown) {
        if (this.owner.abandoned()) return;
        error = asDeliveryError(thrown);
        if (this.owner.shutdown.aborted) return this.giveUp(events, settled);
      }
      const decision = decideRetry(error, { attempts, elapsedMs: Date.now() - startedAt, batchLength: events.length }, this.owner.retryPolicy);
      this.owner.reporter.failedAttempt(error, decision.action === 'retry');
      if (decision.action === 'split') {
        const half = Math.ceil(events.length / 2);
        await this.deliver(events.slice(0, half), settled);
        return this.deliver(events.slice(half), settled);
      }
      if (decision.action === 'drop') {
        if (decision.reason === 'unauthorized' || decision.reason === 'rejected') this.owner.reporter.error(error);
        // A transport closed under us is a shutdown, not a verdict on the events: a durable store keeps them.
        if (decision.reason !== 'closed') this.owner.store.acknowledge(events);
        this.owner.reporter.dropped(decision.reason, events.map((p) => p.item.messageId), error.message);
        return settled(events);
      }
      await sleep(decision.delayMs, this.owner.shutdown);
    }
  }

  private giveUp(events: readonly Pending[], settled: (events: readonly Pending[]) => void): void {
    this.owner.giveUp(events, 'shutdown deadline reached');
    settled(events);
  }

  /** The events of `events` named in `retry`, in batch order; undefined when it names none of them. */
  private takenBack(events: readonly Pending[], retry: ReadonlyArray<{ messageId: string; reason: string }>) {
    const named = new Map(retry.map((r) => [r.messageId, r.reason]));
    const taken = new Set(events.filter((p) => named.has(p.item.messageId)));
    if (taken.size === 0) return undefined;
    const reasons = [...new Set([...taken].map((p) => named.get(p.item.messageId)))].slice(0, 3).join('; ');
    return { events: taken, reasons };
  }

  private sendWithinDeadline(items: QueuedEvent[]): Promise<DeliveryResult | void> {
    const timeout = this.owner.requestTimeout;
    if (timeout === undefined) return Promise.resolve(this.owner.transport.send(items, this.owner.shutdown));
    const deadlineMs = timeout + ABORT_GRACE_MS;
    // The send is told to stop at the deadline too: the retry that follows must not race a late
    // first attempt still writing the same events (a warehouse inserting row by row, say).
    // Linked by hand: AbortSignal.any on a long-lived signal leaks its dependants on Node 20.
    const attempt = new AbortController();
    const shutdown = this.owner.shutdown;
    const onShutdown = (): void => attempt.abort();
    if (shutdown.aborted) attempt.abort();
    else shutdown.addEventListener('abort', onShutdown, { once: true });
    const sending = Promise.resolve(this.owner.transport.send(items, attempt.signal));
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
    settled: (events: readonly Pending[]) => void,
  ): void {
    this.owner.store.acknowledge(events);
    settled(events);
    if (!rejected || rejected.length === 0) return this.owner.reporter.sent(events.map((p) => p.item.messageId));
    const refused = new Map(rejected.map((r) => [r.messageId, r.reason]));
    const accepted: string[] = [];
    const refusedIds: string[] = [];
    for (const p of events) (refused.has(p.item.messageId) ? refusedIds : accepted).push(p.item.messageId);
    if (accepted.length > 0) this.owner.reporter.sent(accepted);
    const reasons = [...new Set(refusedIds.map((id) => refused.get(id)))].slice(0, 3).join('; ');
    this.owner.reporter.dropped('rejected', refusedIds, `rejected by the destination: ${reasons}`);
  }
}
