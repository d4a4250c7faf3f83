import type { PipelineOptions } from '../../lib/pipeline/pipeline-options.interface.js';
import { hang, ScriptedTransport } from '../support/scripted-transport.js';
import { until } from '../support/until.js';
import { spoolEvent, tempDirs } from './spool-test-support.js';
import { spooledPipeline } from './spooled-pipeline.js';

const options: PipelineOptions = {
  batchSize: 10,
  batchTimeout: 20,
  maxQueueSize: 50,
  maxQueueBytes: 1_000_000,
  overflow: 'dropNewest',
  maxBatchEvents: 10,
  maxBatchBytes: 1_000_000,
  maxInFlight: 2,
  retry: { maxAttempts: 10, initialDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 60_000 },
};

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function openPipeline(dir: string, transport: ScriptedTransport) {
  return spooledPipeline(dir, transport, options, 256 * 1024 * 1024);
}

describe('DeliveryPipeline shutdown on a large spool', () => {
  it('stops at the deadline without reading the backlog it keeps for the next start', async () => {
    const dir = dirs.make();
    const transport = new ScriptedTransport().next(1_000_000, hang);
    const { pipeline, spool } = openPipeline(dir, transport);
    // An outage's backlog: far more than the in-memory window, on disk.
    for (let i = 0; i < 40_000; i++) pipeline.offer(spoolEvent(i, 400));
    await until(() => transport.attempts.length === options.maxInFlight, 'the first batches to be sent');
    let read = 0;
    const takeBatch = spool.takeBatch.bind(spool);
    spool.takeBatch = (maxEvents, maxBytes) => {
      const batch = takeBatch(maxEvents, maxBytes);
      read += batch.length;
      return batch;
    };

    const startedAt = Date.now();
    expect(await pipeline.shutdown(100)).toEqual({ undelivered: 40_000, spooled: 40_000 });
    const took = Date.now() - startedAt;
    // Nothing is taken out of the spool once the deadline has passed: it all stays for the next start.
    expect(read).toBe(0);
    expect(transport.attempts).toHaveLength(options.maxInFlight);
    expect(took).toBeLessThan(1000);

    const next = openPipeline(dir, new ScriptedTransport());
    expect(next.pipeline.queuedEvents).toBe(40_000);
    await next.pipeline.shutdown(0);
  });

  it('settles a flush() still waiting when shutdown gives up, so the process can exit', async () => {
    const dir = dirs.make();
    const transport = new ScriptedTransport().next(1_000, hang);
    const { pipeline } = openPipeline(dir, transport);
    for (let i = 0; i < 500; i++) pipeline.offer(spoolEvent(i));
    let flushed = false;
    const flushing = pipeline.flush().then(() => (flushed = true));
    await until(() => transport.attempts.length === options.maxInFlight, 'the first batches to be sent');

    expect(await pipeline.shutdown(50)).toEqual({ undelivered: 500, spooled: 500 });
    await until(() => flushed, 'flush() to settle after shutdown', 2000);
    await flushing;
  });
});
