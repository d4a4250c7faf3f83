import { Agent, request } from 'undici';
import { FakeJitsuServer } from './fake-jitsu-server.js';
import { batchBody, failureOf, jsonHeaders, send, trackEvent } from './http-test-client.js';

/** The 200s that reach the client's headers but not whole: cut off, crawling, or hanging. */
describe('FakeJitsuServer: broken 200 answers', () => {
  const OK_BODY = JSON.stringify({ ok: true, receivedEvents: 1, okEvents: 1 });
  let server: FakeJitsuServer;
  let agent: Agent;
  /** Headers first, body separately: these answers break between the two. */
  const openBatch = (id: string, dispatcher = agent) =>
    request(`${server.url}/api/s/s2s/batch`, {
      dispatcher,
      method: 'POST',
      headers: jsonHeaders(server.writeKey),
      body: batchBody([trackEvent(id)]),
    });

  beforeEach(async () => {
    server = await FakeJitsuServer.start();
    agent = new Agent();
  });
  afterEach(async () => {
    await agent.destroy();
    await server.stop();
  });

  it.each([
    ['content-length', 'UND_ERR_SOCKET'],
    ['chunked', 'UND_ERR_SOCKET'],
  ] as const)('cutBodyNext(%s): a 200 whose body stops halfway, which the client sees fail (%s)', async (framing, code) => {
    server.cutBodyNext(1, framing);

    const cut = await openBatch('cut-1');
    expect(cut.statusCode).toBe(200);
    expect((await failureOf(cut.body.text())).code).toBe(code);
    const next = await openBatch('cut-2');

    expect(await next.body.json()).toEqual({ ok: true, receivedEvents: 1, okEvents: 1 });
    expect([...server.acceptedIds()]).toEqual(['cut-2']);
    expect(server.requests.map((r) => [r.outcome, r.status, r.eventCount])).toEqual([
      ['cut-body', 200, 1],
      ['answered', 200, 1],
    ]);
  });

  it('cutBodyNext(close-delimited): the half arrives as a complete body, as HTTP allows', async () => {
    server.cutBodyNext(1, 'close-delimited');

    const cut = await openBatch('cd-1');

    expect(cut.statusCode).toBe(200);
    expect(cut.headers['content-length']).toBeUndefined();
    expect(cut.headers['transfer-encoding']).toBeUndefined();
    expect(await cut.body.text()).toBe(OK_BODY.slice(0, Math.floor(OK_BODY.length / 2)));
    expect(server.count()).toBe(0);
  });

  it('a broken answer goes to valid requests only: an invalid one gets its real 4xx first', async () => {
    server.cutBodyNext(1);
    const url = `${server.url}/api/s/s2s/batch`;

    const denied = await send(agent, url, { headers: jsonHeaders('wrong-id:wrong-secret'), body: batchBody([trackEvent('x')]) });
    const cut = await openBatch('valid-1');

    expect(denied.status).toBe(401);
    expect(cut.statusCode).toBe(200);
    await failureOf(cut.body.text());
    expect(server.requests.map((r) => r.outcome)).toEqual(['answered', 'cut-body']);
  });

  it('trickleNext: the whole answer, one byte at a time, recorded once its last byte is out', async () => {
    server.trickleNext(1, 5);

    const slow = await openBatch('tr-1');
    expect(slow.statusCode).toBe(200);
    const chunks: Buffer[] = [];
    const recordedAtChunk: number[] = [];
    for await (const chunk of slow.body) {
      chunks.push(chunk as Buffer);
      recordedAtChunk.push(server.count());
    }

    // Byte by byte on the wire; the client may still coalesce a few when it reads late.
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).toString()).toBe(OK_BODY);
    // Not recorded while the answer is on its way, recorded by the time its last byte is read.
    expect(recordedAtChunk[0]).toBe(0);
    expect([...server.acceptedIds()]).toEqual(['tr-1']);
    expect(server.requests.map((r) => [r.outcome, r.status])).toEqual([['trickle', 200]]);
  });

  it('trickleNext: a client that gives up mid-body gets nothing recorded; the next request is answered as usual', async () => {
    server.trickleNext(1, 20);

    const slow = await openBatch('tr-gone');
    await slow.body[Symbol.asyncIterator]().next();
    slow.body.destroy();
    const fine = await send(agent, `${server.url}/api/s/s2s/batch`, {
      headers: jsonHeaders(server.writeKey),
      body: batchBody([trackEvent('after')]),
    });

    expect(fine.status).toBe(200);
    expect([...server.acceptedIds()]).toEqual(['after']);
    expect(server.requests.map((r) => r.outcome)).toEqual(['trickle', 'answered']);
  });

  it('hangAfterHeadersNext: headers, then no body byte at all until stop() ends the socket', async () => {
    server.hangAfterHeadersNext(1);
    const impatient = new Agent({ bodyTimeout: 200 });

    try {
      const hung = await openBatch('hang-1', impatient);
      expect(hung.statusCode).toBe(200);
      expect(hung.headers['content-length']).toBe(String(OK_BODY.length));
      // A body timeout counts idle time between bytes: it fires only if not one byte came.
      expect((await failureOf(hung.body.text())).code).toBe('UND_ERR_BODY_TIMEOUT');

      server.hangAfterHeadersNext(1);
      const stopped = await openBatch('hang-2');
      const ending = failureOf(stopped.body.text());
      await server.stop();
      expect((await ending).code).toBe('UND_ERR_SOCKET');
      expect(server.count()).toBe(0);
      expect(server.requests.map((r) => r.outcome)).toEqual(['hang-after-headers', 'hang-after-headers']);
    } finally {
      await impatient.destroy();
    }
  });

  it('refuses nonsense scripting with a clear error', () => {
    expect(() => server.cutBodyNext(1, 'gzip' as never)).toThrow(/cutBodyNext: framing must be one of/);
    expect(() => server.trickleNext(1, 0)).toThrow(/trickleNext: byteEveryMs must be a positive number/);
    expect(() => server.hangAfterHeadersNext(1.5)).toThrow(/hangAfterHeadersNext: count must be a non-negative integer/);
  });
});
