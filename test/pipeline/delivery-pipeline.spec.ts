import { jest } from '@jest/globals';
import { AnalyticsReporter } from '../../lib/pipeline/analytics-reporter.js';
import type { DroppedInfo } from '../../lib/pipeline/analytics-stats.interface.js';
import { DeliveryPipeline } from '../../lib/pipeline/delivery-pipeline.js';
import type { PipelineOptions } from '../../lib/pipeline/pipeline-options.interface.js';
import { DeliveryError } from '../../lib/transports/delivery-error.js';
import type { QueuedEvent } from '../../lib/transports/transport.interface.js';
import { EventQueue } from '../../lib/pipeline/event-queue.js';
import type { PendingStore } from '../../lib/pipeline/pending-store.interface.js';
import { hang, ScriptedTransport } from '../support/scripted-transport.js';
import { until } from '../support/until.js';

const fast: PipelineOptions = {
  batchSize: 10,
  batchTimeout: 20,
  maxQueueSize: 10_000,
  maxQueueBytes: 10_000_000,
  overflow: 'dropNewest',
  maxBatchEvents: 500,
  maxBatchBytes: 1_000_000,
  maxInFlight: 2,
  retry: { maxAttempts: 5, initialDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 10_000 },
};

function event(i: number, bytes = 100): QueuedEvent {
  const json = JSON.stringify({ messageId: `m${i}`, pad: 'x'.repeat(Math.max(0, bytes - 30)) });
  return { messageId: `m${i}`, table: 'custom_events', json, bytes: Buffer.byteLength(json) };
}

function setup(options: Partial<PipelineOptions> = {}, transport = new ScriptedTransport()) {
  const reporter = new AnalyticsReporter(undefined, false);
  const drops: DroppedInfo[] = [];
  const errors: Error[] = [];
  reporter.on('dropped', (d) => drops.push(d));
  reporter.on('error', (e) => errors.push(e));
  const pipeline = new DeliveryPipeline(transport, { ...fast, ...options }, reporter);
  const dropped = (reason: string) => drops.filter((d) => d.reason === reason).reduce((n, d) => n + d.count, 0);
  return { pipeline, transport, reporter, drops, errors, dropped };
}

const tick = () => new Promise((r) => setImmediate(r));

/** A send step that stays pending until `release()`. */
function gate() {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  return { step: () => opened, release: () => release() };
}

describe('DeliveryPipeline', () => {
  it('starts a batch once batchSize events are queued, and not before', async () => {
    const { pipeline, transport } = setup({ batchTimeout: 60_000 });
    for (let i = 0; i < 9; i++) pipeline.offer(event(i));
    await tick();
    expect(transport.attempts).toHaveLength(0);
    pipeline.offer(event(9));
    await tick();
    expect(transport.attempts.map((a) => a.ids.length)).toEqual([10]);
  });

  it('sends a partial batch once batchTimeout has passed', async () => {
    const { pipeline, transport } = setup({ batchTimeout: 30 });
    const start = Date.now();
    pipeline.offer(event(1));
    while (transport.attempts.length === 0 && Date.now() - start < 2000) await new Promise((r) => setTimeout(r, 5));
    expect(transport.attempts[0]!.ids).toEqual(['m1']);
    expect(transport.attempts[0]!.at - start).toBeGreaterThanOrEqual(25);
  });

  it('sends a partial batch batchTimeout after its first event, however many follow meanwhile', () => {
    // A trickle slower than batchSize but quicker than batchTimeout must not postpone the batch forever.
    jest.useFakeTimers();
    try {
      const { pipeline, transport } = setup({ batchTimeout: 100 });
      pipeline.offer(event(0));
      jest.advanceTimersByTime(60);
      pipeline.offer(event(1));
      jest.advanceTimersByTime(60);
      expect(transport.attempts.map((a) => a.ids)).toEqual([['m0', 'm1']]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('starts the batchTimeout afresh for the first event queued after a batch left', () => {
    jest.useFakeTimers();
    try {
      const { pipeline, transport } = setup({ batchSize: 2, batchTimeout: 100 });
      pipeline.offer(event(0));
      jest.advanceTimersByTime(10);
      pipeline.offer(event(1));
      jest.advanceTimersByTime(50);
      expect(transport.attempts.map((a) => a.ids)).toEqual([['m0', 'm1']]);
      pipeline.offer(event(2));
      // 100 ms after m0 but 50 after m2: m2 waits for its own batchTimeout.
      jest.advanceTimersByTime(50);
      expect(transport.attempts).toHaveLength(1);
      jest.advanceTimersByTime(50);
      expect(transport.attempts.map((a) => a.ids)).toEqual([['m0', 'm1'], ['m2']]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('packs a synchronous burst into few batches bounded by maxBatchEvents and maxBatchBytes', async () => {
    const { pipeline, transport } = setup({ maxBatchEvents: 300, maxInFlight: 1 });
    for (let i = 0; i < 1000; i++) pipeline.offer(event(i));
    await pipeline.flush();
    expect(transport.attempts.map((a) => a.ids.length)).toEqual([300, 300, 300, 100]);

    const bytes = setup({ maxBatchBytes: 1000, maxInFlight: 1 });
    const sizes = Array.from({ length: 25 }, (_, i) => event(i, 100 + (i % 7) * 10));
    for (const e of sizes) bytes.pipeline.offer(e);
    await bytes.pipeline.flush();
    const size = new Map(sizes.map((e) => [e.messageId, e.bytes]));
    const batchBytes = bytes.transport.attempts.map((a) => a.ids.reduce((n, id) => n + size.get(id)!, 0));
    expect(batchBytes.every((b) => b <= 1000)).toBe(true);
    // Greedy packing: each batch but the last was closed because the next event did not fit.
    let next = 0;
    for (const [i, attempt] of bytes.transport.attempts.entries()) {
      next += attempt.ids.length;
      if (i < bytes.transport.attempts.length - 1) expect(batchBytes[i]! + sizes[next]!.bytes).toBeGreaterThan(1000);
    }
    expect(next).toBe(25);
  });

  it('sends an event larger than maxBatchBytes in a batch of its own rather than holding up the queue', async () => {
    const { pipeline, transport, drops } = setup({ maxBatchBytes: 1024, maxInFlight: 1 });
    pipeline.offer(event(0, 100));
    pipeline.offer(event(1, 2000));
    pipeline.offer(event(2, 100));
    const flushed = pipeline.flush();
    await until(() => transport.attempts.length === 3, 'every event to be sent');
    await flushed;
    expect(transport.attempts.map((a) => a.ids)).toEqual([['m0'], ['m1'], ['m2']]);
    expect(drops).toEqual([]);
  });

  it('fills a batch up to exactly maxBatchBytes, and counts the bytes that left the queue', async () => {
    const { pipeline, transport } = setup({ maxBatchBytes: 3 * event(0).bytes, maxInFlight: 1 });
    for (let i = 0; i < 6; i++) pipeline.offer(event(i));
    expect(pipeline.queuedBytes).toBe(6 * event(0).bytes);
    await pipeline.flush();
    expect(transport.attempts.map((a) => a.ids.length)).toEqual([3, 3]);
    expect(pipeline.queuedBytes).toBe(0);
  });

  it('keeps at most maxInFlight batches in flight', async () => {
    const transport = new ScriptedTransport();
    let concurrent = 0;
    let peak = 0;
    transport.next(20, async () => {
      peak = Math.max(peak, ++concurrent);
      await new Promise((r) => setTimeout(r, 5));
      concurrent--;
    });
    const { pipeline } = setup({ maxBatchEvents: 10, maxInFlight: 3 }, transport);
    for (let i = 0; i < 200; i++) pipeline.offer(event(i));
    await pipeline.flush();
    expect(peak).toBe(3);
    expect(transport.delivered.size).toBe(200);
  });

  it('grows a steady stream into larger batches while one is in flight, and still uses every slot for full batches', async () => {
    const transport = new ScriptedTransport();
    const { step, release } = gate();
    transport.next(1, step);
    const { pipeline } = setup({ batchSize: 2, maxBatchEvents: 6, batchTimeout: 60_000 }, transport);
    pipeline.offer(event(0));
    pipeline.offer(event(1));
    await tick();
    expect(transport.attempts.map((a) => a.ids.length)).toEqual([2]);
    // Partial batches wait for the one in flight instead of taking the second slot...
    for (let i = 2; i < 6; i++) pipeline.offer(event(i));
    await tick();
    expect(transport.attempts).toHaveLength(1);
    // ...and a full one does not.
    for (let i = 6; i < 8; i++) pipeline.offer(event(i));
    await tick();
    expect(transport.attempts.map((a) => a.ids.length)).toEqual([2, 6]);
    pipeline.offer(event(8));
    pipeline.offer(event(9));
    release();
    await pipeline.flush();
    expect(transport.attempts.map((a) => a.ids.length)).toEqual([2, 6, 2]);
    expect(transport.delivered.size).toBe(10);
  });

  it('uses a second slot for a batch full by bytes, not only for one full by count', async () => {
    const transport = new ScriptedTransport();
    const { step, release } = gate();
    transport.next(1, step);
    const { pipeline } = setup({ batchSize: 2, maxBatchEvents: 100, maxBatchBytes: 3 * event(0).bytes, batchTimeout: 60_000 }, transport);
    pipeline.offer(event(0));
    pipeline.offer(event(1));
    await tick();
    for (let i = 2; i < 5; i++) pipeline.offer(event(i));
    await tick();
    expect(transport.attempts.map((a) => a.ids)).toEqual([['m0', 'm1'], ['m2', 'm3', 'm4']]);
    release();
    await pipeline.flush();
  });

  it('flush() resolves only when what was queued before it is delivered, and concurrent flushes share it', async () => {
    const transport = new ScriptedTransport().next(2, () => Promise.reject(new DeliveryError('503', { retryable: true, status: 503 })));
    const { pipeline, reporter } = setup({}, transport);
    for (let i = 0; i < 5; i++) pipeline.offer(event(i));
    const [a, b] = [pipeline.flush(), pipeline.flush()];
    await Promise.all([a, b]);
    expect(transport.delivered.size).toBe(5);
    expect(reporter.snapshot()).toMatchObject({ sent: 5, retried: 2, failed: 2 });
  });

  it('retries retryable failures with the same messageIds and gives up after maxAttempts', async () => {
    const transport = new ScriptedTransport().next(10, () => Promise.reject(new Error('ECONNRESET')));
    const { pipeline, dropped, reporter } = setup({ retry: { ...fast.retry, maxAttempts: 3 } }, transport);
    pipeline.offer(event(1));
    await pipeline.flush();
    expect(transport.attempts.map((a) => a.ids)).toEqual([['m1'], ['m1'], ['m1']]);
    expect(dropped('retries_exhausted')).toBe(1);
    expect(reporter.snapshot().lastError).toContain('ECONNRESET');
  });

  it('counts a batch whose transport throws something that cannot even be described', async () => {
    const unreadable = [Object.create(null) as object, new Proxy({}, { get: () => { throw new Error('trap'); }, getPrototypeOf: () => { throw new Error('trap'); } })];
    for (const thrown of unreadable) {
      const transport = new ScriptedTransport().next(10, () => Promise.reject(thrown));
      const { pipeline, dropped, reporter } = setup({ retry: { ...fast.retry, maxAttempts: 2 } }, transport);
      pipeline.offer(event(1));
      await pipeline.flush();
      expect(dropped('retries_exhausted')).toBe(1);
      expect(reporter.snapshot().lastError).toBe('delivery failed: a value that cannot be read');
    }
  });

  it('counts a batch as sent once, with a warning, when a transport answers with a malformed result', async () => {
    const answers = [{ warnings: 5 }, { rejected: {} }, { get rejected(): never { throw new Error('getter'); } }];
    for (const answer of answers) {
      let attempts = 0;
      const transport = {
        send: async () => {
          attempts++;
          return answer as never;
        },
      };
      const { pipeline, reporter } = setup({}, transport as unknown as ScriptedTransport);
      pipeline.offer(event(1));
      await pipeline.flush();
      expect(attempts).toBe(1);
      expect(reporter.snapshot()).toMatchObject({ sent: 1, warnings: { destination_result_invalid: 1 } });
    }
  });

  it('neither crashes nor hangs a flush when a store counts events it can no longer hand out (a spool whose backlog cannot be read)', async () => {
    // What a disk spool does when reading its backlog back fails: the events stay on disk for the
    // next start, and the store has nothing to hand out although it still counted them.
    let setAside = false;
    const store: PendingStore = {
      get length() {
        return setAside ? 0 : 3;
      },
      bytes: 0,
      durable: true,
      peek() {
        setAside = true;
        return undefined;
      },
      push: () => undefined,
      shift: () => undefined,
      takeBatch: () => [],
      drainAll: () => [],
      acknowledge: () => undefined,
      close: () => undefined,
    };
    const reporter = new AnalyticsReporter(undefined, false);
    const pipeline = new DeliveryPipeline(new ScriptedTransport(), fast, reporter, store);
    pipeline.offer(event(1));
    await pipeline.flush();
    expect(pipeline.inFlightCount).toBe(0);
  });


  describe('with a store that counts events it cannot hand out yet (a spool whose backlog fails to read)', () => {
    function blockedStore() {
      const inner = new EventQueue();
      const state = { readable: false, peeks: 0 };
      const store: PendingStore = {
        get length() {
          return inner.length;
        },
        get bytes() {
          return inner.bytes;
        },
        durable: true,
        get stalled() {
          return state.readable ? undefined : { since: '2026-11-28T08:00:00.000Z', reason: 'could not read back the spool (EIO)' };
        },
        peek: () => {
          state.peeks++;
          return state.readable ? inner.peek() : undefined;
        },
        push: (pending) => inner.push(pending),
        shift: () => (state.readable ? inner.shift() : undefined),
        takeBatch: (events, bytes) => (state.readable ? inner.takeBatch(events, bytes) : []),
        drainAll: () => [],
        acknowledge: () => undefined,
        close: () => undefined,
      };
      return { store, state };
    }

    it('comes back for them by itself once the store can hand them out, with no new event to wake it', async () => {
      const { store, state } = blockedStore();
      const transport = new ScriptedTransport();
      const pipeline = new DeliveryPipeline(transport, fast, new AnalyticsReporter(undefined, false), store);
      for (let i = 0; i < 3; i++) pipeline.offer(event(i));
      await new Promise((r) => setTimeout(r, 5 * fast.batchTimeout));
      expect(transport.attempts).toHaveLength(0);
      expect(pipeline.storeStalled?.reason).toBe('could not read back the spool (EIO)');
      state.readable = true;
      await until(() => transport.attempts.length > 0, 'the batch the store could not hand out before');
      expect(transport.attempts[0]!.ids).toEqual(['m0', 'm1', 'm2']);
      await pipeline.shutdown(1000);
    });

    it('shuts down without waiting out the deadline for them, reports them as kept, and stops coming back for them', async () => {
      const { store, state } = blockedStore();
      const pipeline = new DeliveryPipeline(new ScriptedTransport(), fast, new AnalyticsReporter(undefined, false), store);
      for (let i = 0; i < 3; i++) pipeline.offer(event(i));
      const started = Date.now();
      expect(await pipeline.shutdown(60_000)).toEqual({ undelivered: 3, spooled: 3 });
      expect(Date.now() - started).toBeLessThan(5000);
      const peeks = state.peeks;
      await new Promise((r) => setTimeout(r, 5 * fast.batchTimeout));
      expect(state.peeks).toBe(peeks);
    });
  });
  it('drops a 401 batch at once as unauthorized, reporting one error for a storm of them', async () => {
    const unauthorized = () =>
      Promise.reject(new DeliveryError('Jitsu rejected the write key (HTTP 401): check writeKey', { status: 401, retryable: false, dropReason: 'unauthorized' }));
    const transport = new ScriptedTransport().next(3, unauthorized);
    const { pipeline, dropped, errors } = setup({ maxBatchEvents: 10 }, transport);
    for (let i = 0; i < 30; i++) pipeline.offer(event(i));
    await pipeline.flush();
    expect(transport.attempts).toHaveLength(3);
    expect(dropped('unauthorized')).toBe(30);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('check writeKey');
  });

  it('reports a final failure (400, 401) on error, counted as failed but not as retried', async () => {
    const refusals = [
      new DeliveryError('Jitsu rejected the write key (HTTP 401): check writeKey', { status: 401, retryable: false, dropReason: 'unauthorized' }),
      new DeliveryError('Jitsu refused the batch (HTTP 400)', { status: 400, retryable: false, dropReason: 'rejected' }),
    ];
    for (const refusal of refusals) {
      const transport = new ScriptedTransport().next(1, () => Promise.reject(refusal));
      const { pipeline, reporter, dropped, errors } = setup({}, transport);
      pipeline.offer(event(1));
      await pipeline.flush();
      expect(transport.attempts).toHaveLength(1);
      expect(dropped(refusal.dropReason)).toBe(1);
      expect(errors.map((e) => e.message)).toEqual([refusal.message]);
      expect(reporter.snapshot()).toMatchObject({ failed: 1, retried: 0 });
    }
  });

  it('splits a batch answered 413 until every part is accepted, and drops a single event that is still too large', async () => {
    const transport = new ScriptedTransport();
    const tooLarge = new DeliveryError('413', { status: 413, retryable: false, tooLarge: true });
    const limit = (batch: readonly QueuedEvent[]) =>
      batch.length > 3 || batch.some((e) => e.messageId === 'm7') ? Promise.reject(tooLarge) : Promise.resolve({});
    transport.next(50, limit);
    const { pipeline, dropped } = setup({}, transport);
    for (let i = 0; i < 20; i++) pipeline.offer(event(i));
    await pipeline.flush();
    expect(transport.delivered.size).toBe(19);
    expect(transport.delivered.has('m7')).toBe(false);
    expect(dropped('too_large')).toBe(1);
    expect(Math.max(...[...transport.delivered.values()])).toBe(1);
  });

  it('counts exactly the ids a partial failure rejects, and the rest as sent', async () => {
    const transport = new ScriptedTransport().next(1, async () => ({ rejected: [{ messageId: 'm2', reason: 'bad' }, { messageId: 'm5', reason: 'bad' }] }));
    const { pipeline, drops, reporter } = setup({}, transport);
    for (let i = 0; i < 10; i++) pipeline.offer(event(i));
    await pipeline.flush();
    expect(drops).toEqual([expect.objectContaining({ reason: 'rejected', count: 2, messageIds: ['m2', 'm5'] })]);
    expect(reporter.snapshot().sent).toBe(8);
    expect(transport.attempts).toHaveLength(1);
  });

  it('frees the room of a split half dropped as too_large while the other half is still being sent', async () => {
    const { step, release } = gate();
    const tooLarge = () => Promise.reject(new DeliveryError('413', { status: 413, retryable: false, tooLarge: true }));
    const transport = new ScriptedTransport().next(2, tooLarge).next(1, step);
    const { pipeline, dropped, reporter } = setup({ batchSize: 2, batchTimeout: 60_000, maxQueueSize: 2 }, transport);
    pipeline.offer(event(0));
    pipeline.offer(event(1));
    await until(() => transport.attempts.length === 3, 'the second half to be sent');
    expect(transport.attempts.map((a) => a.ids)).toEqual([['m0', 'm1'], ['m0'], ['m1']]);
    expect(dropped('too_large')).toBe(1);
    expect(pipeline.inFlightCount).toBe(1);
    expect(pipeline.roomForEvents()).toBe(1);
    release();
    await pipeline.flush();
    expect(reporter.snapshot().sent).toBe(1);
    expect(pipeline.inFlightCount).toBe(0);
  });

  it('does not count a batch whose every event the destination rejected as a successful delivery', async () => {
    const transport = new ScriptedTransport().next(1, async (batch) => ({ rejected: batch.map((e) => ({ messageId: e.messageId, reason: 'bad' })) }));
    const { pipeline, reporter, dropped } = setup({}, transport);
    const sent: number[] = [];
    reporter.on('sent', ({ count }) => sent.push(count));
    for (let i = 0; i < 3; i++) pipeline.offer(event(i));
    await pipeline.flush();
    expect(dropped('rejected')).toBe(3);
    expect(sent).toEqual([]);
    expect(reporter.snapshot()).toMatchObject({ sent: 0, batches: 0 });
    expect(reporter.snapshot().lastSuccessAt).toBeUndefined();
  });

  it('bounds queued + in-flight events by maxQueueSize, dropping the newest as queue_full', async () => {
    const { pipeline, dropped } = setup({ maxQueueSize: 100, maxBatchEvents: 10 }, new ScriptedTransport().next(1000, hang));
    const accepted = Array.from({ length: 150 }, (_, i) => pipeline.offer(event(i))).filter(Boolean).length;
    await tick();
    expect(accepted).toBe(100);
    expect(dropped('queue_full')).toBe(50);
    expect(pipeline.queuedEvents + pipeline.inFlightCount).toBe(100);
    await pipeline.shutdown(10);
  });

  it('bounds held bytes by maxQueueBytes', async () => {
    const { pipeline, dropped } = setup({ maxQueueBytes: 1_000_000 }, new ScriptedTransport().next(1000, hang));
    for (let i = 0; i < 200; i++) pipeline.offer(event(i, 10_000));
    expect(pipeline.queuedBytes).toBeLessThanOrEqual(1_000_000);
    expect(dropped('queue_full')).toBeGreaterThanOrEqual(100);
    await pipeline.shutdown(10);
  });

  it('reports no room once maxQueueBytes is reached, however few events that is', async () => {
    const events = Array.from({ length: 10 }, (_, i) => event(i));
    const { pipeline, dropped } = setup({ maxQueueBytes: events.reduce((n, e) => n + e.bytes, 0), batchSize: 1000, batchTimeout: 60_000 });
    for (const e of events) expect(pipeline.offer(e)).toBe(true);
    expect(pipeline.roomForEvents()).toBe(0);
    expect(pipeline.offer(event(10))).toBe(false);
    expect(dropped('queue_full')).toBe(1);
    await pipeline.shutdown(1000);
  });

  it('with overflow dropOldest, still refuses the newest when the bound is held by events in flight, with nothing queued to evict', async () => {
    const { pipeline, drops } = setup({ maxQueueSize: 2, batchSize: 2, overflow: 'dropOldest' }, new ScriptedTransport().next(1, hang));
    pipeline.offer(event(0));
    pipeline.offer(event(1));
    await tick();
    expect(pipeline.inFlightCount).toBe(2);
    expect(pipeline.offer(event(2))).toBe(false);
    expect(drops).toEqual([expect.objectContaining({ reason: 'queue_full', count: 1, messageIds: ['m2'] })]);
    expect(pipeline.queuedEvents + pipeline.inFlightCount).toBe(2);
    await pipeline.shutdown(10);
  });

  it('with overflow dropOldest, evicts the oldest queued events instead', async () => {
    const { pipeline, drops } = setup({ maxQueueSize: 10, batchTimeout: 60_000, batchSize: 1000 });
    for (let i = 0; i < 12; i++) pipeline.offer(event(i));
    expect(drops).toHaveLength(2);
    expect(drops.flatMap((d) => d.messageIds)).toEqual(['m10', 'm11']);
    const oldest = setup({ maxQueueSize: 10, batchTimeout: 60_000, batchSize: 1000, overflow: 'dropOldest' });
    for (let i = 0; i < 12; i++) oldest.pipeline.offer(event(i));
    expect(oldest.drops.flatMap((d) => d.messageIds)).toEqual(['m0', 'm1']);
    expect(oldest.pipeline.queuedBytes).toBe(Array.from({ length: 10 }, (_, i) => event(i + 2).bytes).reduce((n, b) => n + b, 0));
    // The bound never refuses the newest: a caller asking for room must not drop it either.
    expect(oldest.pipeline.roomForEvents()).toBe(Number.POSITIVE_INFINITY);
    await oldest.pipeline.flush();
    expect([...oldest.transport.delivered.keys()]).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 2}`));
  });

  it('drops an event over 1,000,000 bytes at enqueue as too_large', () => {
    const { pipeline, dropped } = setup();
    expect(pipeline.offer(event(1, 1_000_050))).toBe(false);
    expect(dropped('too_large')).toBe(1);
  });

  it('shutdown delivers what is queued, closes the transport, and counts later offers as closed', async () => {
    const { pipeline, transport, dropped } = setup({ batchTimeout: 60_000 });
    for (let i = 0; i < 3; i++) pipeline.offer(event(i));
    await expect(pipeline.shutdown(1000)).resolves.toEqual({ undelivered: 0 });
    expect(transport.delivered.size).toBe(3);
    expect(transport.closed).toBe(true);
    expect(pipeline.offer(event(99))).toBe(false);
    expect(dropped('closed')).toBe(1);
  });

  it('shutdown sends at once an event offered while it is under way, without waiting for batchTimeout', async () => {
    const { step, release } = gate();
    const transport = new ScriptedTransport().next(1, step);
    const { pipeline, drops } = setup({ batchTimeout: 60_000 }, transport);
    pipeline.offer(event(0));
    const report = pipeline.shutdown(500);
    await until(() => transport.attempts.length === 1, 'the first event to be sent');
    expect(pipeline.offer(event(1))).toBe(true);
    // Beside the send still under way, in the free slot: not after batchTimeout, nor after that send.
    await until(() => transport.attempts.length === 2, 'the event offered during shutdown to be sent');
    release();
    expect(await report).toEqual({ undelivered: 0 });
    expect([...transport.delivered.keys()].sort()).toEqual(['m0', 'm1']);
    expect(drops).toEqual([]);
  });

  it('shutdown with an unreachable destination resolves by the deadline and reports what was not delivered', async () => {
    const transport = new ScriptedTransport().next(1000, () => Promise.reject(new Error('ECONNREFUSED')));
    const { pipeline, dropped } = setup({ retry: { ...fast.retry, maxAttempts: 100, initialDelayMs: 50, maxDelayMs: 50 }, maxBatchEvents: 5, maxInFlight: 1 }, transport);
    for (let i = 0; i < 20; i++) pipeline.offer(event(i));
    const started = Date.now();
    const report = await pipeline.shutdown(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report.undelivered).toBe(20);
    expect(dropped('shutdown')).toBe(20);
  });

  it('shutdown cuts a Retry-After wait short: the batch is given up at the deadline, not abandoned after the grace period', async () => {
    const throttled = new DeliveryError('Jitsu is rate limiting (HTTP 429)', { status: 429, retryable: true, retryAfterMs: 60_000 });
    const transport = new ScriptedTransport().next(1, () => Promise.reject(throttled));
    const { pipeline, reporter, drops } = setup({}, transport);
    pipeline.offer(event(1));
    await until(() => reporter.snapshot().retried === 1, 'the retry wait to start');
    expect(await pipeline.shutdown(50)).toEqual({ undelivered: 1 });
    expect(drops).toEqual([expect.objectContaining({ reason: 'shutdown', messageIds: ['m1'], detail: 'shutdown deadline reached' })]);
    expect(transport.attempts).toHaveLength(1);
  });

  it('shutdown does not wait forever on a transport that ignores the abort signal', async () => {
    const transport = new ScriptedTransport().next(1, () => new Promise(() => undefined));
    const { pipeline, dropped } = setup({}, transport);
    for (let i = 0; i < 10; i++) pipeline.offer(event(i));
    const started = Date.now();
    await pipeline.shutdown(100);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(dropped('shutdown')).toBe(10);
  });

  it('counts an event offered after the shutdown deadline, while shutdown waits out a send that ignores the abort', async () => {
    const signals: AbortSignal[] = [];
    const transport = new ScriptedTransport().next(1, (_batch, signal) => (signals.push(signal), new Promise(() => undefined)));
    const { pipeline, drops } = setup({}, transport);
    pipeline.offer(event(0));
    await until(() => signals.length === 1, 'the send to start');
    const report = pipeline.shutdown(50);
    await until(() => signals[0]!.aborted, 'the shutdown deadline');
    const accepted = pipeline.offer(event(1));
    await report;
    // Accepted or refused, the event must be accounted for: never kept in a queue nothing reads any more.
    expect(drops.flatMap((d) => d.messageIds).sort()).toEqual(['m0', 'm1']);
    expect(drops.find((d) => d.messageIds.includes('m1'))?.reason).toBe(accepted ? 'shutdown' : 'closed');
  });

  it('a pending flush() resolves once shutdown gives up on a send that never ends', async () => {
    const transport = new ScriptedTransport().next(1, () => new Promise(() => undefined));
    const { pipeline, dropped } = setup({}, transport);
    pipeline.offer(event(1));
    const flushed = pipeline.flush();
    await pipeline.shutdown(50);
    await flushed;
    expect(dropped('shutdown')).toBe(1);
    expect(pipeline.inFlightCount).toBe(0);
  });

  it('sends again, alone, the events a destination could not take right now, and counts each once', async () => {
    const transport = new ScriptedTransport().next(1, async () => ({ retry: [{ messageId: 'm1', reason: 'throttled' }, { messageId: 'elsewhere', reason: 'throttled' }] }));
    const { pipeline, reporter, drops } = setup({ batchTimeout: 60_000 }, transport);
    for (let i = 0; i < 4; i++) pipeline.offer(event(i));
    await pipeline.flush();
    expect(transport.attempts.map((a) => a.ids)).toEqual([['m0', 'm1', 'm2', 'm3'], ['m1']]);
    expect(drops).toEqual([]);
    expect(reporter.snapshot()).toMatchObject({ sent: 4, failed: 1, retried: 1, lastError: 'the destination could not take 1 event(s) now: throttled' });
  });

  describe('while part of a batch is sent again', () => {
    const retryM1 = async () => ({ retry: [{ messageId: 'm1', reason: 'throttled' }] });
    const start = (transport: ScriptedTransport, options: Partial<PipelineOptions> = {}) => {
      const context = setup({ batchSize: 4, batchTimeout: 60_000, ...options }, transport);
      for (let i = 0; i < 4; i++) context.pipeline.offer(event(i));
      return context;
    };

    it('counts only what is still being sent as in flight or held', async () => {
      const { step, release } = gate();
      const transport = new ScriptedTransport().next(1, retryM1).next(1, step);
      const { pipeline, reporter } = start(transport, { maxQueueSize: 4 });
      await until(() => transport.attempts.length === 2, 'the retry of m1');
      expect(reporter.snapshot().sent + pipeline.inFlightCount).toBe(4);
      expect(pipeline.inFlightCount).toBe(1);
      expect(pipeline.roomForEvents()).toBe(3);
      release();
      await pipeline.flush();
      expect(reporter.snapshot().sent).toBe(4);
      expect(pipeline.inFlightCount).toBe(0);
    });

    it('reports and drops at shutdown only what was still being sent, also when the transport ignores the abort', async () => {
      for (const late of [hang, () => new Promise<void>(() => undefined)]) {
        const transport = new ScriptedTransport().next(1, retryM1).next(1, late);
        const { pipeline, reporter, dropped } = start(transport);
        await until(() => transport.attempts.length === 2, 'the retry of m1');
        expect(await pipeline.shutdown(50)).toEqual({ undelivered: 1 });
        expect({ sent: reporter.snapshot().sent, dropped: dropped('shutdown') }).toEqual({ sent: 3, dropped: 1 });
      }
    });
  });

  it('drops, once its retries are spent, only what the destination kept refusing for now', async () => {
    const transport = new ScriptedTransport().next(10, async (batch) => ({ retry: batch.filter((e) => e.messageId === 'm2').map((e) => ({ messageId: e.messageId, reason: 'producer error' })) }));
    const { pipeline, reporter, dropped } = setup({ batchTimeout: 60_000, retry: { ...fast.retry, maxAttempts: 3 } }, transport);
    for (let i = 0; i < 4; i++) pipeline.offer(event(i));
    await pipeline.flush();
    expect(transport.attempts.map((a) => a.ids)).toEqual([['m0', 'm1', 'm2', 'm3'], ['m2'], ['m2']]);
    expect(dropped('retries_exhausted')).toBe(1);
    expect(reporter.snapshot()).toMatchObject({ sent: 3, dropped: { retries_exhausted: 1 } });
  });

  it.each(['succeeds', 'fails'])('counts the events of a split batch given up at shutdown once, when the first half %s after all', async (outcome) => {
    let settleLate!: () => void;
    const late = new Promise<void>((resolve, reject) => {
      settleLate = outcome === 'succeeds' ? resolve : () => reject(new Error('ECONNRESET'));
    });
    const transport = new ScriptedTransport()
      .next(1, async () => {
        throw new DeliveryError('413', { status: 413, retryable: false, tooLarge: true });
      })
      // The first half's send ignores the abort signal and ends only after shutdown gave up on it.
      .next(1, () => late);
    const { pipeline, dropped, reporter } = setup({}, transport);
    for (let i = 0; i < 4; i++) pipeline.offer(event(i));
    await until(() => transport.attempts.length === 2, 'the first half to be sent');
    expect(await pipeline.shutdown(50)).toEqual({ undelivered: 4 });
    settleLate();
    // What follows the late answer runs on promise callbacks only: one turn sees it all.
    await tick();
    expect(dropped('shutdown')).toBe(4);
    expect(reporter.snapshot()).toMatchObject({ sent: 0, dropped: { shutdown: 4 } });
    expect(transport.attempts).toHaveLength(2);
  });

  it('shutdown aborts a send under way when requestTimeout is set, without waiting for that deadline', async () => {
    const signals: AbortSignal[] = [];
    const transport = new ScriptedTransport().next(1, (batch, signal) => (signals.push(signal), hang(batch, signal)));
    const { pipeline, dropped } = setup({ requestTimeout: 60_000 }, transport);
    pipeline.offer(event(1));
    await until(() => signals.length === 1, 'the send to start');
    const started = Date.now();
    await pipeline.shutdown(50);
    expect(signals[0]!.aborted).toBe(true);
    // Well inside the 1 s grace a send that ignores the abort would be given.
    expect(Date.now() - started).toBeLessThan(800);
    expect(dropped('shutdown')).toBe(1);
  });

  it('counts a send that shutdown aborts on its last attempt as shutdown, not as retries_exhausted', async () => {
    const transport = new ScriptedTransport().next(1, hang);
    const { pipeline, dropped, reporter } = setup({ retry: { ...fast.retry, maxAttempts: 1 } }, transport);
    pipeline.offer(event(1));
    await until(() => transport.attempts.length === 1, 'the send to start');
    expect(await pipeline.shutdown(50)).toEqual({ undelivered: 1 });
    expect(dropped('shutdown')).toBe(1);
    expect(reporter.snapshot().dropped).toEqual({ shutdown: 1 });
  });

  it('retries a send that outlives requestTimeout plus a grace period, so a silent destination holds no slot forever', async () => {
    const signals: AbortSignal[] = [];
    const transport = new ScriptedTransport().next(1, (_batch, signal) => (signals.push(signal), new Promise(() => undefined)));
    const { pipeline, reporter } = setup({ requestTimeout: 10 }, transport);
    pipeline.offer(event(1));
    await pipeline.flush();
    expect(transport.attempts).toHaveLength(2);
    // The late attempt is told to stop, so it cannot keep writing beside its retry.
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(reporter.snapshot()).toMatchObject({ sent: 1, retried: 1 });
    expect(reporter.snapshot().lastError).toContain('the destination did not answer within 1010 ms');
  });

  it('unlinks each finished send from the shutdown signal when requestTimeout is set', async () => {
    const signals: AbortSignal[] = [];
    const record = (step: typeof hang) => (batch: readonly QueuedEvent[], signal: AbortSignal) => (signals.push(signal), step(batch, signal));
    const transport = new ScriptedTransport().next(3, record(async () => undefined)).next(1, record(hang));
    const { pipeline } = setup({ requestTimeout: 60_000, maxBatchEvents: 1 }, transport);
    for (let i = 0; i < 3; i++) pipeline.offer(event(i));
    await pipeline.flush();
    pipeline.offer(event(3));
    await until(() => signals.length === 4, 'the fourth send to start');
    await pipeline.shutdown(50);
    // Only the send under way is aborted at the deadline: a finished one still linked would be
    // aborted too, one listener left on the long-lived shutdown signal per request.
    expect(signals.map((s) => s.aborted)).toEqual([false, false, false, true]);
  });

  it('shutdown does not wait forever on a transport whose close never settles', async () => {
    const transport = new ScriptedTransport();
    transport.close = () => new Promise(() => undefined);
    const { pipeline, reporter } = setup({}, transport);
    const started = Date.now();
    await pipeline.shutdown(100);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(reporter.snapshot().warnings).toEqual({ transport_close_timeout: 1 });
  });
});
