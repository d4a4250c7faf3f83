import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DeliveryPipeline } from '../../lib/pipeline/delivery-pipeline.js';
import type { PipelineOptions } from '../../lib/pipeline/pipeline-options.interface.js';
import { LOCK_FILE } from '../../lib/spool/spool-lock.js';
import { hang, ScriptedTransport } from '../support/scripted-transport.js';
import { until } from '../support/until.js';
import { spoolEvent, tempDirs } from './spool-test-support.js';
import { spooledPipeline } from './spooled-pipeline.js';

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

function open(dir: string, transport: ScriptedTransport, overrides: Partial<PipelineOptions> = {}) {
  const opened = spooledPipeline(dir, transport, { ...options, ...overrides }, 1024 * 1024);
  pipelines.push(opened.pipeline);
  return opened;
}

const indexes = (ids: readonly string[]) => ids.map((id) => Number(id.slice(-12)));
/** Every event the transport was handed, in the order it was sent (a resend shows up twice). */
const sent = (transport: ScriptedTransport) => indexes(transport.attempts.flatMap((a) => a.ids));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const accept = async () => undefined;

describe('DiskSpool whose directory is removed while the app runs (a temp-file cleaner)', () => {
  it('creates it again and keeps spooling, and announces what was lost with the removed files', async () => {
    const dir = dirs.make();
    let reopen!: () => void;
    const outage = new Promise<void>((resolve) => (reopen = resolve));
    const transport = new ScriptedTransport().next(1, () => outage);
    const { pipeline, reporter, drops, warnings, errors } = open(dir, transport);

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

  it('seals the open segment when an ack finds the directory gone, so what follows survives a restart', async () => {
    const dir = dirs.make();
    // Two batches delivered, then an outage that lasts past shutdown.
    const transport = new ScriptedTransport().next(2, accept).next(1000, hang);
    const first = open(dir, transport);
    for (let i = 0; i < 5; i++) first.pipeline.offer(spoolEvent(i));
    await first.pipeline.flush();
    rmSync(dir, { recursive: true, force: true });
    // Appended through the open segment, whose file went with the directory: no write fails yet.
    for (let i = 5; i < 10; i++) expect(first.pipeline.offer(spoolEvent(i))).toBe(true);
    // Their ack is the first write to find the directory gone: it is created again there.
    await first.pipeline.flush();
    // Written after the directory came back: they must land in a new segment file in it.
    for (let i = 10; i < 15; i++) expect(first.pipeline.offer(spoolEvent(i))).toBe(true);
    expect(await first.pipeline.shutdown(50)).toEqual({ undelivered: 5, spooled: 5 });
    expect(sent(transport).slice(0, 10)).toEqual(range(0, 10));

    const next = new ScriptedTransport();
    const second = open(dir, next);
    await second.pipeline.flush();
    expect(sent(next)).toEqual(range(10, 15));
    expect(first.warnings).toContain('spool_dir_removed');
    expect(first.warnings).not.toContain('spool_ack_failed');
    expect(second.drops).toEqual([]);
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
  });

  it('seals the open segment when its file is removed (directory kept), so what follows survives a restart', async () => {
    const dir = dirs.make();
    let reopen!: () => void;
    const outage = new Promise<void>((resolve) => (reopen = resolve));
    const transport = new ScriptedTransport()
      .next(1, () => outage)
      .next(1, accept)
      .next(1000, hang);
    // A window of 5: what the outage piles up beyond it waits only on disk, in the open segment.
    const first = open(dir, transport, { batchSize: 5, maxBatchEvents: 5, maxQueueSize: 5 });
    for (let i = 0; i < 5; i++) first.pipeline.offer(spoolEvent(i));
    await until(() => transport.attempts.length === 1, 'the first batch to be in flight');
    for (let i = 5; i < 20; i++) expect(first.pipeline.offer(spoolEvent(i))).toBe(true);
    expect(first.spool.inMemory).toBe(5);
    const files = readdirSync(dir).filter((f) => f.endsWith('.seg'));
    expect(files).toHaveLength(1);
    // Removed from outside while it is still written to; the directory stays.
    rmSync(join(dir, files[0]!));
    reopen();
    // 0-4 and the window (5-9) are delivered; reading back 10-19 finds the file gone.
    await until(() => first.warnings.includes('spool_missing'), 'the reader to find the segment missing');
    await until(() => first.pipeline.queuedEvents === 0 && first.pipeline.inFlightCount === 0, 'the spool to be empty');
    expect(first.dropped('spool_lost')).toBe(10);
    expect(sent(transport)).toEqual(range(0, 10));
    // After that, events must go to a new file (the outage is back: they stay for the next start).
    for (let i = 20; i < 25; i++) expect(first.pipeline.offer(spoolEvent(i))).toBe(true);
    await until(() => transport.attempts.length === 3, 'the next batch to be sent');
    expect(first.pipeline.inFlightCount + first.pipeline.queuedEvents).toBe(5);
    // The 10 lost events are counted as dropped, not also as kept for the next start.
    expect(await first.pipeline.shutdown(50)).toEqual({ undelivered: 5, spooled: 5 });

    const next = new ScriptedTransport();
    const second = open(dir, next);
    await second.pipeline.flush();
    expect(sent(next)).toEqual(range(20, 25));
    expect(second.drops).toEqual([]);
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
  });
});
