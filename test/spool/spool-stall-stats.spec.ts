import { jest } from '@jest/globals';
import * as realFs from 'node:fs';
import type { AnalyticsService } from '../../lib/analytics.service.js';
import type { QueuedEvent } from '../../lib/transports/transport.interface.js';
import { until } from '../support/until.js';
import { tempDirs } from './spool-test-support.js';

// The disk cannot be told to fail a read: `readSync` throws `failure` while it is set.
let failure: NodeJS.ErrnoException | undefined;
jest.unstable_mockModule('node:fs', () => ({
  ...realFs,
  readSync: (...args: Parameters<typeof realFs.readSync>) => {
    if (failure) throw failure;
    return realFs.readSync(...args);
  },
}));
const { createAnalytics } = await import('../../lib/create-analytics.js');

const dirs = tempDirs();
let analytics: AnalyticsService | undefined;
afterEach(async () => {
  failure = undefined;
  jest.restoreAllMocks();
  await analytics?.shutdown();
  analytics = undefined;
  dirs.cleanup();
});

describe('a spool whose backlog fails to read, seen through stats() and health', () => {
  it('reports the stall with its error code at once, and health down once it has lasted 5 minutes', async () => {
    const delivered: QueuedEvent[] = [];
    analytics = createAnalytics(
      {
        // A memory window of 10 events: the rest of the 100 are read back from disk.
        spool: { dir: dirs.make(), fsync: 'never' },
        maxQueueSize: 10,
        batchSize: 10,
        batchTimeout: 5,
        system: { enabled: false },
        destination: { send: async (batch) => void delivered.push(...batch) },
      },
      { logger: false },
    );
    analytics.on('error', () => undefined);
    failure = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    for (let i = 0; i < 100; i++) analytics.track('Spooled', { i });
    await until(() => analytics!.stats().stalled !== undefined, 'the backlog read to fail');

    const stats = analytics.stats();
    expect(stats.stalled).toEqual({ since: expect.any(String), reason: expect.stringContaining('(EIO)') });
    expect(stats.health.status).toBe('up');
    expect(delivered.length).toBeLessThan(100);

    const since = Date.parse(stats.stalled!.since);
    jest.spyOn(Date, 'now').mockReturnValue(since + 5 * 60_000 + 1);
    expect(analytics.stats().health).toMatchObject({ status: 'down', reasons: [expect.stringContaining('could not read back the spool (EIO)')] });

    // A read that works again ends the stall: every event goes out, and health is up.
    jest.restoreAllMocks();
    failure = undefined;
    await until(() => delivered.length === 100, 'the backlog to be delivered', 10_000);
    expect(analytics.stats().stalled).toBeUndefined();
    expect(analytics.stats().health.status).toBe('up');
  });
});
