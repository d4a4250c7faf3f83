import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../../lib/transports/jitsu/retry-after.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an IMF-fixdate relative to now', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:30 GMT', now)).toBe(30_000);
  });

  it('reads the obsolete RFC 850 and asctime forms as GMT', () => {
    expect(parseRetryAfter('Saturday, 01-Mar-25 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sat Mar  1 12:00:07 2025', now)).toBe(7000);
  });

  it('clamps a date in the past and a negative delay to 0', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBe(0);
  });

  it('caps long waits', () => {
    expect(parseRetryAfter('86400', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Sun, 02 Mar 2025 12:00:00 GMT', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('9'.repeat(400), now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('returns undefined for absent or garbage values', () => {
    for (const value of [undefined, '', '   ', 'soon', 'foo 1', 'Tue 5', '1e3', '12s', '2025-03-01T12:00:30Z', '0x10']) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });

  it('takes the first usable value of a repeated header', () => {
    expect(parseRetryAfter(['garbage', '3', '9'], now)).toBe(3000);
    expect(parseRetryAfter(['nope', 'never'], now)).toBeUndefined();
    expect(parseRetryAfter([], now)).toBeUndefined();
  });

  it('defaults now to the clock', () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const ms = parseRetryAfter(inTenSeconds);
    expect(ms).toBeGreaterThan(8000);
    expect(ms).toBeLessThanOrEqual(10_000);
  });
});
