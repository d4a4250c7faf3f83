import { DEFAULT_GZIP_MIN_BYTES } from '../../../lib/transports/jitsu/jitsu.transport.js';
import { USER_AGENT } from '../../../lib/transports/jitsu/library-version.js';
import type { QueuedEvent } from '../../../lib/transports/transport.interface.js';
import { SAMPLE_KINDS } from '../../support/sample-events.js';
import { batchOf, expectNoSecrets, failureOf, rawSize, useFakeJitsu } from './transport-harness.js';

describe('Jitsu transport: what the server answers', () => {
  const harness = useFakeJitsu();
  const signal = new AbortController().signal;
  const transport = harness.transport.bind(harness);
  let fake: typeof harness.fake;
  beforeEach(() => {
    fake = harness.fake;
  });

  it('delivers batches: every messageId intact, each event with its table, over reused keep-alive sockets', async () => {
    const jitsu = transport();
    const batches = [batchOf(9), batchOf(3, 9), batchOf(2, 12), batchOf(2, 14), batchOf(2, 16), batchOf(2, 18)];

    for (const batch of batches) expect(await jitsu.send(batch, signal)).toEqual({});

    const sent = batches.flat();
    expect(fake.acceptedIds()).toEqual(new Set(sent.map((e) => e.messageId)));
    expect(new Set(sent.map((e) => e.table)).size).toBe(SAMPLE_KINDS.length);
    for (const event of sent) {
      expect(fake.eventsFor(event.table).map((e) => e.messageId)).toContain(event.messageId);
    }
    // Each event exactly as queued, plus the sentAt of its attempt (an ISO time, no later than now).
    const received = fake.events();
    expect(received.map(({ sentAt, ...event }) => event)).toEqual(sent.map((e) => JSON.parse(e.json)));
    for (const { sentAt } of received) expect(Date.parse(String(sentAt))).toBeLessThanOrEqual(Date.now());
    // Six sequential sends. undici's pool adds a second socket when a send follows the first
    // response in the same tick (before that client reports drained); after that both are reused.
    expect(fake.connectionsOpened).toBeLessThanOrEqual(2);
    expect(jitsu.origin).toBe(fake.url);

    const [req] = fake.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/api/s/s2s/batch', status: 200, eventCount: 9 });
    expect(req!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'x-jitsu-analytics-client': '1',
      'x-write-key': '[redacted]',
    });
  });

  it('sends nothing for an empty batch', async () => {
    expect(await transport().send([], signal)).toEqual({});
    expect(fake.requests).toHaveLength(0);
  });

  it('works with a trailing slash in jitsuUrl', async () => {
    await transport({ jitsuUrl: `${fake.url}/` }).send(batchOf(1), signal);
    expect(fake.requests[0]!.path).toBe('/api/s/s2s/batch');
    expect(fake.count()).toBe(1);
  });

  it('puts a path prefix in front of the endpoint (a 404 here, reported as final)', async () => {
    const error = await failureOf(transport({ jitsuUrl: `${fake.url}/prefix` }).send(batchOf(1), signal));
    expect(fake.requests[0]!.path).toBe('/prefix/api/s/s2s/batch');
    expect(error).toMatchObject({ status: 404, retryable: false, dropReason: 'rejected' });
    expect(error.message).toContain('check jitsuUrl');
  });

  it('gzips a body at or above the threshold, and Jitsu decodes it', async () => {
    const batch = batchOf(10);
    expect(rawSize(batch)).toBeGreaterThan(2048);
    expect(await transport({ gzipMinBytes: 2048 }).send(batch, signal)).toEqual({});

    const [req] = fake.requests;
    expect(req!.gzip).toBe(true);
    expect(req!.headers['content-encoding']).toBe('gzip');
    expect(req!.bytes).toBeLessThan(rawSize(batch) / 2);
    expect(fake.acceptedIds()).toEqual(new Set(batch.map((e) => e.messageId)));
  });

  it('gzips a body exactly the size of the threshold', async () => {
    const batch = batchOf(2);
    await transport({ gzipMinBytes: rawSize(batch) }).send(batch, signal);
    expect(fake.requests[0]).toMatchObject({ gzip: true });
    expect(fake.acceptedIds()).toEqual(new Set(batch.map((e) => e.messageId)));
  });

  it('does not gzip below the threshold', async () => {
    const batch = batchOf(2);
    await transport({ gzipMinBytes: rawSize(batch) + 1 }).send(batch, signal);
    expect(fake.requests[0]).toMatchObject({ gzip: false, bytes: rawSize(batch) });
    expect(fake.requests[0]!.headers['content-encoding']).toBeUndefined();
  });

  it('applies DEFAULT_GZIP_MIN_BYTES when no threshold is given', async () => {
    const small = batchOf(1);
    let count = 1;
    while (rawSize(batchOf(count + 1)) < DEFAULT_GZIP_MIN_BYTES) count++;
    const justBelow = batchOf(count);
    const above = batchOf(count + 1);
    expect(rawSize(justBelow)).toBeLessThan(DEFAULT_GZIP_MIN_BYTES);
    const jitsu = transport();

    for (const batch of [small, justBelow, above]) await jitsu.send(batch, signal);

    expect(fake.requests.map((r) => r.gzip)).toEqual([false, false, true]);
  });

  it('reports exactly the events Jitsu rejected (200 ok:false) and nothing else', async () => {
    const batch = batchOf(6);
    const refused = [batch[1]!.messageId, batch[4]!.messageId];
    fake.rejectMessageIds([...refused, 'some-id-from-another-batch']);

    const result = await transport().send(batch, signal);

    expect(result.rejected?.map((r) => r.messageId)).toEqual(refused);
    for (const rejection of result.rejected ?? []) expect(rejection.reason).toMatch(/\S/);
    expect(fake.acceptedIds()).toEqual(new Set(batch.map((e) => e.messageId).filter((id) => !refused.includes(id))));
  });

  it('401: unauthorized, and neither the key nor the echoed body reaches the error', async () => {
    const wrongKey = 'wrong-key-id:wrong-secret-9f8e7d';
    const error = await failureOf(transport({ writeKey: wrongKey }).send(batchOf(2), signal));

    expect(error).toMatchObject({ status: 401, retryable: false, dropReason: 'unauthorized' });
    expect(error.message).toContain('check writeKey');
    expectNoSecrets(error, [wrongKey, 'wrong-secret-9f8e7d', fake.writeKey]);
    expect(fake.count()).toBe(0);
  });

  it('400 (a malformed event makes the body invalid): final, with a short excerpt', async () => {
    const broken: QueuedEvent = { messageId: 'broken', table: 'api_events', json: '{"type":}', bytes: 9 };
    const error = await failureOf(transport().send([broken, ...batchOf(1)], signal));
    expect(error).toMatchObject({ status: 400, retryable: false, dropReason: 'rejected' });
    expect(error.message.length).toBeLessThan(300);
    expectNoSecrets(error, [fake.writeKey]);
  });

  it('reports events that are not JSON objects individually and delivers the rest', async () => {
    const notAnObject: QueuedEvent = { messageId: 'not-an-object', table: 'api_events', json: '[1]', bytes: 3 };
    const batch = batchOf(2);
    const result = await transport().send([notAnObject, ...batch], signal);
    expect(result.rejected).toEqual([{ messageId: 'not-an-object', reason: expect.any(String) }]);
    expect(fake.acceptedIds()).toEqual(new Set(batch.map((e) => e.messageId)));
  });

  it('sends no request when no event of the batch is a JSON object, and reports each', async () => {
    const broken: QueuedEvent[] = ['[1]', '"text"'].map((json, i) => ({ messageId: `broken-${i}`, table: 'api_events', json, bytes: json.length }));
    const result = await transport().send(broken, signal);
    expect(result.rejected?.map((r) => r.messageId)).toEqual(['broken-0', 'broken-1']);
    expect(fake.requests).toHaveLength(0);
  });

  it('413: tooLarge, so the pipeline can split', async () => {
    fake.setMaxBatchEvents(2);
    const error = await failureOf(transport().send(batchOf(3), signal));
    expect(error).toMatchObject({ status: 413, tooLarge: true, retryable: false });
  });

  it('429 with Retry-After: retryable with retryAfterMs', async () => {
    fake.failNext(1, { status: 429, retryAfter: '3' });
    const error = await failureOf(transport().send(batchOf(1), signal));
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 3000 });
  });

  it('402 and 500: retryable; the same batch then goes through', async () => {
    const jitsu = transport();
    const batch = batchOf(2);
    fake.failNext(1, { status: 402 }).failNext(1, { status: 500 });

    expect(await failureOf(jitsu.send(batch, signal))).toMatchObject({ status: 402, retryable: true });
    expect(await failureOf(jitsu.send(batch, signal))).toMatchObject({ status: 500, retryable: true });
    expect(await jitsu.send(batch, signal)).toEqual({});
    expect(fake.acceptedIds()).toEqual(new Set(batch.map((e) => e.messageId)));
  });

  it('Classic: a JSON array to /api/v1/s2s/event with the token in X-Auth-Token, tables in __JITSU_TABLE_NAME, never gzipped', async () => {
    const batch = batchOf(9);
    const jitsu = transport({ protocol: 'classic', writeKey: fake.classicToken, gzipMinBytes: 0 });

    expect(await jitsu.send(batch, signal)).toEqual({});

    const [req] = fake.requests;
    expect(req).toMatchObject({ path: '/api/v1/s2s/event', status: 200, gzip: false, eventCount: 9 });
    expect(req!.headers['x-auth-token']).toBe('[redacted]');
    expect(req!.headers['x-write-key']).toBeUndefined();
    expect(fake.acceptedIds()).toEqual(new Set(batch.map((e) => e.messageId)));
    for (const event of batch) {
      const recorded = fake.events().find((e) => e.messageId === event.messageId);
      expect(recorded).toMatchObject({ __JITSU_TABLE_NAME: event.table });
    }
  });

  it('Classic with a wrong token: unauthorized, token absent from the error', async () => {
    const error = await failureOf(transport({ protocol: 'classic', writeKey: 'not-the-token-4711' }).send(batchOf(1), signal));
    expect(error).toMatchObject({ status: 401, dropReason: 'unauthorized' });
    expect(error.message).toContain('server token');
    expectNoSecrets(error, ['not-the-token-4711']);
  });
});
