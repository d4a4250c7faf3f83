import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { getEventListeners } from 'node:events';
import { request } from 'undici';
import { DeliveryError } from '../../../lib/transports/delivery-error.js';
import { isJitsuTransportRequest } from '../../../lib/transports/jitsu/jitsu.transport.js';
import { batchOf, expectNoSecrets, failureOf, useFakeJitsu } from './transport-harness.js';

describe('Jitsu transport: no answer, aborts, close, request marker', () => {
  const harness = useFakeJitsu();
  const signal = new AbortController().signal;
  const transport = harness.transport.bind(harness);
  let fake: typeof harness.fake;
  beforeEach(() => {
    fake = harness.fake;
  });

  it('a reset connection: retryable network error naming the origin', async () => {
    fake.resetNext(1);
    const error = await failureOf(transport().send(batchOf(1), signal));
    expect(error.retryable).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.message).toContain(fake.url);
    expect(error.message).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expectNoSecrets(error, [fake.writeKey]);
  });

  it('a server that is down: retryable connection refused; delivers once it is back', async () => {
    const jitsu = transport();
    await fake.goDown();
    const error = await failureOf(jitsu.send(batchOf(1), signal));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('connection refused (ECONNREFUSED)');
    expect(error.message).toContain(fake.url);

    await fake.comeBack();
    const batch = batchOf(1, 1);
    expect(await jitsu.send(batch, signal)).toEqual({});
    expect(fake.acceptedIds()).toEqual(new Set([batch[0]!.messageId]));
  });

  it('a stalled server: retryable timeout after requestTimeoutMs, not much later', async () => {
    fake.stall();
    const started = Date.now();
    const error = await failureOf(transport({ requestTimeoutMs: 300 }).send(batchOf(1), signal));
    const elapsed = Date.now() - started;

    expect(error.retryable).toBe(true);
    expect(error.message).toContain('request timed out after 300 ms');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
  });

  it("the caller's signal aborts a request: retryable, and promptly", async () => {
    fake.stall();
    const controller = new AbortController();
    const started = Date.now();
    const sending = transport({ requestTimeoutMs: 5000 }).send(batchOf(1), controller.signal);
    setTimeout(() => controller.abort(), 50);
    const error = await failureOf(sending);

    expect(error.retryable).toBe(true);
    expect(error.message).toContain('aborted by the caller');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failureOf(transport().send(batchOf(1), controller.signal));
    expect(error.message).toContain('aborted by the caller');
    expect(fake.requests).toHaveLength(0);
  });

  it("leaves no listener on the caller's long-lived signal once a request is over, answered or failed", async () => {
    const controller = new AbortController();
    const jitsu = transport();
    await jitsu.send(batchOf(1), controller.signal);
    fake.resetNext(1);
    await failureOf(jitsu.send(batchOf(1, 1), controller.signal));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('marks its requests so outbound-HTTP instrumentation can skip them', async () => {
    const seen: boolean[] = [];
    const onCreate = (message: unknown) => seen.push(isJitsuTransportRequest((message as { request: object }).request));
    subscribe('undici:request:create', onCreate);
    try {
      await transport().send(batchOf(1), signal);
      const other = await request(`${fake.url}/not-jitsu`, { method: 'GET' });
      await other.body.dump();
    } finally {
      unsubscribe('undici:request:create', onCreate);
    }
    expect(seen).toEqual([true, false]);
  });

  it('close(): idempotent, refuses later sends as closed, and tears down a stuck request within the grace period', async () => {
    const jitsu = transport();
    fake.stall();
    const stuck = jitsu.send(batchOf(1), signal).catch((error: unknown) => error);
    await fake.waitForRequests(1);

    const started = Date.now();
    await Promise.all([jitsu.close(), jitsu.close()]);
    expect(Date.now() - started).toBeLessThan(1900);

    const stuckError = (await stuck) as DeliveryError;
    expect(stuckError).toBeInstanceOf(DeliveryError);
    expect(stuckError.dropReason).toBe('closed');

    const later = await failureOf(jitsu.send(batchOf(1), signal));
    expect(later).toMatchObject({ retryable: false, dropReason: 'closed' });
  });
});
