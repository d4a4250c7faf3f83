import { readdirSync } from 'node:fs';
import { DeliveryPipeline } from '../../lib/pipeline/delivery-pipeline.js';
import type { PipelineOptions } from '../../lib/pipeline/pipeline-options.interface.js';
import { DeliveryError } from '../../lib/transports/delivery-error.js';
import { hang, ScriptedTransport } from '../support/scripted-transport.js';
import { until } from '../support/until.js';
import { spoolEvent, tempDirs } from './spool-test-support.js';
import { spooledPipeline } from './spooled-pipeline.js';

const fast: PipelineOptions = {
  batchSize: 10,
  batchTimeout: 20,
  maxQueueSize: 50,
  maxQueueBytes: 1_000_000,
  overflow: 'dropNewest',
  maxBatchEvents: 100,
  maxBatchBytes: 1_000_000,
  maxInFlight: 2,
  retry: { maxAttempts: 1000, initialDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 60_000 },
};

const dirs = tempDirs();
const pipelines: DeliveryPipeline[] = [];
afterEach(async () => {
  await Promise.all(pipelines.splice(0).map((p) => p.shutdown(50)));
  dirs.cleanup();
});

function setup(dir: string, transport = new ScriptedTransport(), options: Partial<PipelineOptions> = {}, maxBytes = 8 * 1024 * 1024) {
  const opened = spooledPipeline(dir, transport, { ...fast, ...options }, maxBytes);
  pipelines.push(opened.pipeline);
  return { ...opened, transport };
}

const deliveredIndexes = (transport: ScriptedTransport) => [...transport.delivered.keys()].map((id) => Number(id.slice(-12)));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const segmentFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.seg'));

describe('DeliveryPipeline on the disk spool', () => {
  it('keeps retrying past retry.maxAttempts and maxElapsedMs: spooled events are never given up', async () => {
    const dir = dirs.make();
    const transport = new ScriptedTransport().next(8, async () => {
      throw new DeliveryError('503', { status: 503, retryable: true });
    });
    const { pipeline, drops } = setup(dir, transport, { maxInFlight: 1, retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 1 } });
    for (let i = 0; i < 5; i++) pipeline.offer(spoolEvent(i));
    await pipeline.flush();
    expect(drops).toEqual([]);
    expect(transport.attempts.length).toBe(9);
    expect(deliveredIndexes(transport).sort((a, b) => a - b)).toEqual(range(0, 5));
  });

  it('rides out an outage far beyond maxQueueSize without a drop, delivering in order', async () => {
    const dir = dirs.make();
    const transport = new ScriptedTransport().next(30, async () => {
      throw new DeliveryError('503', { status: 503, retryable: true });
    });
    const { pipeline, spool, drops } = setup(dir, transport);
    for (let i = 0; i < 2000; i++) expect(pipeline.offer(spoolEvent(i))).toBe(true);
    expect(spool.inMemory).toBeLessThanOrEqual(fast.maxQueueSize);
    await pipeline.flush();
    expect(drops).toEqual([]);
    expect(deliveredIndexes(transport).sort((a, b) => a - b)).toEqual(range(0, 2000));
    const firstSeen = transport.attempts.flatMap((a) => a.ids).filter((id, k, all) => all.indexOf(id) === k);
    expect(firstSeen.map((id) => Number(id.slice(-12)))).toEqual(range(0, 2000));
    expect(await pipeline.shutdown(1000)).toEqual({ undelivered: 0, spooled: 0 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps what shutdown could not deliver, and the next process delivers it before anything new', async () => {
    const dir = dirs.make();
    const down = new ScriptedTransport().next(1000, hang);
    const first = setup(dir, down);
    for (let i = 0; i < 120; i++) first.pipeline.offer(spoolEvent(i));
    const report = await first.pipeline.shutdown(100);
    expect(report).toEqual({ undelivered: 120, spooled: 120 });
    expect(first.dropped('shutdown')).toBe(0);
    expect(segmentFiles(dir)).toHaveLength(1);

    const second = setup(dir);
    expect(second.pipeline.queuedEvents).toBe(120);
    second.pipeline.offer(spoolEvent(120));
    await second.pipeline.flush();
    const order = second.transport.attempts.flatMap((a) => a.ids).map((id) => Number(id.slice(-12)));
    expect(order).toEqual(range(0, 121));
    await second.pipeline.shutdown(1000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('acknowledges finally rejected events (not resent after a restart) but not those left at shutdown', async () => {
    const dir = dirs.make();
    const transport = new ScriptedTransport()
      .next(1, async (batch) => ({ rejected: [{ messageId: batch[0]!.messageId, reason: 'bad event' }] }))
      .next(1, async () => {
        throw new DeliveryError('401', { status: 401, retryable: false, dropReason: 'unauthorized' });
      })
      .next(1000, hang);
    const { pipeline, dropped } = setup(dir, transport, { maxInFlight: 1, batchSize: 5, maxBatchEvents: 5 });
    for (let i = 0; i < 15; i++) pipeline.offer(spoolEvent(i));
    // One batch in flight at a time: the third attempt starts only once the first two are settled.
    await until(() => transport.attempts.length === 3, 'the third batch to be sent');
    await pipeline.shutdown(50);
    expect(dropped('rejected')).toBe(1);
    expect(dropped('unauthorized')).toBe(5);
    expect(dropped('shutdown')).toBe(0);

    const next = setup(dir);
    await next.pipeline.flush();
    expect(deliveredIndexes(next.transport)).toEqual(range(10, 15));
  });

  it('drops what does not fit in spool.maxBytes as spool_full, counted and announced', async () => {
    const dir = dirs.make();
    const { pipeline, dropped, drops } = setup(dir, new ScriptedTransport().next(1000, hang), {}, 64 * 1024);
    let accepted = 0;
    for (let i = 0; i < 400; i++) if (pipeline.offer(spoolEvent(i, 400))) accepted++;
    expect(accepted).toBeGreaterThan(100);
    expect(dropped('spool_full')).toBe(400 - accepted);
    expect(drops.find((d) => d.reason === 'spool_full')!.messageIds).toEqual([spoolEvent(accepted, 400).messageId]);
    expect(dropped('queue_full')).toBe(0);
  });

  it('replays a spool of leftovers even when nothing new is offered', async () => {
    const dir = dirs.make();
    const first = setup(dir, new ScriptedTransport().next(1000, hang));
    for (let i = 0; i < 30; i++) first.pipeline.offer(spoolEvent(i));
    await first.pipeline.shutdown(20);

    const transport = new ScriptedTransport();
    setup(dir, transport);
    const deadline = Date.now() + 2000;
    while (transport.delivered.size < 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(deliveredIndexes(transport)).toEqual(range(0, 30));
  });
});
