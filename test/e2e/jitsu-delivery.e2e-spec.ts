import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createAnalytics } from '../../lib/create-analytics.js';
import type { JitsuAnalyticsOptions } from '../../lib/analytics.options.js';
import type { AnalyticsService } from '../../lib/analytics.service.js';
import type { DroppedInfo } from '../../lib/pipeline/analytics-stats.interface.js';
import { FakeJitsuServer } from '../fake-jitsu/fake-jitsu-server.js';

/** The whole library (service → pipeline → undici transport) against the fake Jitsu server. */
let fake: FakeJitsuServer;
const running: AnalyticsService[] = [];

beforeAll(async () => {
  fake = await FakeJitsuServer.start();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.shutdown()));
  if (fake.isDown) await fake.comeBack();
  fake.reset();
});
afterAll(() => fake.stop());

function analytics(options: Partial<JitsuAnalyticsOptions> = {}) {
  const instance = createAnalytics(
    {
      jitsuUrl: fake.url,
      writeKey: fake.writeKey,
      batchSize: 100,
      batchTimeout: 50,
      retry: { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 100, maxElapsedMs: 60_000 },
      shutdownTimeout: 2000,
      ...options,
    },
    { logger: false },
  );
  const drops: DroppedInfo[] = [];
  const errors: Error[] = [];
  instance.on('dropped', (d) => drops.push(d)).on('error', (e) => errors.push(e));
  running.push(instance);
  return { instance, drops, errors };
}

const indexes = () => fake.events().map((e) => (e.properties as { i: number }).i).sort((a, b) => a - b);
const gc = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();
/** Heap in use after a full collection: what is really retained. */
function liveHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('delivery to Jitsu', () => {
  it('delivers every event of a 10,000-event burst exactly once by messageId', async () => {
    const { instance, drops } = analytics();
    for (let i = 0; i < 10_000; i++) instance.track('API Call', { i, route: '/users/:id' });
    await instance.flush();
    expect(fake.count()).toBe(10_000);
    expect(fake.acceptedIds().size).toBe(10_000);
    expect(fake.duplicates()).toBe(0);
    expect(indexes()).toEqual(range(10_000));
    expect(drops).toEqual([]);
    expect(instance.stats()).toMatchObject({ sent: 10_000, queued: 0, inFlight: 0 });
    // A burst leaves as few large batches, not 100 small ones.
    expect(fake.requests.length).toBeLessThanOrEqual(25);
  });

  it('delivers everything when the server is down for 3 s in the middle of a burst', async () => {
    const { instance, drops } = analytics();
    for (let i = 0; i < 5000; i++) instance.track('Burst', { i });
    await fake.waitForCount(1);
    await fake.goDown();
    for (let i = 5000; i < 10_000; i++) instance.track('Burst', { i });
    await new Promise((r) => setTimeout(r, 3000));
    await fake.comeBack();
    await instance.flush();
    expect(fake.acceptedIds().size).toBe(10_000);
    expect(indexes().filter((v, k, all) => all.indexOf(v) === k)).toEqual(range(10_000));
    expect(drops).toEqual([]);
    expect(instance.stats().retried).toBeGreaterThan(0);
  }, 20_000);

  it('retries a storm of 500s until the events are accepted', async () => {
    fake.failNext(6, { status: 500 });
    const { instance, drops } = analytics();
    for (let i = 0; i < 300; i++) instance.track('Storm', { i });
    await instance.flush();
    expect(indexes()).toEqual(range(300));
    expect(fake.requests.filter((r) => r.status === 500)).toHaveLength(6);
    expect(instance.stats().retried).toBeGreaterThanOrEqual(6);
    expect(drops).toEqual([]);
  });

  // The transport's side of each is in test/transports/jitsu/jitsu-transport-broken-answers.spec.ts.
  it.each([
    ['a body cut off mid-way (content-length)', 'cut-body', () => fake.cutBodyNext(1, 'content-length')],
    ['a body cut off mid-way (chunked)', 'cut-body', () => fake.cutBodyNext(1, 'chunked')],
    ['a body cut off mid-way with no length or chunks (ended by the connection)', 'cut-body', () => fake.cutBodyNext(1, 'close-delimited')],
    ['a body trickling in past requestTimeout', 'trickle', () => fake.trickleNext(1, 40)],
    ['headers and then nothing', 'hang-after-headers', () => fake.hangAfterHeadersNext(1)],
  ] as const)('a 200 with %s is not counted as sent: the batch is retried and each event lands once', async (_, outcome, script) => {
    script();
    const { instance, drops, errors } = analytics({ requestTimeout: 300, maxInFlight: 1 });
    const sentIds: string[] = [];
    // What the server had done each time 'sent' was announced: only its real answer may trigger one.
    const outcomesAtSent: string[][] = [];
    instance.on('sent', ({ messageIds }) => {
      sentIds.push(...messageIds);
      outcomesAtSent.push(fake.requests.map((r) => r.outcome));
    });
    for (let i = 0; i < 20; i++) instance.track('Broken Answer', { i });
    await instance.flush();

    expect(fake.requests.map((r) => [r.outcome, r.status, r.eventCount])).toEqual([
      [outcome, 200, 20],
      ['answered', 200, 20],
    ]);
    expect(outcomesAtSent).toEqual([[outcome, 'answered']]);
    expect(indexes()).toEqual(range(20));
    expect(fake.duplicates()).toBe(0);
    expect(sentIds).toHaveLength(20);
    expect(new Set(sentIds)).toEqual(fake.acceptedIds());
    expect(instance.stats()).toMatchObject({ sent: 20, failed: 1, retried: 1, queued: 0, inFlight: 0, dropped: {} });
    expect(drops).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('honours Retry-After: 1 on a 429 (the next attempt waits at least a second)', async () => {
    fake.failNext(1, { status: 429, retryAfter: '1' });
    const { instance } = analytics({ maxInFlight: 1 });
    instance.track('Throttled', { i: 0 });
    await instance.flush();
    const [throttled, retried] = fake.requests;
    expect(throttled!.status).toBe(429);
    expect(retried!.status).toBe(200);
    expect(retried!.at - throttled!.at).toBeGreaterThanOrEqual(1000);
    expect(indexes()).toEqual([0]);
  });

  it('splits a batch answered 413 until it is accepted, exactly once', async () => {
    fake.setMaxBatchEvents(40);
    const { instance } = analytics({ maxInFlight: 1 });
    for (let i = 0; i < 300; i++) instance.track('Big Batch', { i });
    await instance.flush();
    expect(fake.requests.some((r) => r.status === 413)).toBe(true);
    expect(fake.duplicates()).toBe(0);
    expect(indexes()).toEqual(range(300));
  });

  it.each([
    ['the default threshold gzips a 100-event body', undefined, true],
    ['gzipMinBytes: Infinity sends it uncompressed', Infinity, false],
    ["gzipMinBytes: 'Infinity' (from process.env) too", 'Infinity', false],
  ])('%s', async (_case, gzipMinBytes, gzipped) => {
    const { instance } = analytics(gzipMinBytes === undefined ? {} : { gzipMinBytes });
    for (let i = 0; i < 100; i++) instance.track('API Call', { i, route: '/users/:id' });
    await instance.flush();
    expect(indexes()).toEqual(range(100));
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every((r) => r.gzip === gzipped)).toBe(true);
  });

  it('counts exactly the rejected ids of a partial ok:false as rejected, the rest as sent', async () => {
    const ids: string[] = [];
    const { instance, drops } = analytics({ batchTimeout: 60_000, batchSize: 1000, beforeSend: (e) => (ids.push(e.messageId), e) });
    for (let i = 0; i < 20; i++) instance.track('Partial', { i });
    fake.rejectMessageIds([ids[3]!, ids[7]!]);
    await instance.flush();
    const rejected = drops.filter((d) => d.reason === 'rejected').flatMap((d) => d.messageIds);
    expect(rejected.sort()).toEqual([ids[3], ids[7]].sort());
    expect(instance.stats()).toMatchObject({ sent: 18, dropped: { rejected: 2 } });
    expect(fake.requests).toHaveLength(1);
  });

  it('sends again, on their own, the events Jitsu throttled inside a partial ok:false, and counts each once', async () => {
    const ids: string[] = [];
    const { instance, drops } = analytics({ batchTimeout: 60_000, batchSize: 1000, beforeSend: (e) => (ids.push(e.messageId), e) });
    for (let i = 0; i < 20; i++) instance.track('Throttled', { i });
    fake.throttleMessageIds([ids[3]!, ids[7]!]);
    await instance.flush();
    expect(drops).toEqual([]);
    expect(indexes()).toEqual(range(20));
    expect(fake.requests.map((r) => r.eventCount)).toEqual([20, 2]);
    expect(instance.stats()).toMatchObject({ sent: 20, failed: 1, retried: 1 });
  });

  it('answers a 401 with one clear error, no retry loop, and no trace of the key', async () => {
    const secret = 'very-secret-part';
    const { instance, drops, errors } = analytics({ writeKey: `wrong-id:${secret}`, batchSize: 10, maxBatchEvents: 10 });
    for (let i = 0; i < 50; i++) instance.track('Denied', { i });
    await instance.flush();
    expect(fake.requests.every((r) => r.status === 401)).toBe(true);
    expect(fake.requests).toHaveLength(5);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('check writeKey');
    const everything = JSON.stringify([errors.map((e) => [e.message, e.stack]), drops, instance.stats()]);
    expect(everything).not.toContain(secret);
    expect(drops.reduce((n, d) => n + (d.reason === 'unauthorized' ? d.count : 0), 0)).toBe(50);
  });

  it('keeps a stalled server plus 100,000 offered events within the queue bounds, counting the excess', async () => {
    fake.stall();
    const instance = createAnalytics(
      { jitsuUrl: fake.url, writeKey: fake.writeKey, maxQueueSize: 10_000, requestTimeout: 60_000, shutdownTimeout: 100 },
      { logger: false },
    );
    running.push(instance);
    let announced = 0;
    instance.on('dropped', (d) => d.reason === 'queue_full' && (announced += d.count));
    const heapBefore = liveHeap();
    for (let i = 0; i < 100_000; i++) instance.track('API Call', { i, route: '/users/:id', status_code: 200 });
    await new Promise((r) => setTimeout(r, 50));
    const stats = instance.stats();
    expect(stats.queued + stats.inFlight).toBe(10_000);
    expect(stats.dropped.queue_full).toBe(90_000);
    expect(announced).toBe(90_000);
    // 10,000 held events of ~300 bytes: a few MB, where holding all 100,000 would take ~30 MB.
    expect(liveHeap() - heapBefore).toBeLessThan(12 * 1024 * 1024);
    await instance.shutdown();
    expect(instance.stats().dropped.shutdown).toBe(10_000);
  });

  it('app shutdown with the server down resolves by the deadline and reports what was not delivered', async () => {
    await fake.goDown();
    const { instance, drops } = analytics({ shutdownTimeout: 300 });
    for (let i = 0; i < 25; i++) instance.track('Lost', { i });
    const started = Date.now();
    await instance.shutdown();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(drops.filter((d) => d.reason === 'shutdown').reduce((n, d) => n + d.count, 0)).toBe(25);
  });
});
