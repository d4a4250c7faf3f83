import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AnalyticsReporter } from '../../lib/pipeline/analytics-reporter.js';
import type { DroppedInfo } from '../../lib/pipeline/analytics-stats.interface.js';
import { DeliveryPipeline } from '../../lib/pipeline/delivery-pipeline.js';
import type { PipelineOptions } from '../../lib/pipeline/pipeline-options.interface.js';
import { DiskSpool } from '../../lib/spool/disk-spool.js';
import { LOCK_FILE } from '../../lib/spool/spool-lock.js';
import { segmentBytesFor } from '../../lib/spool/spool-options.resolver.js';
import { ScriptedTransport } from '../support/scripted-transport.js';
import { until } from '../support/until.js';
import { spoolEvent, tempDirs } from './spool-test-support.js';

const options: PipelineOptions = {
  batchSize: 10,
  batchTimeout: 20,
  maxQueueSize: 20,
  maxQueueBytes: 1_000_000,
  overflow: 'dropNewest',
  maxBatchEvents: 50,
  maxBatchBytes: 1_000_000,
  maxInFlight: 1,
  retry: { maxAttempts: 10, initialDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 60_000 },
};

const dirs = tempDirs();
const pipelines: DeliveryPipeline[] = [];
afterEach(async () => {
  await Promise.all(pipelines.splice(0).map((p) => p.shutdown(50)));
  dirs.cleanup();
});

describe('DiskSpool whose directory is removed while the app runs (a temp-file cleaner)', () => {
  it('creates it again and keeps spooling, and announces what was lost with the removed files', async () => {
    const dir = dirs.make();
    const maxBytes = 1024 * 1024;
    const reporter = new AnalyticsReporter(undefined, false);
    const drops: DroppedInfo[] = [];
    const warnings: string[] = [];
    const errors: string[] = [];
    reporter.on('dropped', (d) => drops.push(d));
    reporter.on('error', (e) => errors.push(e.message));
    const warn = reporter.warn.bind(reporter);
    reporter.warn = (kind, message) => (warnings.push(kind), warn(kind, message));
    const spool = DiskSpool.open({ dir, maxBytes, fsync: 'never', segmentBytes: segmentBytesFor(maxBytes) }, { maxEvents: 20, maxBytes: 1_000_000 }, reporter);
    let reopen!: () => void;
    const outage = new Promise<void>((resolve) => (reopen = resolve));
    const transport = new ScriptedTransport().next(1, () => outage);
    const pipeline = new DeliveryPipeline(transport, options, reporter, spool);
    pipelines.push(pipeline);

    // An outage: most of these wait only on disk when the directory goes.
    for (let i = 0; i < 300; i++) expect(pipeline.offer(spoolEvent(i))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
    // Enough to fill the segment whose file went with the directory, and more.
    const total = 2000;
    for (let i = 300; i < total; i++) pipeline.offer(spoolEvent(i));
    reopen();
    await pipeline.flush();

    expect(drops.filter((d) => d.reason === 'spool_failed')).toEqual([]);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    expect(warnings).toContain('spool_dir_removed');
    expect(warnings).toContain('spool_missing');
    expect(errors).toEqual([]);
    const delivered = [...transport.delivered.keys()].map((id) => Number(id.slice(-12)));
    // What was written after the directory came back is delivered, every event of it.
    const last = Array.from({ length: 500 }, (_, k) => total - 500 + k);
    expect(delivered.filter((i) => i >= total - 500)).toEqual(last);
    await until(() => pipeline.queuedEvents === 0 && pipeline.inFlightCount === 0, 'the spool to be empty');
    // Every event is delivered or a counted drop: those only in the removed files as `spool_lost`.
    const lost = drops.filter((d) => d.reason === 'spool_lost');
    expect(lost.length).toBeGreaterThan(0);
    const dropped = drops.reduce((n, d) => n + d.count, 0);
    expect(transport.delivered.size + dropped).toBe(total);
    expect(reporter.snapshot().dropped.spool_lost).toBe(lost.reduce((n, d) => n + d.count, 0));
  });
});
