import type { RetryPolicy } from '../../lib/analytics-options.resolver.js';
import { decideRetry } from '../../lib/pipeline/retry-policy.js';
import { DeliveryError } from '../../lib/transports/delivery-error.js';

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
});
