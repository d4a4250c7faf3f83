import type { RetryPolicy } from '../../lib/analytics-options.resolver.js';
import { decideRetry } from '../../lib/pipeline/retry-policy.js';
import { DeliveryError } from '../../lib/transports/delivery-error.js';
import { MAX_RETRY_AFTER_MS } from '../../lib/transports/jitsu/retry-after.js';

const policy: RetryPolicy = { maxAttempts: 10, initialDelayMs: 500, maxDelayMs: 30_000, maxElapsedMs: 300_000 };
const rateLimited = (retryAfterMs: number) => new DeliveryError('Jitsu is rate limiting (HTTP 429)', { status: 429, retryable: true, retryAfterMs });
const half = () => 0.5;

describe('decideRetry', () => {
  it('waits a random share of the exponential ceiling, and at least what Retry-After asks', () => {
    expect(decideRetry(new Error('ECONNRESET'), { attempts: 3, elapsedMs: 0, batchLength: 1 }, policy, half)).toEqual({ action: 'retry', delayMs: 1000 });
    expect(decideRetry(rateLimited(7000), { attempts: 1, elapsedMs: 0, batchLength: 1 }, policy, half)).toEqual({ action: 'retry', delayMs: 7000 });
  });

  it('cuts a Retry-After longer than the budget left to one last attempt at the deadline, instead of dropping untried', () => {
    expect(decideRetry(rateLimited(3_600_000), { attempts: 1, elapsedMs: 20, batchLength: 1 }, policy, half)).toEqual({ action: 'retry', delayMs: 299_980 });
    expect(decideRetry(rateLimited(3_600_000), { attempts: 2, elapsedMs: 300_000, batchLength: 1 }, policy, half)).toEqual({ action: 'drop', reason: 'retries_exhausted' });
  });

  it('gives up on a backoff that would end past the budget', () => {
    expect(decideRetry(new Error('ECONNRESET'), { attempts: 9, elapsedMs: 299_000, batchLength: 1 }, policy, () => 0.99)).toEqual({ action: 'drop', reason: 'retries_exhausted' });
  });

  it('still retries a backoff that ends exactly when the budget does', () => {
    // attempt 2: a ceiling of 1000 ms, half of it drawn; 500 ms of the budget left.
    expect(decideRetry(new Error('ECONNRESET'), { attempts: 2, elapsedMs: 299_500, batchLength: 1 }, policy, half)).toEqual({ action: 'retry', delayMs: 500 });
  });

  it('splits a batch of two answered 413, and drops only a single event as too_large', () => {
    const tooLarge = new DeliveryError('Jitsu refused the batch as too large (HTTP 413)', { status: 413, retryable: false, tooLarge: true });
    expect(decideRetry(tooLarge, { attempts: 1, elapsedMs: 0, batchLength: 2 }, policy, half)).toEqual({ action: 'split' });
    expect(decideRetry(tooLarge, { attempts: 1, elapsedMs: 0, batchLength: 1 }, policy, half)).toEqual({ action: 'drop', reason: 'too_large' });
  });

  // With the spool, retries have no budget: a wait is bounded only here. A timer given more than
  // 2^31-1 ms, NaN or Infinity fires after 1 ms, so such a wait would retry in a tight loop.
  const spooled: RetryPolicy = { ...policy, maxAttempts: Number.POSITIVE_INFINITY, maxElapsedMs: Number.POSITIVE_INFINITY };

  it("caps a custom transport's Retry-After as the Jitsu transport does, so no wait overflows a timer", () => {
    for (const asked of [2 ** 31 + 1000, 1e12, Number.POSITIVE_INFINITY]) {
      expect(decideRetry(rateLimited(asked), { attempts: 1, elapsedMs: 0, batchLength: 1 }, spooled, half)).toEqual({ action: 'retry', delayMs: MAX_RETRY_AFTER_MS });
    }
  });

  it('ignores a Retry-After that is not a number of milliseconds, falling back to the backoff', () => {
    for (const asked of [Number.NaN, -5000, '3000' as unknown as number]) {
      for (const budget of [policy, spooled]) {
        expect(decideRetry(rateLimited(asked), { attempts: 2, elapsedMs: 0, batchLength: 1 }, budget, half)).toEqual({ action: 'retry', delayMs: 500 });
      }
    }
  });
});
