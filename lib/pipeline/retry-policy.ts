import type { RetryPolicy } from '../analytics-options.resolver.js';
import { describeThrown } from '../options/describe-thrown.js';
import { DeliveryError, FinalDropReason } from '../transports/delivery-error.js';
import { MAX_RETRY_AFTER_MS } from '../transports/jitsu/retry-after.js';

export type RetryDecision =
  | { action: 'retry'; delayMs: number }
  | { action: 'split' }
  | { action: 'drop'; reason: FinalDropReason };

export interface AttemptState {
  /** Attempts made so far, the failed one included (1 after the first failure). */
  attempts: number;
  /** ms since the batch's first attempt started. */
  elapsedMs: number;
  batchLength: number;
}

/**
 * What to do after a failed delivery. Full-jitter exponential backoff (a random wait in
 * [0, min(cap, base·2^(attempt-1))]) spreads the retries of many processes after an outage; a
 * `Retry-After` from the server is a floor, never shortened by the jitter. A backoff that would end
 * past `maxElapsedMs` gives up now rather than sleeping for nothing; a `Retry-After` that would is
 * cut to a last attempt at that deadline.
 */
export function decideRetry(
  error: unknown,
  state: AttemptState,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  const failure = asDeliveryError(error);
  if (failure.tooLarge) {
    return state.batchLength > 1 ? { action: 'split' } : { action: 'drop', reason: 'too_large' };
  }
  if (!failure.retryable) return { action: 'drop', reason: failure.dropReason };
  if (state.attempts >= policy.maxAttempts) return { action: 'drop', reason: 'retries_exhausted' };

  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (state.attempts - 1));
  const jittered = Math.floor(random() * ceiling);
  const retryAfterMs = askedWait(failure.retryAfterMs);
  const delayMs = Math.max(jittered, retryAfterMs ?? 0);
  const budgetLeft = policy.maxElapsedMs - state.elapsedMs;
  if (delayMs <= budgetLeft) return { action: 'retry', delayMs };
  // A server that asks for a longer wait than the budget has left gets one last attempt when the
  // budget ends, rather than a drop without a single retry.
  if (retryAfterMs !== undefined && budgetLeft > 0) return { action: 'retry', delayMs: budgetLeft };
  return { action: 'drop', reason: 'retries_exhausted' };
}

/**
 * A custom transport's `retryAfterMs` may be anything. Capped like the Jitsu transport's header:
 * the spool retries without a budget, so nothing else bounds the wait, and a timer given more than
 * 2^31-1 ms (or NaN) fires at once, which would turn a long wait into a tight retry loop.
 */
function askedWait(ms: unknown): number | undefined {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) return undefined;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/**
 * Anything a transport throws that is not a DeliveryError is treated as a network failure. Never
 * throws, whatever was thrown (an object without `toString`, a revoked proxy).
 */
export function asDeliveryError(error: unknown): DeliveryError {
  try {
    if (error instanceof DeliveryError) return error;
  } catch {
    // instanceof on a proxy whose getPrototypeOf trap throws.
  }
  return new DeliveryError(`delivery failed: ${describeThrown(error)}`, { retryable: true, cause: error });
}
