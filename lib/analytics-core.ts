import type { LoggerService } from '@nestjs/common';
import type { ResolvedOptions } from './analytics-options.resolver.js';
import { AttachedFeatures } from './attached-features.js';
import { RequestContext, type RequestFacts } from './context/request-context.js';
import { UnrecordedCalls } from './context/unrecorded-calls.js';
import type { AnalyticsEvent } from './events/analytics-event.interface.js';
import type { EventDraft } from './events/event-draft.interface.js';
import { eventKindSpec } from './events/event-catalog.js';
import type { KindEvent } from './events/event-builders.js';
import { EnvelopeBuilder, invalidDraft, LIBRARY } from './events/envelope-builder.js';
import { envelopeDefaults, FlatEventWriter } from './events/flat-event-writer.js';
import { MessageIdGenerator } from './events/message-id.js';
import { callerFields, type FieldReading } from './events/caller-fields.js';
import { Sanitizer } from './events/sanitize.js';
import { assessPipelineHealth, type QueueLimits } from './health/pipeline-health.js';
import { describeThrown } from './options/describe-thrown.js';
import { isPromiseResult } from './options/sync-result.js';
import { AnalyticsReporter } from './pipeline/analytics-reporter.js';
import type { AnalyticsStats } from './pipeline/analytics-stats.interface.js';
import { DeliveryPipeline } from './pipeline/delivery-pipeline.js';
import { safeLogger } from './pipeline/safe-logger.js';
import { EventIntake, isSnapshot } from './pipeline/event-intake.js';
import { ExitReport } from './pipeline/exit-report.js';
import { createKeyMatcher } from './privacy/sensitive-keys.js';
import { knownSecretSpellings, withKnownSecrets } from './privacy/known-secrets.js';
import { createStringScrubber } from './privacy/scrub-string.js';
import { openSpool } from './spool/open-spool.js';
import { resolveSpoolOptions } from './spool/spool-options.resolver.js';
import type { AnalyticsTransport } from './transports/transport.interface.js';

/**
 * Everything one analytics instance owns: options, request context, reporter and pipeline. The
 * Nest module and `createAnalytics` both wrap one of these; nothing here is process-global.
 * `record` is the single door into the pipeline, and it never throws.
 */
export class AnalyticsCore {
  readonly reporter: AnalyticsReporter;
  readonly requestContext = new RequestContext();
  readonly unrecordedCalls = new UnrecordedCalls();
  /** What was started for this instance; stopped at shutdown, before the final flush. */
  readonly features = new AttachedFeatures();
  /**
   * Errors a decorated method already recorded as a `Backend Error`: one error passing through
   * nested decorated calls (a decorated method calling another, stacked decorators) is recorded
   * once, by the innermost, where it was thrown.
   */
  readonly operationErrors = new WeakSet<object>();
  private readonly pipeline?: DeliveryPipeline;
  /** Events recorded but not built yet (see EventIntake); present when the pipeline is. */
  private readonly intake?: EventIntake;
  /** Announces what an exit without shutdown loses; present when the pipeline is. */
  private readonly exitReport?: ExitReport;
  private readonly ids = new MessageIdGenerator();
  private readonly sanitizer: Sanitizer;
  /** Writes the JSON of events with flat properties directly (see FlatEventWriter). */
  private readonly writer: FlatEventWriter;
  /** Each event's name, time and ids, and the event object when the flat writer cannot be used. */
  private readonly envelopes: EnvelopeBuilder;
  /** Every string of an event passes through it: the privacy rules plus `redact.keys` and the configured write key. */
  private readonly scrub: (text: string) => string;
  private readonly fieldReading: FieldReading = {
    unreadable: () => this.sanitizer.unreadable(),
    warn: (message) => this.reporter.warn('invalid_properties', message),
  };
  /** The app's own shutdown() and then Nest's onApplicationShutdown report what was left once. */
  private shutdownReported = false;
  /** What `queued`/`queuedBytes` are measured against for health. */
  readonly queueLimits: QueueLimits;

  /** The app's logger; one that throws loses its line and nothing else. */
  readonly logger: LoggerService | undefined;

  constructor(
    readonly options: ResolvedOptions,
    transport: AnalyticsTransport | undefined,
    logger: LoggerService | undefined,
  ) {
    this.logger = logger && safeLogger(logger);
    this.scrub = withKnownSecrets(createStringScrubber(options.redactKeys), knownSecretSpellings(options.writeKey));
    this.reporter = new AnalyticsReporter(this.logger, options.debug, this.scrub);
    const isSensitiveKey = createKeyMatcher(options.redactKeys);
    this.sanitizer = new Sanitizer({
      isSensitiveKey,
      scrub: this.scrub,
      maxStringLength: options.maxStringLength,
      maxDepth: 8,
      maxArrayLength: 1000,
      maxEntries: 1000,
    });
    const defaults = envelopeDefaults(this.sanitizer, options);
    this.writer = new FlatEventWriter(this.sanitizer, defaults, options.maxStringLength, LIBRARY);
    this.envelopes = new EnvelopeBuilder(this.sanitizer, defaults, this.scrub, this.reporter);
    // Validated even when disabled, so a bad spool option fails every bootstrap alike.
    const spool = resolveSpoolOptions(options.raw.spool);
    // With a spool, what waits is bounded by the disk, not by the in-memory queue bounds.
    this.queueLimits = spool ? { maxQueueSize: Number.POSITIVE_INFINITY, maxQueueBytes: spool.maxBytes } : options;
    if (options.enabled && transport) {
      const store = spool && openSpool(spool, options, this.reporter);
      this.pipeline = new DeliveryPipeline(this.unrecordedCalls.around(transport), options, this.reporter, store, () => this.exitReport?.idle());
      this.intake = new EventIntake((draft, at, facts) => this.build(draft, at, facts));
      this.exitReport = new ExitReport(this.intake, this.pipeline, this.logger);
    }
  }

  get enabled(): boolean {
    return this.pipeline !== undefined;
  }

  /** Queued events are kept in a spool on disk. */
  get spooled(): boolean {
    return this.pipeline?.durable === true;
  }

  /**
   * Records an event of one of the nine kinds, with its table from the configured names. `facts`
   * are the request's, for a caller that holds them outside its context (the end of a response).
   */
  recordKind(built: KindEvent, draft?: Partial<EventDraft>, facts?: RequestFacts): void {
    if (!this.pipeline) return;
    for (const warning of built.warnings ?? []) this.reporter.warn('invalid_field', warning);
    const spec = eventKindSpec(built.kind);
    this.record({
      event: spec.event,
      table: this.options.tables[built.kind],
      userId: built.userId,
      ...draft,
      properties: built.properties,
    }, facts);
  }

  /**
   * The application's path: checks the draft and keeps it; the envelope, sanitising and
   * serialising run on the next turn (see EventIntake). The event is built now instead when the
   * draft could still change, when a `beforeSend` hook is set (user code that expects to see each
   * event as it is tracked), and with the spool, whose promise is that an event is on disk once
   * the call returns. A bad event, or one the queue bound refuses, is dropped and counted here.
   */
  record(draft: EventDraft, requestFacts?: RequestFacts): void {
    const pipeline = this.pipeline;
    const intake = this.intake;
    if (!pipeline || !intake) return;
    try {
      const problem = invalidDraft(draft);
      if (problem) return this.reporter.dropped('invalid_event', [this.ids.next()], problem);
      // The bound counts the events still waiting to be built: a full queue costs a dead
      // destination's application a counter increment per event, not a serialised event.
      if (intake.length >= pipeline.roomForEvents()) {
        return this.reporter.dropped('queue_full', [this.ids.next()], 'queue bound reached');
      }
      this.exitReport!.watch();
      const at = Date.now();
      const facts = requestFacts ?? this.requestContext.get();
      const deferrable = !this.options.beforeSend && !pipeline.durable && !pipeline.closed;
      if (deferrable && isSnapshot(draft, this.options.maxStringLength)) {
        return intake.push(draft, at, facts);
      }
      intake.drain();
      this.build(draft, at, facts);
    } catch (error) {
      this.reporter.dropped('invalid_event', [this.ids.next()], `could not build the event: ${(error as Error)?.message ?? error}`);
    }
  }

  /** Builds the envelope, serialises once and queues; a bad event is dropped and counted. Never throws. */
  private build(draft: EventDraft, at: number, facts: RequestFacts | undefined): void {
    const messageId = this.ids.next(at);
    try {
      const parts = this.envelopes.parts(draft, messageId, at, facts);
      const beforeSend = this.options.beforeSend;
      if (!beforeSend) {
        const json = this.writer.write(draft, parts, facts) ?? JSON.stringify(this.envelopes.event(draft, parts, facts));
        return this.offer(messageId, draft.table, json);
      }
      let event: AnalyticsEvent | null | undefined;
      try {
        event = beforeSend(this.envelopes.event(draft, parts, facts));
      } catch (error) {
        return this.reporter.dropped('before_send_failed', [messageId], `beforeSend threw: ${describeThrown(error)}`);
      }
      if (isPromiseResult(event)) {
        return this.reporter.dropped('before_send_failed', [messageId], 'beforeSend returned a Promise; it must return the event (or null) synchronously');
      }
      if (!event) return this.reporter.dropped('filtered', [messageId], 'beforeSend returned no event');
      if (typeof event !== 'object' || Array.isArray(event) || typeof event.messageId !== 'string' || event.messageId === '') {
        return this.reporter.dropped('before_send_failed', [messageId], 'beforeSend returned something other than an event with its messageId');
      }
      const table = typeof event.JITSU_TABLE_NAME === 'string' ? event.JITSU_TABLE_NAME : draft.table;
      this.offer(event.messageId, table, JSON.stringify(event));
    } catch (error) {
      this.reporter.dropped('invalid_event', [messageId], `could not build the event: ${(error as Error)?.message ?? error}`);
    }
  }

  private offer(messageId: string, table: string, json: string): void {
    this.pipeline!.offer({ messageId, table, json, bytes: Buffer.byteLength(json) });
  }

  /** A text through the privacy rules every string of an event passes. */
  scrubText(text: string): string {
    return this.scrub(text);
  }

  /** A caller's fields, copied as handed over (see callerFields); a field that throws counts in `warnings.unserialisable`. */
  callerFields(value: unknown, what: string, otherValues?: 'kept' | 'left out'): Record<string, unknown> | undefined {
    return callerFields(value, what, this.fieldReading, otherValues);
  }

  /** Whether a field named so holds a secret (the default names and `redact.keys`). */
  isSensitiveKey(name: string): boolean {
    return this.sanitizer.keyFacts(name).sensitive;
  }

  stats(): AnalyticsStats {
    // Counters include every event recorded so far.
    this.intake?.drain();
    const s = this.reporter.snapshot();
    const { truncated, unserialisable } = this.sanitizer.report;
    const warnings = { ...s.warnings };
    if (truncated) warnings.truncated = truncated;
    if (unserialisable) warnings.unserialisable = unserialisable;
    const queue = {
      queued: this.pipeline?.queuedEvents ?? 0,
      queuedBytes: this.pipeline?.queuedBytes ?? 0,
      inFlight: this.pipeline?.inFlightCount ?? 0,
    };
    const stalled = this.pipeline?.storeStalled;
    const stats: AnalyticsStats = { ...queue, ...s, warnings, health: assessPipelineHealth({ ...queue, failingSince: s.failingSince, stalled }, this.queueLimits) };
    if (stalled) stats.stalled = stalled;
    return stats;
  }

  flush(): Promise<void> {
    this.intake?.drain();
    return this.pipeline ? this.pipeline.flush() : Promise.resolve();
  }

  async shutdown(timeoutMs = this.options.shutdownTimeout): Promise<void> {
    // A feature that fails to stop must not keep the queue from being delivered.
    await this.features.stopAll();
    if (!this.pipeline) return;
    this.intake?.drain();
    const droppedBefore = this.reporter.snapshot().dropped.shutdown ?? 0;
    const { spooled } = await this.pipeline.shutdown(timeoutMs);
    this.exitReport?.stop();
    if (this.shutdownReported) return;
    this.shutdownReported = true;
    // What was really given up: a send past the deadline may still land within its grace.
    const dropped = (this.reporter.snapshot().dropped.shutdown ?? 0) - droppedBefore;
    if (spooled) {
      this.logger?.warn(`shut down with ${spooled} event(s) undelivered after ${timeoutMs} ms; they stay in the spool and are sent at the next start`);
    } else if (dropped > 0) {
      // The drop lines before it are rate-limited: this one gives the whole count.
      this.logger?.warn(`shut down with ${dropped} event(s) undelivered after ${timeoutMs} ms, dropped (reason 'shutdown')`);
    }
  }
}
