import type { LoggerService } from '@nestjs/common';
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
