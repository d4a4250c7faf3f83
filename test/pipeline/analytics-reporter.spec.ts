import type { LoggerService } from '@nestjs/common';
import { jest } from '@jest/globals';
import { AnalyticsReporter } from '../../lib/pipeline/analytics-reporter.js';

function capture() {
  const lines: string[] = [];
  const logger: LoggerService = {
    log: (m) => lines.push(`log ${String(m)}`),
    warn: (m) => lines.push(`warn ${String(m)}`),
    error: (m) => lines.push(`error ${String(m)}`),
  };
  return { logger, lines };
}

describe('AnalyticsReporter errors', () => {
  it("logs a listener's failure through the same cleaning as everything else it logs", () => {
    const { logger, lines } = capture();
    const reporter = new AnalyticsReporter(logger, false, (text) => text.replaceAll('s3cr3t', '[REDACTED]'));
    reporter.on('dropped', () => {
      throw new Error('could not forward to https://hooks.example/s3cr3t');
    });
    reporter.dropped('rejected', ['m1']);
    expect(lines).toEqual(["error a 'dropped' listener threw: could not forward to https://hooks.example/[REDACTED]"]);
  });

  it('says once, at the first failure of a run, that deliveries are failing and being retried', () => {
    const { logger, lines } = capture();
    const reporter = new AnalyticsReporter(logger, false, (text) => text.replaceAll('s3cr3t', '[REDACTED]'));
    reporter.failedAttempt(new Error('connect ECONNREFUSED 127.0.0.1:8080 (key s3cr3t)'), true);
    reporter.failedAttempt(new Error('connect ECONNREFUSED 127.0.0.1:8080 (key s3cr3t)'), true);
    expect(lines).toEqual([
      'warn delivery failed, retrying: connect ECONNREFUSED 127.0.0.1:8080 (key [REDACTED]) (retries are not logged again until a delivery succeeds)',
    ]);
    // A final failure is reported as its drop or error, not as a retry; the retries after it are.
    const other = capture();
    const afterFinal = new AnalyticsReporter(other.logger, false);
    afterFinal.failedAttempt(new Error('HTTP 400'), false);
    expect(other.lines).toEqual([]);
    afterFinal.failedAttempt(new Error('connect ECONNREFUSED'), true);
    expect(other.lines).toEqual(['warn delivery failed, retrying: connect ECONNREFUSED (retries are not logged again until a delivery succeeds)']);
  });

  it('cleans what a warning says before logging it: a destination may quote anything back', () => {
    const { logger, lines } = capture();
    const reporter = new AnalyticsReporter(logger, false, (text) => text.replaceAll('s3cr3t', '[REDACTED]'));
    reporter.warn('destination_warning', 'the destination said: token s3cr3t is deprecated');
    expect(lines).toEqual(['warn the destination said: token [REDACTED] is deprecated']);
    expect(reporter.snapshot().warnings).toEqual({ destination_warning: 1 });
  });

  it('says it again at the first retried failure of the next outage, once a delivery succeeded in between', () => {
    jest.useFakeTimers();
    try {
      const { logger, lines } = capture();
      const reporter = new AnalyticsReporter(logger, false);
      reporter.failedAttempt(new Error('connect ECONNREFUSED'), true);
      reporter.sent(['m1']);
      // Past the log's own rate limit: only the success can make the next outage heard.
      jest.advanceTimersByTime(10_000);
      reporter.failedAttempt(new Error('Jitsu temporarily unavailable (HTTP 503)'), true);
      expect(lines).toEqual([
        'warn delivery failed, retrying: connect ECONNREFUSED (retries are not logged again until a delivery succeeds)',
        'warn delivery failed, retrying: Jitsu temporarily unavailable (HTTP 503) (retries are not logged again until a delivery succeeds)',
      ]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps failingSince from the first failure of an outage until a delivery succeeds', () => {
    jest.useFakeTimers({ now: Date.parse('2026-11-28T08:00:00.000Z') });
    try {
      const reporter = new AnalyticsReporter(undefined, false);
      reporter.failedAttempt(new Error('connect ECONNREFUSED'), true);
      jest.advanceTimersByTime(5_000);
      reporter.failedAttempt(new Error('connect ECONNREFUSED'), true);
      expect(reporter.snapshot().failingSince).toBe('2026-11-28T08:00:00.000Z');
      reporter.sent(['m1']);
      // The health check reads this: a destination that answers again is not failing any more.
      expect(reporter.snapshot()).toMatchObject({ lastSuccessAt: '2026-11-28T08:00:05.000Z' });
      expect(reporter.snapshot().failingSince).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('logs each distinct error once until a delivery succeeds', () => {
    const { logger, lines } = capture();
    const reporter = new AnalyticsReporter(logger, false);
    for (let i = 0; i < 3; i++) reporter.error(new Error('Jitsu rejected the write key (HTTP 401)'));
    expect(lines).toEqual(['error Jitsu rejected the write key (HTTP 401)']);
    reporter.sent(['m1']);
    reporter.error(new Error('Jitsu rejected the write key (HTTP 401)'));
    expect(lines).toHaveLength(2);
  });

  it('bounds what a server that words every answer differently can make it log and remember', () => {
    const { logger, lines } = capture();
    const reporter = new AnalyticsReporter(logger, false);
    for (let i = 0; i < 3000; i++) reporter.error(new Error(`Jitsu refused the batch (HTTP 400): request ${i}`));
    expect(lines).toHaveLength(21);
    expect(lines[20]).toContain('request 20 (and more errors; one line per 10 s)');
  });
});
