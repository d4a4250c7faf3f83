import { connect, createServer as createNetServer } from 'node:net';
import { Agent } from 'undici';
import { FakeJitsuServer } from './fake-jitsu-server.js';
import { until } from '../support/until.js';
import { batchBody, failureOf, jsonHeaders, send, trackEvent } from './http-test-client.js';

describe('FakeJitsuServer: scripted misbehaviour', () => {
  let server: FakeJitsuServer;
  let agent: Agent;
  const postBatch = (ids: string[]) =>
    send(agent, `${server.url}/api/s/s2s/batch`, {
      headers: jsonHeaders(server.writeKey),
      body: batchBody(ids.map((id) => trackEvent(id))),
    });

  beforeEach(async () => {
    server = await FakeJitsuServer.start();
    agent = new Agent();
  });
  afterEach(async () => {
    await agent.destroy();
    await server.stop();
  });

  it('failNext answers the next requests with the status and Retry-After, recording none of their events', async () => {
    server.failNext(2, { status: 429, retryAfter: '1' });

    const first = await postBatch(['f-1']);
    const second = await postBatch(['f-2']);
    const third = await postBatch(['f-3']);

    expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
    expect(first.headers['retry-after']).toBe('1');
    expect(first.json).toEqual({ ok: false, error: 'Too many requests' });
    expect(third.headers['retry-after']).toBeUndefined();
    expect([...server.acceptedIds()]).toEqual(['f-3']);
    expect(server.requests.map((r) => [r.status, r.eventCount])).toEqual([[429, 1], [429, 1], [200, 1]]);
  });

  it('failNext sends a given JSON or raw body, and a classic-shaped body on the classic endpoint', async () => {
    server
      .failNext(1, { status: 402, body: { ok: false, error: 'quota gone' } })
      .failNext(1, { status: 502, rawBody: '<html>Bad Gateway</html>' })
      .failNext(1, { status: 500 });

    const custom = await postBatch(['a']);
    const raw = await postBatch(['b']);
    const classic = await send(agent, `${server.url}/api/v1/s2s/event?token=${server.classicToken}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ messageId: 'c' }]),
    });

    expect(custom).toMatchObject({ status: 402, json: { ok: false, error: 'quota gone' } });
    expect(raw).toMatchObject({ status: 502, text: '<html>Bad Gateway</html>' });
    expect(raw.headers['content-type']).toMatch(/^text\/plain/);
    expect(classic).toMatchObject({ status: 500, json: { status: 'error', message: expect.any(String) } });
    expect(server.count()).toBe(0);
  });

  it('scripted answers go to valid requests only: an invalid one gets its real 4xx and leaves them for the next', async () => {
    server.failNext(1, { status: 503 }).resetNext(1);
    server.setMaxBatchEvents(2);
    const batchUrl = `${server.url}/api/s/s2s/batch`;
    const body = batchBody([trackEvent('bad')]);

    const invalid = [
      await send(agent, batchUrl, { headers: { 'content-type': 'application/json' }, body }),
      await send(agent, batchUrl, { headers: jsonHeaders('wrong-id:wrong-secret'), body }),
      await send(agent, batchUrl, { headers: jsonHeaders(server.writeKey, { 'content-type': 'text/plain' }), body }),
      await send(agent, batchUrl, { headers: jsonHeaders(server.writeKey, { 'content-encoding': 'gzip' }), body }),
      await send(agent, batchUrl, { headers: jsonHeaders(server.writeKey), body: '{"batch": [' }),
      await send(agent, batchUrl, { headers: jsonHeaders(server.writeKey), body: JSON.stringify({ events: [trackEvent('bad')] }) }),
      await postBatch(['too-1', 'too-2', 'too-3']),
      await send(agent, `${server.url}/api/s/s2s/track`, { headers: jsonHeaders(server.writeKey), body: JSON.stringify(trackEvent('bad', { type: 'identify' })) }),
      await send(agent, `${server.url}/api/v1/s2s/event?token=wrong-token`, { headers: { 'content-type': 'application/json' }, body: '[{"messageId":"bad"}]' }),
    ];
    const failed = await postBatch(['v-1']);
    const reset = await failureOf(postBatch(['v-2']));
    const fine = await postBatch(['v-3']);

    expect(invalid.map((a) => a.status)).toEqual([401, 401, 400, 400, 400, 400, 413, 400, 401]);
    // Next endpoints say why in `error`, the classic one in `message`.
    const reasons = invalid.map((a) => a.json as { error?: string; message?: string }).map((j) => j.error ?? j.message);
    expect(reasons).toEqual([
      'Write key is required (X-Write-Key header)',
      'Invalid write key: wrong-id:wrong-secret',
      'Content-Type must be application/json, got text/plain',
      expect.stringMatching(/^Invalid gzip body: /),
      expect.stringMatching(/^Invalid JSON body: /),
      'Payload should contain a `batch` array',
      'Batch of 3 events exceeds the limit of 2 events',
      'Event type "identify" does not match the endpoint type "track"',
      'Invalid token: wrong-token',
    ]);
    expect(failed.status).toBe(503);
    expect(reset.code).toBe('ECONNRESET');
    expect(fine.status).toBe(200);
    expect([...server.acceptedIds()]).toEqual(['v-3']);
    expect(server.requests.map((r) => r.outcome)).toEqual([...invalid.map(() => 'answered'), 'answered', 'reset', 'answered']);
  });

  it('refuses nonsense scripting with a clear error', () => {
    expect(() => server.failNext(1, { status: 42 })).toThrow(/failNext: status must be an integer HTTP status/);
    expect(() => server.resetNext(-1)).toThrow(/resetNext: count must be a non-negative integer/);
    expect(() => server.setDelay(Number.NaN)).toThrow(/setDelay/);
    expect(() => server.setMaxBatchEvents(1.5)).toThrow(/setMaxBatchEvents/);
  });

  it('resetNext destroys the socket after reading the body; scripted answers come in the order scripted', async () => {
    server.failNext(1, { status: 500 }).resetNext(1);

    const failed = await postBatch(['r-1']);
    const error = await failureOf(postBatch(['r-2']));
    const fine = await postBatch(['r-3']);

    expect(failed.status).toBe(500);
    expect(error.code).toBe('ECONNRESET');
    expect(fine.status).toBe(200);
    expect([...server.acceptedIds()]).toEqual(['r-3']);
    expect(server.requests.map((r) => r.outcome)).toEqual(['answered', 'reset', 'answered']);
    expect(server.requests[1]).toMatchObject({ status: 0, eventCount: 1 });
  });

  it('rejectMessageIds refuses exactly those events and accepts the rest of their batch', async () => {
    server.rejectMessageIds(['p-2']).rejectMessageIds(new Set(['p-4']));

    const answer = await postBatch(['p-1', 'p-2', 'p-3', 'p-4']);

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      ok: false,
      receivedEvents: 4,
      okEvents: 2,
      errors: [
        'Message ID: p-2: event error: rejected by the test script',
        'Message ID: p-4: event error: rejected by the test script',
      ],
    });
    expect([...server.acceptedIds()]).toEqual(['p-1', 'p-3']);
  });

  it('setMaxBatchEvents answers 413 to larger batches and records nothing from them', async () => {
    server.setMaxBatchEvents(2);

    const tooBig = await postBatch(['m-1', 'm-2', 'm-3']);
    const fits = await postBatch(['m-4', 'm-5']);
    const classic = await send(agent, `${server.url}/api/v1/s2s/event?token=${server.classicToken}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ messageId: 'c-1' }, { messageId: 'c-2' }, { messageId: 'c-3' }]),
    });
    server.setMaxBatchEvents(undefined);
    const lifted = await postBatch(['m-6', 'm-7', 'm-8']);

    expect([tooBig.status, fits.status, classic.status, lifted.status]).toEqual([413, 200, 413, 200]);
    expect(tooBig.json).toMatchObject({ ok: false, error: expect.stringContaining('3 events') });
    expect([...server.acceptedIds()]).toEqual(['m-4', 'm-5', 'm-6', 'm-7', 'm-8']);
  });

  it('setDelay holds every answer back and records the events only when answering', async () => {
    server.setDelay(150);
    const started = Date.now();
    const pending = postBatch(['slow-1']);

    await until(() => server.delayedAnswers === 1, 'the request to be held');
    expect(server.count()).toBe(0);
    expect(server.requests).toHaveLength(0);
    const answer = await pending;

    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    expect([...server.acceptedIds()]).toEqual(['slow-1']);
    expect(server.delayedAnswers).toBe(0);
  });

  it('does not record, after reset(), a delayed request that arrived before it', async () => {
    server.setDelay(100);
    const pending = postBatch(['before-reset']);
    await until(() => server.delayedAnswers === 1, 'the request to be held');
    server.reset();

    expect((await pending).status).toBe(200);
    expect(server.count()).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it('stall keeps requests unanswered, unstall answers only new ones, stop() ends the stalled ones', async () => {
    server.stall();
    let stalledSettled = false;
    const stalled = failureOf(postBatch(['st-1'])).finally(() => {
      stalledSettled = true;
    });
    await server.waitForRequests(1);
    expect(server.requests[0]).toMatchObject({ outcome: 'stalled', status: 0, eventCount: 1 });

    server.unstall();
    const fresh = await postBatch(['st-2']);
    expect(fresh.status).toBe(200);
    expect(stalledSettled).toBe(false);

    const waiting = expect(server.waitForCount(5)).rejects.toThrow(/stopped/);
    await server.stop();
    await server.stop();
    expect((await stalled).code).toBe('UND_ERR_SOCKET');
    await waiting;
    expect([...server.acceptedIds()]).toEqual(['st-2']);
  });

  it('goDown refuses connections and comeBack listens on the same port again', async () => {
    const port = server.port;
    expect((await postBatch(['up-1'])).status).toBe(200);

    await server.goDown();
    expect(server.isDown).toBe(true);
    expect((await failureOf(postBatch(['down-1']))).code).toBe('ECONNREFUSED');

    await server.comeBack();
    expect(server.isDown).toBe(false);
    expect(server.port).toBe(port);
    expect((await postBatch(['up-2'])).status).toBe(200);
    expect([...server.acceptedIds()]).toEqual(['up-1', 'up-2']);
  });

  it('comeBack waits for its port while another listener still holds it', async () => {
    const port = server.port;
    await server.goDown();
    const squatter = createNetServer();
    await new Promise<void>((resolve) => squatter.listen({ port, host: '127.0.0.1' }, resolve));
    setTimeout(() => squatter.close(), 200);

    await server.comeBack();

    expect(server.port).toBe(port);
    expect((await postBatch(['back'])).status).toBe(200);
  });
});

describe('FakeJitsuServer: body read timeout', () => {
  it('drops a connection whose body is not complete within bodyTimeoutMs', async () => {
    const server = await FakeJitsuServer.start({ bodyTimeoutMs: 100 });
    try {
      const socket = connect({ port: server.port, host: '127.0.0.1' });
      const started = Date.now();
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => undefined);
      socket.write(
        'POST /api/s/s2s/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          `X-Write-Key: ${server.writeKey}\r\nContent-Length: 100\r\n\r\n{"batch":[`,
      );
      await closed;

      expect(Date.now() - started).toBeGreaterThanOrEqual(95);
      expect(server.requests).toEqual([expect.objectContaining({ outcome: 'body-timeout', status: 0, bytes: 10 })]);
      expect(server.count()).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
