import { gzipSync } from 'node:zlib';
import { Agent, Client } from 'undici';
import { FakeJitsuServer } from './fake-jitsu-server.js';
import { batchBody, jsonHeaders, send, trackEvent } from './http-test-client.js';

describe('FakeJitsuServer: the Jitsu ingest protocol and what it records', () => {
  let server: FakeJitsuServer;
  let agent: Agent;
  const batchUrl = (): string => `${server.url}/api/s/s2s/batch`;
  const postBatch = (body: string | Buffer, headers = jsonHeaders(server.writeKey)) =>
    send(agent, batchUrl(), { headers, body });

  beforeAll(async () => {
    server = await FakeJitsuServer.start();
    agent = new Agent();
  });
  afterEach(() => server.reset());
  afterAll(async () => {
    await agent.destroy();
    await server.stop();
  });

  it('accepts a valid batch, records its events and logs the request with credentials redacted', async () => {
    const body = batchBody([trackEvent('m-1'), trackEvent('m-2', { JITSU_TABLE_NAME: 'payment_events' })]);
    const answer = await postBatch(body);

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ ok: true, receivedEvents: 2, okEvents: 2 });
    expect(server.events().map((e) => e.messageId)).toEqual(['m-1', 'm-2']);
    expect([...server.acceptedIds()]).toEqual(['m-1', 'm-2']);
    expect(server.eventsFor('payment_events').map((e) => e.messageId)).toEqual(['m-2']);
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const [request] = server.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/api/s/s2s/batch',
      status: 200,
      outcome: 'answered',
      gzip: false,
      bytes: Buffer.byteLength(body),
      eventCount: 2,
    });
    expect(request.headers['x-write-key']).toBe('[redacted]');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.stringify(server.requests)).not.toContain(server.writeKey);
  });

  it('answers 401 echoing the raw key it got, as the real server does, and records nothing', async () => {
    const wrong = await postBatch(batchBody([trackEvent('a')]), jsonHeaders('leaky-key:super-secret'));
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ ok: false, error: 'Invalid write key: leaky-key:super-secret' });

    const missing = await postBatch(batchBody([trackEvent('a')]), { 'content-type': 'application/json' });
    expect(missing.status).toBe(401);
    expect(server.count()).toBe(0);
    expect(server.requests.map((r) => r.status)).toEqual([401, 401]);
  });

  it('requires Content-Type application/json, parameters allowed', async () => {
    const plain = await postBatch(batchBody([trackEvent('a')]), jsonHeaders(server.writeKey, { 'content-type': 'text/plain' }));
    expect(plain.status).toBe(400);
    expect(plain.json).toMatchObject({ ok: false, error: expect.stringContaining('Content-Type') });

    const charset = await postBatch(
      batchBody([trackEvent('b')]),
      jsonHeaders(server.writeKey, { 'content-type': 'Application/JSON; charset=utf-8' }),
    );
    expect(charset.status).toBe(200);
    expect([...server.acceptedIds()]).toEqual(['b']);
  });

  it('decodes a gzip batch and logs its compressed size', async () => {
    const compressed = gzipSync(batchBody([trackEvent('g-1'), trackEvent('g-2')]));
    const answer = await postBatch(compressed, jsonHeaders(server.writeKey, { 'content-encoding': 'gzip' }));

    expect(answer.json).toEqual({ ok: true, receivedEvents: 2, okEvents: 2 });
    expect([...server.acceptedIds()]).toEqual(['g-1', 'g-2']);
    expect(server.requests[0]).toMatchObject({ gzip: true, bytes: compressed.length, eventCount: 2 });
  });

  it('refuses gzip on single-event endpoints, unknown encodings and corrupt gzip with 400', async () => {
    const gzipHeaders = jsonHeaders(server.writeKey, { 'content-encoding': 'gzip' });
    const single = await send(agent, `${server.url}/api/s/s2s/track`, {
      headers: gzipHeaders,
      body: gzipSync(JSON.stringify(trackEvent('s'))),
    });
    const brotli = await postBatch(batchBody([trackEvent('x')]), jsonHeaders(server.writeKey, { 'content-encoding': 'br' }));
    const corrupt = await postBatch(Buffer.from('definitely not gzip'), gzipHeaders);

    expect([single.status, brotli.status, corrupt.status]).toEqual([400, 400, 400]);
    expect(single.json).toMatchObject({ ok: false, error: expect.stringContaining('gzip') });
    expect(server.count()).toBe(0);
  });

  it('answers 400 with an error for bad JSON and malformed envelopes', async () => {
    for (const body of ['{"batch": [', '[1,2]', '{"events": []}', '{"batch": [], "context": "x"}']) {
      const answer = await postBatch(body);
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ ok: false, error: expect.any(String) });
    }
    expect(server.count()).toBe(0);
  });

  it('rejects invalid events one by one and accepts the rest of the batch', async () => {
    const events = [
      trackEvent('ok-1'),
      trackEvent('long-name', { event: 'x'.repeat(129) }),
      trackEvent('max-name', { event: 'y'.repeat(128) }),
      trackEvent('huge', { properties: { blob: 'z'.repeat(1_000_000) } }),
      { ...trackEvent('unused'), messageId: undefined },
      trackEvent('no-type', { type: undefined }),
    ];
    const answer = await postBatch(batchBody(events));

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      ok: false,
      receivedEvents: 6,
      okEvents: 2,
      errors: [
        'Message ID: long-name: event error: event name is 129 characters, the limit is 128',
        expect.stringMatching(/^Message ID: huge: event error: event is \d+ bytes, the limit is 1000000 bytes$/),
        expect.stringMatching(/^Message ID: \[missing\]: event error: messageId is required/),
        expect.stringMatching(/^Message ID: no-type: event error: type is required/),
      ],
    });
    expect([...server.acceptedIds()]).toEqual(['ok-1', 'max-name']);
  });

  it('accepts one event on /api/s/s2s/{type}, filling the type from the path', async () => {
    const { type: _omitted, ...untyped } = trackEvent('single-1');
    const answer = await send(agent, `${server.url}/api/s/s2s/track`, {
      headers: jsonHeaders(server.writeKey),
      body: JSON.stringify(untyped),
    });
    const mismatch = await send(agent, `${server.url}/api/s/s2s/identify`, {
      headers: jsonHeaders(server.writeKey),
      body: JSON.stringify(trackEvent('single-2')),
    });

    expect(answer).toMatchObject({ status: 200, json: { ok: true } });
    expect(server.events()).toEqual([expect.objectContaining({ type: 'track', messageId: 'single-1' })]);
    expect(mismatch.status).toBe(400);
    expect(server.requests.map((r) => r.eventCount)).toEqual([1, 1]);
  });

  it('answers 404 for unknown paths and 405 for a wrong method', async () => {
    const unknown = await send(agent, `${server.url}/api/s/s2s/nope`, { headers: jsonHeaders(server.writeKey), body: '{}' });
    const browser = await send(agent, `${server.url}/api/s/batch`, { headers: jsonHeaders(server.writeKey), body: '{}' });
    const get = await send(agent, batchUrl(), { method: 'GET' });

    expect([unknown.status, browser.status, get.status]).toEqual([404, 404, 405]);
    expect(get.headers.allow).toBe('POST');
  });

  it('accepts Jitsu Classic events with the token in the query or the X-Auth-Token header', async () => {
    const classicUrl = `${server.url}/api/v1/s2s/event`;
    const json = { 'content-type': 'application/json' };
    const viaQuery = await send(agent, `${classicUrl}?token=${server.classicToken}`, {
      headers: json,
      body: JSON.stringify([{ messageId: 'c-1', __JITSU_TABLE_NAME: 'auth_events' }, { eventn_ctx_event_id: 'c-2' }]),
    });
    const viaHeader = await send(agent, classicUrl, {
      headers: { ...json, 'x-auth-token': server.classicToken },
      body: JSON.stringify({ messageId: 'c-3' }),
    });
    const wrong = await send(agent, `${classicUrl}?token=nope`, { headers: json, body: '[]' });

    expect(viaQuery).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(viaHeader).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(wrong).toMatchObject({ status: 401, json: { status: 'error', message: expect.any(String) } });
    expect([...server.acceptedIds()]).toEqual(['c-1', 'c-2', 'c-3']);
    expect(server.eventsFor('auth_events').map((e) => e.messageId)).toEqual(['c-1']);
    expect(server.requests[0].path).toBe('/api/v1/s2s/event');
    expect(server.requests[1].headers['x-auth-token']).toBe('[redacted]');
  });

  it('does not deduplicate: counts every accepted copy and the duplicates', async () => {
    await postBatch(batchBody([trackEvent('d-1'), trackEvent('d-2')]));
    await postBatch(batchBody([trackEvent('d-1')]));

    expect(server.count()).toBe(3);
    expect(server.acceptedIds().size).toBe(2);
    expect(server.duplicates()).toBe(1);
    expect(server.events().map((e) => e.messageId)).toEqual(['d-1', 'd-2', 'd-1']);
  });

  it('merges the batch context under each event context, the event winning', async () => {
    const shared = { library: { name: 'shared-lib', version: '1' }, ip: '10.0.0.1', locale: 'en' };
    await postBatch(batchBody([trackEvent('ctx-1', { context: { ip: '192.0.2.7' } }), trackEvent('ctx-2', { context: undefined })], shared));

    const [first, second] = server.events();
    expect(first.context).toEqual({ library: { name: 'shared-lib', version: '1' }, ip: '192.0.2.7', locale: 'en' });
    expect(second.context).toEqual(shared);
  });

  it('waitForCount resolves when enough distinct ids arrive and times out with the current count', async () => {
    const waiting = server.waitForCount(2, 5_000);
    await postBatch(batchBody([trackEvent('w-1'), trackEvent('w-1')]));
    await postBatch(batchBody([trackEvent('w-2')]));
    await expect(waiting).resolves.toBeUndefined();

    await expect(server.waitForCount(5, 30)).rejects.toThrow(
      /waitForCount\(5\) timed out after 30 ms: 2 distinct messageIds accepted \(3 events/,
    );
  });

  it('keeps connections alive between requests', async () => {
    // One undici Client is one socket: had the server closed it, the Client would have reconnected.
    const client = new Client(server.url);
    const before = server.connectionsOpened;
    try {
      for (const id of ['k-1', 'k-2', 'k-3']) {
        await send(client, batchUrl(), { headers: jsonHeaders(server.writeKey), body: batchBody([trackEvent(id)]) });
      }
    } finally {
      await client.destroy();
    }
    expect(server.connectionsOpened - before).toBe(1);
    expect(server.count()).toBe(3);
  });

  it('reset() clears recordings and scripted behaviour', async () => {
    await postBatch(batchBody([trackEvent('r-1')]));
    server.failNext(1, { status: 500 }).rejectMessageIds(['r-2']).setMaxBatchEvents(0);
    server.reset();

    const answer = await postBatch(batchBody([trackEvent('r-2')]));
    expect(answer.json).toEqual({ ok: true, receivedEvents: 1, okEvents: 1 });
    expect(server.events().map((e) => e.messageId)).toEqual(['r-2']);
    expect(server.requests).toHaveLength(1);
    expect(server.duplicates()).toBe(0);
  });
});
