import 'reflect-metadata';
import { readdirSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import type { AnalyticsService } from '../../lib/analytics.service.js';
import { createAnalytics } from '../../lib/create-analytics.js';
import { JitsuAnalyticsModule } from '../../lib/jitsu-analytics.module.js';
import type { DroppedInfo } from '../../lib/pipeline/analytics-stats.interface.js';
import type { SpoolOptions } from '../../lib/spool/spool.options.js';
import { MemoryTransport } from '../../lib/transports/memory.transport.js';
import { hang, ScriptedTransport } from '../support/scripted-transport.js';
import { tempDirs } from './spool-test-support.js';

const dirs = tempDirs();
const running: AnalyticsService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.shutdown()));
  dirs.cleanup();
});

function captureLogger() {
  const lines: string[] = [];
  const logger: LoggerService = {
    log: (m) => lines.push(`log ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  return { logger, lines };
}

function analytics(spool: SpoolOptions, destination: MemoryTransport | ScriptedTransport = new MemoryTransport(), logger?: LoggerService) {
  const instance = createAnalytics({ destination, spool, batchSize: 50, batchTimeout: 20, shutdownTimeout: 100 }, { logger: logger ?? false });
  const drops: DroppedInfo[] = [];
  instance.on('dropped', (d) => drops.push(d));
  running.push(instance);
  return { instance, destination, drops };
}

const seqs = (transport: MemoryTransport) => transport.events().map((e) => (e.properties as { n: number }).n);

describe('analytics with spool: { dir }', () => {
  it('delivers through the spool and leaves the directory empty once everything is delivered', async () => {
    const dir = dirs.make();
    const { instance, destination } = analytics({ dir, fsync: 'always' });
    for (let n = 0; n < 30; n++) instance.track('Spooled', { n });
    await instance.flush();
    expect(seqs(destination as MemoryTransport)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    await instance.shutdown();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps undelivered events across a restart: the next instance sends them first', async () => {
    const dir = dirs.make();
    const { logger, lines } = captureLogger();
    const first = analytics({ dir }, new ScriptedTransport().next(1000, hang), logger);
    for (let n = 0; n < 10; n++) first.instance.track('Kept', { n });
    await first.instance.shutdown();
    // Nest's onApplicationShutdown after the app's own call: the same stop, reported once.
    await first.instance.shutdown();
    expect(first.drops).toEqual([]);
    expect(lines.filter((l) => l.includes('shut down with'))).toHaveLength(1);
    expect(lines).toContain('warn shut down with 10 event(s) undelivered after 100 ms; they stay in the spool and are sent at the next start');

    const second = analytics({ dir });
    second.instance.track('Kept', { n: 10 });
    await second.instance.flush();
    expect(seqs(second.destination as MemoryTransport)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('counts a torn tail as stats().warnings.spool_corrupt and delivers everything before it', async () => {
    const dir = dirs.make();
    const first = analytics({ dir }, new ScriptedTransport().next(1000, hang));
    for (let n = 0; n < 5; n++) first.instance.track('Torn', { n });
    await first.instance.shutdown();
    const segment = join(dir, readdirSync(dir).find((f) => f.endsWith('.seg'))!);
    truncateSync(segment, readFileSync(segment).length - 3);

    const second = analytics({ dir });
    await second.instance.flush();
    expect(seqs(second.destination as MemoryTransport)).toEqual([0, 1, 2, 3]);
    expect(second.instance.stats().warnings.spool_corrupt).toBe(1);
  });

  it('refuses a second instance on the same directory and bad spool options, at creation', () => {
    const dir = dirs.make();
    analytics({ dir });
    expect(() => analytics({ dir })).toThrow(AnalyticsConfigError);
    expect(() => createAnalytics({ destination: 'memory', spool: { dir, fsync: 'often' as 'always' } })).toThrow(
      "spool.fsync: got \"often\", expected one of 'always', 'interval', 'never'",
    );
    // Validated even when analytics is disabled, so a typo fails every environment alike.
    expect(() => createAnalytics({ enabled: false, spool: { dir: '' } })).toThrow('spool.dir: got ""');
  });

  it('a bootstrap refused for a bad option elsewhere leaves the directory free for the corrected one', async () => {
    const dir = dirs.make();
    expect(() => createAnalytics({ destination: 'memory', spool: { dir }, system: { intervalMs: 5 } })).toThrow('system.intervalMs');
    const refused = Test.createTestingModule({
      imports: [JitsuAnalyticsModule.forRoot({ destination: new MemoryTransport(), spool: { dir }, api: { sampleRate: 2 } })],
    }).compile();
    await expect(refused).rejects.toThrow('api.sampleRate');
    expect(() => analytics({ dir })).not.toThrow();
  });

  it('fails the Nest bootstrap when another live instance holds the directory', async () => {
    const dir = dirs.make();
    analytics({ dir });
    const build = Test.createTestingModule({
      imports: [JitsuAnalyticsModule.forRoot({ destination: new MemoryTransport(), spool: { dir } })],
    }).compile();
    await expect(build).rejects.toThrow(`spool.dir ${dir} is in use by another analytics instance of this process`);
  });
});
