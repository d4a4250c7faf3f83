/**
 * An event as the pipeline holds it: serialised once at enqueue, so later mutation of the
 * caller's object changes nothing and byte bounds are exact.
 */
export interface QueuedEvent {
  readonly messageId: string;
  readonly table: string;
  /** The event serialised as JSON (an `AnalyticsEvent`). */
  readonly json: string;
  /** `Buffer.byteLength(json)`. */
  readonly bytes: number;
}

/**
 * Events the destination refused individually, or could not take right now; every other event of
 * the batch counts as sent.
 */
export interface DeliveryResult {
  rejected?: ReadonlyArray<{ messageId: string; reason: string }>;
  /**
   * Events the destination could not take right now (throttled, a failing queue behind it): sent
   * again under the retry policy, as a failed batch would be.
   */
  retry?: ReadonlyArray<{ messageId: string; reason: string }>;
  /** What the destination said that could not be tied to an event; the batch still counts as sent. */
  warnings?: readonly string[];
}

/**
 * Where batches go. `send` resolves when the destination has accepted the batch, or throws a
 * `DeliveryError` (anything else thrown is treated as a retryable network-style failure).
 * The signal aborts a send at shutdown or on timeout.
 */
export interface AnalyticsTransport {
  send(batch: readonly QueuedEvent[], signal: AbortSignal): Promise<DeliveryResult | void>;
  close?(): Promise<void>;
}
