/** Why a batch that can never be delivered was dropped; keys of `stats().dropped`. */
export type FinalDropReason = 'rejected' | 'unauthorized' | 'retries_exhausted' | 'too_large' | 'closed';

export interface DeliveryErrorInit {
  /** HTTP status, when the destination answered. */
  status?: number;
  /** Whether trying again later may succeed (5xx, 429, network errors, a database that is down). */
  retryable: boolean;
  /** The destination asked to wait this long before the next attempt (`Retry-After`). */
  retryAfterMs?: number;
  /** The batch is too large for the destination (413): split it and try the halves. */
  tooLarge?: boolean;
  /** The reason counted when the batch is dropped for good. */
  dropReason?: FinalDropReason;
  cause?: unknown;
}

/**
 * A failed delivery, described for the retry policy. Messages never contain the write key or a
 * response body that could echo it.
 */
export class DeliveryError extends Error {
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly tooLarge: boolean;
  readonly dropReason: FinalDropReason;

  constructor(message: string, init: DeliveryErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'DeliveryError';
    this.status = init.status;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.tooLarge = init.tooLarge ?? false;
    this.dropReason = init.dropReason ?? (init.retryable ? 'retries_exhausted' : 'rejected');
  }
}
