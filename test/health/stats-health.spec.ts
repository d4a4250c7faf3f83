import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { JitsuAnalyticsOptions } from '../../lib/analytics.options.js';
import type { AnalyticsService } from '../../lib/analytics.service.js';
import { createAnalytics } from '../../lib/create-analytics.js';
import { DeliveryError } from '../../lib/transports/delivery-error.js';
import type { AnalyticsTransport } from '../../lib/transports/transport.interface.js';
import { until } from '../support/until.js';

/** A destination that is down until told otherwise. */
class SwitchableDestination implements AnalyticsTransport {
  down = true;
  delivered = 0;
  async send(batch: readonly unknown[]): Promise<void> {
    if (this.down) throw new DeliveryError('destination down', { retryable: true });
    this.delivered += batch.length;
  }
}

const running: AnalyticsService[] = [];
afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(running.splice(0).map((a) => a.shutdown()));
});

function analytics(options: Partial<JitsuAnalyticsOptions>, destination = new SwitchableDestination()) {
  const instance = createAnalytics(
    {
      batchSize: 1000,
      batchTimeout: 5,
      shutdownTimeout: 50,
      retry: { initialDelayMs: 1, maxDelayMs: 5, maxAttempts: 1_000_000, maxElapsedMs: 24 * 3_600_000 },
      ...options,
      destination,
    },
    { logger: false },
  );
  instance.on('dropped', () => undefined);
  running.push(instance);
  return { instance, destination };
}

describe('stats().health', () => {
  it('is up, with an empty queue, before anything happens', () => {
    const { instance } = analytics({});
    expect(instance.stats().health).toEqual({ status: 'up', reasons: [], queueFill: 0 });
  });

  it('reports how full the queue is and goes down at 90% of maxQueueSize', () => {
    const { instance } = analytics({ maxQueueSize: 20, batchTimeout: 60_000 });
    for (let i = 0; i < 17; i++) instance.track('Queued', { i });
    expect(instance.stats().health).toEqual({ status: 'up', reasons: [], queueFill: 0.85 });
    instance.track('Queued', { i: 17 });
    expect(instance.stats().health).toEqual({
      status: 'down',
      reasons: ['queue 90% full (18 of 20 events), at or above the 90% limit'],
      queueFill: 0.9,
    });
  });

  it('tracks how long deliveries have failed, goes down after 5 minutes and recovers on the next delivery', async () => {
    const { instance, destination } = analytics({});
    instance.track('Will Fail');
    await until(() => instance.stats().failed > 0, 'a failed delivery', 2000);
    const failing = instance.stats();
    expect(failing.health.status).toBe('up');
    expect(failing.health.failingForMs).toBeGreaterThanOrEqual(0);
    expect(failing.health.failingForMs).toBeLessThan(2000);

    const realNow = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(realNow + 5 * 60_000 + 1000);
    const later = instance.stats().health;
    jest.restoreAllMocks();
    expect(later.status).toBe('down');
    expect(later.failingForMs).toBeGreaterThan(300_000);
    expect(later.reasons).toEqual([expect.stringMatching(/^deliveries failing since \S+ \(30\d(\.\d)? s\), longer than the 300 s allowed$/)]);

    destination.down = false;
    await instance.flush();
    expect(destination.delivered).toBe(1);
    expect(instance.stats().health).toEqual({ status: 'up', reasons: [], queueFill: 0 });
  });

  it('is up with nothing to report when analytics is disabled', () => {
    const { instance } = analytics({ enabled: false });
    instance.track('Ignored');
    expect(instance.stats().health).toEqual({ status: 'up', reasons: [], queueFill: 0 });
  });
});

describe('stats().health with a disk spool', () => {
  it('measures the backlog against spool.maxBytes, not the in-memory queue bounds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'health-spool-'));
    try {
      const { instance } = analytics({ maxQueueSize: 50, spool: { dir, maxBytes: 64 * 1024 * 1024, fsync: 'never' } });
      for (let i = 0; i < 500; i++) instance.track('Waiting', { i });
      const stats = instance.stats();
      expect(stats.queued + stats.inFlight).toBe(500);
      expect(stats.health.status).toBe('up');
      expect(stats.health.queueFill).toBeLessThan(0.01);
      await instance.shutdown();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
