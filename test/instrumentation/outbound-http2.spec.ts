import { EventEmitter } from 'node:events';
import { channel } from 'node:diagnostics_channel';
import { fileURLToPath } from 'node:url';
import http2, { type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { Agent, fetch as undiciFetch, request as undiciRequest } from 'undici';
import { MARKER_HEADER, MARKER_VALUE } from '../../lib/transports/jitsu/request-marker.js';
import { h2Get, nodePublishesHttp2 } from '../support/http2-channels.js';
import { localhostTls } from '../support/localhost-tls.js';
import { calls, errorsOf, outboundTracking } from './outbound-tracking.js';

const SLOW_MS = 60;
const { running, tracked } = outboundTracking();

/**
 * A client stream as Node hands it to the `http2.client.stream.*` channels: the headers it sends,
 * pseudo-headers filled in, are its `sentHeaders` (the message's own are those the caller gave,
 * on the first releases that publish it), its events come after the messages. Node publishes
 * these channels from 22.17 and 24.2 only, so the reading of them is held here on every Node; the
 * real clients below run where Node publishes them.
 */
class PublishedStream extends EventEmitter {
  rstCode?: number;
  constructor(readonly sentHeaders: Record<string, unknown> | undefined) {
    super();
  }
}

function created(headers: Record<string, unknown>): PublishedStream {
  const stream = new PublishedStream({ ':method': 'GET', ':scheme': 'https', ...headers });
  channel('http2.client.stream.created').publish({ stream, headers: { ':path': headers[':path'] } });
  return stream;
}
const respond = (stream: PublishedStream, headers: Record<string, unknown>) => channel('http2.client.stream.finish').publish({ stream, headers, flags: 4 });
const grpcRequest = { ':method': 'POST', ':authority': 'orders.internal:50051', ':path': '/orders.OrdersService/FindOne', 'content-type': 'application/grpc' };

describe('outbound HTTP/2 tracking, as Node publishes it', () => {
  it('records a response: service from the authority, endpoint without query, status, success', async () => {
    const wa = tracked({ 'api.example.com': 'example' });
    const ok = created({ ':authority': 'api.example.com', ':path': '/v1/items?token=secret-9' });
    respond(ok, { ':status': 200 });
    const missing = created({ ':authority': '[::1]:8443', ':path': '/v1/nothing' });
    respond(missing, { ':status': 404 });
    ok.emit('close');
    missing.emit('close');
    const events = await calls(wa);
    expect(events.map((e) => e.properties)).toEqual([
      expect.objectContaining({ service: 'example', endpoint: '/v1/items', http_method: 'GET', status_code: 200, success: true }),
      expect.objectContaining({ service: '::1', endpoint: '/v1/nothing', status_code: 404, success: false }),
    ]);
    expect(await wa.payload()).not.toContain('secret-9');
    expect(await errorsOf(wa)).toEqual([]);
  });

  it('records a gRPC call by its status: in the headers when it ends at once, else in the trailers', async () => {
    const wa = tracked({ 'orders.internal:50051': 'orders' });
    const refused = created(grpcRequest);
    respond(refused, { ':status': 200, 'content-type': 'application/grpc+proto', 'grpc-status': '5', 'grpc-message': 'order 7 of jane@example.com' });
    const answered = created(grpcRequest);
    respond(answered, { ':status': 200, 'content-type': 'application/grpc+proto' });
    expect(await calls(wa)).toEqual([expect.objectContaining({ properties: expect.objectContaining({ status_code: 404 }) })]);
    answered.emit('trailers', { 'grpc-status': '0' });
    const failing = created(grpcRequest);
    respond(failing, { ':status': 200, 'content-type': 'application/grpc' });
    failing.emit('trailers', { 'grpc-status': '14', 'grpc-message': 'backend down' });
    const events = await calls(wa);
    expect(events.map((e) => e.properties)).toEqual([
      expect.objectContaining({ service: 'orders', endpoint: '/orders.OrdersService/FindOne', http_method: 'POST', status_code: 404, success: false, error_code: 'NOT_FOUND' }),
      expect.objectContaining({ status_code: 200, success: true }),
      expect.objectContaining({ status_code: 503, success: false, error_code: 'UNAVAILABLE' }),
    ]);
    expect(events[1].properties).not.toHaveProperty('error_code');
    // An answer is the caller's to judge, as for HTTP/1; and what the server says stays with it.
    expect(await errorsOf(wa)).toEqual([]);
    expect(await wa.payload()).not.toContain('jane@example.com');
  });

  it('records a stream that ends without an answer as failed, with the cause Node gives, and a Backend Error', async () => {
    const wa = tracked();
    const refused = created({ ':authority': 'localhost:1', ':path': '/ping' });
    const connectError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    channel('http2.client.stream.error').publish({ stream: refused, error: Object.assign(new Error('canceled'), { code: 'ERR_HTTP2_STREAM_CANCEL', cause: connectError }) });
    refused.emit('close');
    const reset = created({ ...grpcRequest, ':authority': 'localhost:2' });
    respond(reset, { ':status': 200, 'content-type': 'application/grpc' });
    reset.rstCode = 2;
    channel('http2.client.stream.error').publish({ stream: reset, error: Object.assign(new Error('Stream closed with error code NGHTTP2_INTERNAL_ERROR'), { code: 'ERR_HTTP2_STREAM_ERROR' }) });
    reset.emit('close');
    const cancelled = created({ ':authority': 'localhost:3', ':path': '/slow' });
    cancelled.rstCode = 8;
    cancelled.emit('close');
    expect((await calls(wa)).map((e) => [e.properties.service, e.properties.success, e.properties.error_code, e.properties.status_code])).toEqual([
      ['localhost', false, 'ECONNREFUSED', undefined],
      ['localhost', false, 'NGHTTP2_INTERNAL_ERROR', undefined],
      ['localhost', false, 'NGHTTP2_CANCEL', undefined],
    ]);
    expect((await errorsOf(wa)).map((e) => [e.properties.error_source, e.properties.error_code])).toEqual([
      ['external_api', 'ECONNREFUSED'],
      ['external_api', 'NGHTTP2_INTERNAL_ERROR'],
      ['external_api', 'NGHTTP2_CANCEL'],
    ]);
  });

  it("records each call once, and leaves out a server's push and the Jitsu transport's own requests", async () => {
    const wa = tracked();
    const once = created({ ':authority': 'api.example.com', ':path': '/once' });
    respond(once, { ':status': 200 });
    respond(once, { ':status': 200 });
    once.emit('close');
    const pushed = new PublishedStream(undefined);
    channel('http2.client.stream.created').publish({ stream: pushed, headers: { ':path': '/pushed.css', ':authority': 'api.example.com' } });
    respond(pushed, { ':status': 200 });
    const own = created({ ':authority': 'jitsu.example.com', ':path': '/api/s/s2s/batch', [MARKER_HEADER]: MARKER_VALUE });
    respond(own, { ':status': 200 });
    expect((await calls(wa)).map((e) => e.properties.endpoint)).toEqual(['/once']);
  });

  it('leaves out the calls outboundHttp.ignore names, answered or not', async () => {
    const wa = running({ outboundHttp: { enabled: true, ignore: ['collector.internal:4318/v1/*', '*.orders.internal'] } });
    const exported = created({ ':authority': 'collector.internal:4318', ':path': '/v1/traces' });
    respond(exported, { ':status': 200 });
    exported.emit('close');
    const failed = created({ ...grpcRequest, ':authority': 'eu.orders.internal:50051' });
    failed.rstCode = 8;
    failed.emit('close');
    const kept = created({ ':authority': 'collector.internal:4318', ':path': '/health' });
    respond(kept, { ':status': 200 });
    expect((await calls(wa)).map((e) => e.properties.endpoint)).toEqual(['/health']);
    expect(await errorsOf(wa)).toEqual([]);
  });

  it('attributes a call to the request being served when its stream was created', async () => {
    const wa = tracked();
    const stream = wa.analytics.core.requestContext.run({ requestId: 'req-h2-1', userId: 'u-2' }, () => created({ ':authority': 'a.example.com', ':path': '/x' }));
    respond(stream, { ':status': 204 });
    const [event] = await calls(wa);
    expect(event.properties.request_id).toBe('req-h2-1');
    expect(event.userId).toBe('u-2');
  });

  it('survives unreadable channel messages without throwing into the publisher', async () => {
    tracked();
    const boom = () => {
      throw new Error('unreadable');
    };
    const hostile = { get sentHeaders() { return boom(); }, once: boom };
    expect(() => channel('http2.client.stream.created').publish({ stream: hostile, headers: {} })).not.toThrow();
    expect(() => channel('http2.client.stream.created').publish({ stream: new PublishedStream({ get ':authority'() { return boom(); } }), headers: {} })).not.toThrow();
    expect(() => channel('http2.client.stream.finish').publish({ stream: hostile, get headers() { return boom(); } })).not.toThrow();
    expect(() => channel('http2.client.stream.error').publish(null)).not.toThrow();
  });
});

const onNodeThatPublishes = (await nodePublishesHttp2()) ? describe : describe.skip;

onNodeThatPublishes('outbound HTTP/2 tracking with real clients', () => {
  let server: Http2Server;
  let port: number;
  beforeAll(async () => {
    server = http2.createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      setTimeout(() => res.writeHead(path === '/missing' ? 404 : 200).end('ok'), path === '/slow' ? SLOW_MS : 0);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('records node:http2 requests: status, duration to the response, and a refused connection', async () => {
    const wa = tracked();
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const statuses = [await h2Get(session, '/slow?key=k-123'), await h2Get(session, '/missing')];
    session.close();
    const refused = http2.connect('http://127.0.0.1:1');
    refused.on('error', () => undefined);
    const failure = await h2Get(refused, '/ping').catch((error: Error) => error);
    expect([statuses, failure]).toEqual([[200, 404], expect.objectContaining({ code: 'ERR_HTTP2_STREAM_CANCEL' })]);
    const events = await calls(wa);
    expect(events.map((e) => [e.properties.endpoint, e.properties.status_code, e.properties.success, e.properties.error_code])).toEqual([
      ['/slow', 200, true, undefined],
      ['/missing', 404, false, undefined],
      ['/ping', undefined, false, 'ECONNREFUSED'],
    ]);
    expect(events[0].properties.duration_ms).toBeGreaterThanOrEqual(SLOW_MS - 5);
    expect(await errorsOf(wa)).toEqual([expect.objectContaining({ properties: expect.objectContaining({ error_source: 'external_api', error_code: 'ECONNREFUSED' }) })]);
  });

  it('records a request undici sends over HTTP/2 (allowH2) once, as its own', async () => {
    const tls = localhostTls();
    const secure = http2.createSecureServer({ ...tls, allowHTTP1: true }, (_req, res) => res.writeHead(201).end('ok'));
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    const agent = new Agent({ allowH2: true, connect: { ca: tls.cert } });
    try {
      const wa = tracked();
      const url = `https://localhost:${(secure.address() as AddressInfo).port}`;
      const first = await undiciRequest(`${url}/v1/first?key=k-1`, { dispatcher: agent });
      await first.body.text();
      const second = await undiciFetch(`${url}/v1/second`, { dispatcher: agent });
      await second.text();
      const plain = http2.connect(url, { ca: tls.cert });
      const third = await h2Get(plain, '/v1/third');
      plain.close();
      expect([first.statusCode, second.status, third]).toEqual([201, 201, 201]);
      expect((await calls(wa)).map((e) => [e.properties.endpoint, e.properties.status_code])).toEqual([
        ['/v1/first', 201],
        ['/v1/second', 201],
        ['/v1/third', 201],
      ]);
    } finally {
      await agent.close();
      await new Promise((resolve) => secure.close(resolve));
    }
  });

  describe('gRPC clients (@grpc/grpc-js, which Nest’s ClientGrpc uses)', () => {
    let grpcServer: grpc.Server;
    let client: grpc.Client & Record<string, (...args: unknown[]) => unknown>;
    beforeAll(async () => {
      const definition = protoLoader.loadSync(fileURLToPath(new URL('../e2e/transports/fixture/orders.proto', import.meta.url)));
      const Orders = (grpc.loadPackageDefinition(definition).orders as grpc.GrpcObject).OrdersService as grpc.ServiceClientConstructor;
      grpcServer = new grpc.Server();
      grpcServer.addService(Orders.service, {
        FindOne: ({ request }: { request: { id: number } }, answer: grpc.sendUnaryData<object>) =>
          request.id === 404 ? answer({ code: grpc.status.NOT_FOUND, details: 'no order 404' }) : setTimeout(() => answer(null, { id: request.id, status: 'paid' }), SLOW_MS),
        Watch: (call: grpc.ServerWritableStream<object, object>) => {
          call.write({ id: 1, status: 'paid' });
          setTimeout(() => call.emit('error', { code: grpc.status.INTERNAL, details: 'broke' }), SLOW_MS);
        },
      });
      const grpcPort = await new Promise<number>((resolve, reject) =>
        grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
      );
      client = new Orders(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure()) as never;
    });
    afterAll(() => {
      client.close();
      grpcServer.forceShutdown();
    });

    const findOne = (id: number) =>
      new Promise<grpc.ServiceError | null>((resolve) => client.FindOne({ id }, (error: grpc.ServiceError | null) => resolve(error)));

    it('records unary calls until their status, the gRPC status as HTTP, in the request that made them', async () => {
      const wa = tracked({ [`127.0.0.1`]: 'orders' });
      const outcomes = await wa.analytics.core.requestContext.run({ requestId: 'req-grpc-out' }, async () => [await findOne(7), await findOne(404)]);
      expect(outcomes.map((error) => error?.code ?? 0)).toEqual([0, grpc.status.NOT_FOUND]);
      const events = await calls(wa);
      expect(events.map((e) => e.properties)).toEqual([
        expect.objectContaining({ service: 'orders', endpoint: '/orders.OrdersService/FindOne', http_method: 'POST', status_code: 200, success: true, request_id: 'req-grpc-out' }),
        expect.objectContaining({ status_code: 404, success: false, error_code: 'NOT_FOUND', request_id: 'req-grpc-out' }),
      ]);
      expect(events[0].properties.duration_ms).toBeGreaterThanOrEqual(SLOW_MS - 5);
      expect(await wa.payload()).not.toContain('no order 404');
    });

    it('records a server stream once, until it ends with its status', async () => {
      const wa = tracked();
      const code = await new Promise<number>((resolve) => {
        const stream = client.Watch({ id: 1 }) as grpc.ClientReadableStream<object>;
        stream.on('data', () => undefined);
        stream.on('error', (error: grpc.ServiceError) => resolve(error.code));
      });
      expect(code).toBe(grpc.status.INTERNAL);
      const events = await calls(wa);
      expect(events.map((e) => [e.properties.endpoint, e.properties.status_code, e.properties.error_code])).toEqual([
        ['/orders.OrdersService/Watch', 500, 'INTERNAL'],
      ]);
      expect(events[0].properties.duration_ms).toBeGreaterThanOrEqual(SLOW_MS - 5);
    });
  });
});
