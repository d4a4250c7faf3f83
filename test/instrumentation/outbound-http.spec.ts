import { channel } from 'node:diagnostics_channel';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { fetch as undiciFetch, ProxyAgent, request as undiciRequest } from 'undici';
import { createAnalytics } from '../../lib/create-analytics.js';
import { OutboundHttpInstrumentation } from '../../lib/instrumentation/outbound-http.js';
import { FakeJitsuServer } from '../fake-jitsu/fake-jitsu-server.js';
import { forwardProxy } from '../support/forward-proxy.js';
import { freePort } from '../support/server-process.js';
import { calls, errorsOf, outboundTracking } from './outbound-tracking.js';

/** The third-party API the application calls: status from the path, optional delay. */
let api: http.Server;
let apiPort: number;
let closedPort: number;
let fake: FakeJitsuServer;
const SLOW_MS = 60;

beforeAll(async () => {
  api = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const status = Number(/\/status\/(\d{3})/.exec(path)?.[1] ?? 200);
    req.resume();
    if (path === '/moved') return void res.writeHead(302, { location: '/v1/charges' }).end();
    setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end('ok'), path.startsWith('/slow') ? SLOW_MS : 0);
  });
  // A WebSocket-style handshake: 101, then the socket is the app's.
  api.on('upgrade', (_req, socket: import('node:net').Socket) => {
    socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiPort = (api.address() as AddressInfo).port;
  closedPort = await freePort();
  fake = await FakeJitsuServer.start();
});
afterAll(async () => {
  await new Promise((resolve) => api.close(resolve));
  await fake.stop();
});

const { tracked, running } = outboundTracking();
const base = () => `http://127.0.0.1:${apiPort}`;

function httpGet(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('outbound HTTP tracking', () => {
  it('records a fetch call: service, endpoint without query, method, status, duration, success', async () => {
    const wa = tracked();
    const response = await fetch(`${base()}/slow/v1/charges?customer=cus_secret_42`);
    await response.text();
    const [event, ...others] = await calls(wa);
    expect(others).toEqual([]);
    expect(event.JITSU_TABLE_NAME).toBe('external_api_events');
    expect(event.properties).toMatchObject({
      event_action: 'external_api_call',
      service: '127.0.0.1',
      endpoint: '/slow/v1/charges',
      http_method: 'GET',
      status_code: 200,
      success: true,
    });
    expect(event.properties.duration_ms as number).toBeGreaterThanOrEqual(SLOW_MS - 5);
    expect(event.properties.duration_ms as number).toBeLessThan(5000);
    expect(JSON.stringify(event)).not.toContain('cus_secret_42');
  });

  it('records an undici request, with a 4xx answer as success: false and the service named from the host map', async () => {
    const wa = tracked({ [`127.0.0.1:${apiPort}`]: 'billing' });
    const { body } = await undiciRequest(`${base()}/status/404/invoices/7`, { method: 'POST', body: '{}' });
    await body.text();
    const events = await calls(wa);
    expect(events.map((e) => e.properties)).toEqual([
      expect.objectContaining({ service: 'billing', endpoint: '/status/404/invoices/7', http_method: 'POST', status_code: 404, success: false }),
    ]);
    // An answer, even a 4xx, is no error of the app's.
    expect(await errorsOf(wa)).toEqual([]);
  });

  it('records a node:http request', async () => {
    const wa = tracked({ '127.0.0.1': 'inventory' });
    expect(await httpGet(`${base()}/slow/status/201/items?page=2`)).toBe(201);
    const events = await calls(wa);
    expect(events).toHaveLength(1);
    expect(events[0].properties).toMatchObject({ service: 'inventory', endpoint: '/slow/status/201/items', http_method: 'GET', status_code: 201, success: true });
    expect(events[0].properties.duration_ms as number).toBeGreaterThanOrEqual(SLOW_MS - 5);
  });

  it("records axios calls (the client of @nestjs/axios's HttpService) as node:http requests, one per request", async () => {
    const wa = tracked({ '127.0.0.1': 'payments' });
    expect((await axios.get(`${base()}/v1/charges?customer=cus_secret_42`)).status).toBe(200);
    expect((await axios.post(`${base()}/status/402/v1/charges`, { amount: 5 }, { validateStatus: () => true })).status).toBe(402);
    // A redirect it follows is a second request.
    expect((await axios.get(`${base()}/moved`)).status).toBe(200);
    expect((await calls(wa)).map((e) => e.properties)).toEqual([
      expect.objectContaining({ service: 'payments', endpoint: '/v1/charges', http_method: 'GET', status_code: 200, success: true }),
      expect.objectContaining({ service: 'payments', endpoint: '/status/402/v1/charges', http_method: 'POST', status_code: 402, success: false }),
      expect.objectContaining({ endpoint: '/moved', http_method: 'GET', status_code: 302, success: true }),
      expect.objectContaining({ endpoint: '/v1/charges', http_method: 'GET', status_code: 200, success: true }),
    ]);
  });

  it.each([
    ['fetch', () => fetch(`http://127.0.0.1:${closedPort}/v1/x`)],
    ['undici', () => undiciRequest(`http://127.0.0.1:${closedPort}/v1/x`)],
    ['node:http', () => httpGet(`http://127.0.0.1:${closedPort}/v1/x`)],
  ])('records a refused %s connection as success: false with the error code', async (_client, call) => {
    const wa = tracked();
    await expect(call()).rejects.toBeDefined();
    const events = await calls(wa);
    expect(events.map((e) => e.properties)).toEqual([
      expect.objectContaining({ service: '127.0.0.1', endpoint: '/v1/x', success: false, error_code: 'ECONNREFUSED' }),
    ]);
    expect(events[0].properties.status_code).toBeUndefined();
    // The call threw in the app: one Backend Error too, as for a decorated method that throws.
    expect((await errorsOf(wa)).map((e) => e.properties)).toEqual([
      expect.objectContaining({
        error_source: 'external_api',
        error_name: 'ExternalApiError',
        error_message: 'GET 127.0.0.1/v1/x failed: ECONNREFUSED',
        error_code: 'ECONNREFUSED',
        service: '127.0.0.1',
        endpoint: '/v1/x',
      }),
    ]);
  });

  it('records an upgraded node:http request (a WebSocket handshake) as answered 101, with no Backend Error', async () => {
    const wa = tracked();
    await new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: apiPort, path: '/live?token=abc', headers: { Connection: 'Upgrade', Upgrade: 'websocket' } });
      req.on('upgrade', (_res, socket) => socket.destroy());
      req.on('close', () => resolve());
      req.on('error', reject);
      req.end();
    });
    expect((await calls(wa)).map((e) => e.properties)).toEqual([expect.objectContaining({ endpoint: '/live', status_code: 101, success: true })]);
    expect(await errorsOf(wa)).toEqual([]);
  });

  it('records a node:http request aborted before its response once, as failed', async () => {
    const wa = tracked();
    await new Promise<void>((resolve) => {
      const req = http.request(`${base()}/slow/abandoned`);
      req.on('error', () => undefined);
      req.on('close', () => resolve());
      req.end();
      setTimeout(() => req.destroy(), 10);
    });
    const events = await calls(wa);
    expect(events.map((e) => [e.properties.endpoint, e.properties.success, e.properties.status_code])).toEqual([['/slow/abandoned', false, undefined]]);
  });

  it.each([
    ['directly', false],
    ['through a proxy (its CONNECT included)', true],
  ])("never records the Jitsu transport's own requests, sent %s, but does record other calls to the same server", async (_how, viaProxy) => {
    fake.reset();
    const observer = tracked();
    const proxy = viaProxy ? await forwardProxy() : undefined;
    const jitsu = createAnalytics(
      { jitsuUrl: fake.url, writeKey: fake.writeKey, proxy: proxy?.url, batchSize: 1, batchTimeout: 10, outboundHttp: { enabled: true }, system: { enabled: false } },
      { logger: false },
    );
    try {
      jitsu.track('Order Placed', { items: 1 });
      await jitsu.flush();
      // Had the delivery been tracked, its External API Call would be delivered by this flush.
      await jitsu.flush();
      expect(fake.events().map((e) => e.event)).toEqual(['Order Placed']);
      expect(await calls(observer)).toEqual([]);

      await (await fetch(`${fake.url}/api/s/s2s/batch`, { method: 'POST', body: '{}' })).text();
      expect((await calls(observer)).map((e) => e.properties.endpoint)).toEqual(['/api/s/s2s/batch']);
      if (proxy) expect(proxy.tunnels()).toBe(1);
    } finally {
      await jitsu.shutdown();
      await proxy?.close();
    }
  });

  // Each client hands over the response at its headers; the rest of the body never comes.
  it.each([
    [
      'fetch',
      async (url: string) => {
        const response = await fetch(url);
        return () => response.body?.cancel();
      },
    ],
    [
      'node:http',
      async (url: string) => {
        const response = await new Promise<IncomingMessage>((resolve, reject) => http.get(url, resolve).on('error', reject));
        return () => response.destroy();
      },
    ],
  ] as const)('times a %s call until its response headers, so a response whose body is never read or never ends is still recorded', async (_client, get) => {
    const held = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part, the rest never comes');
    });
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    try {
      const wa = tracked();
      const release = await get(`http://127.0.0.1:${(held.address() as AddressInfo).port}/held`);
      const events = await calls(wa);
      expect(events.map((e) => [e.properties.endpoint, e.properties.status_code, e.properties.success])).toEqual([['/held', 200, true]]);
      await release();
    } finally {
      held.closeAllConnections();
      await new Promise((resolve) => held.close(resolve));
    }
  });


  it("records a call made through a proxy once, for its target, not the proxy's CONNECT", async () => {
    const proxy = await forwardProxy();
    const dispatcher = new ProxyAgent(proxy.url);
    try {
      const wa = tracked();
      await (await undiciFetch(`${base()}/via-proxy?token=t`, { dispatcher })).text();
      expect((await calls(wa)).map((e) => [e.properties.service, e.properties.http_method, e.properties.endpoint, e.properties.status_code])).toEqual([
        ['127.0.0.1', 'GET', '/via-proxy', 200],
      ]);
      expect(proxy.tunnels()).toBe(1);
    } finally {
      await dispatcher.close();
      await proxy.close();
    }
  });

  it('records a call sent to a proxy in absolute form (axios behind HTTP_PROXY, undici without a tunnel) for its target, not the proxy', async () => {
    const proxy = await forwardProxy();
    const dispatcher = new ProxyAgent({ uri: proxy.url, proxyTunnel: false });
    try {
      const wa = tracked({ 'api.payments.test': 'payments' });
      const viaProxy = { protocol: 'http', host: '127.0.0.1', port: proxy.port };
      expect((await axios.get('http://api.payments.test/v1/charges?customer=cus_secret_42', { proxy: viaProxy })).status).toBe(200);
      expect((await axios.post('http://user:pw@api.payments.test:8080/v1/refunds#x', {}, { proxy: viaProxy })).status).toBe(200);
      expect((await undiciFetch('http://api.payments.test/v1/payouts?token=t', { dispatcher })).status).toBe(200);
      expect(await httpGet(`${proxy.url}/`)).toBe(400);
      expect(proxy.requested()).toEqual([
        'GET http://api.payments.test/v1/charges?customer=cus_secret_42',
        'POST http://api.payments.test:8080/v1/refunds',
        'GET http://api.payments.test/v1/payouts?token=t',
      ]);
      expect((await calls(wa)).map((e) => [e.properties.service, e.properties.http_method, e.properties.endpoint, e.properties.status_code])).toEqual([
        ['payments', 'GET', '/v1/charges', 200],
        ['payments', 'POST', '/v1/refunds', 200],
        ['payments', 'GET', '/v1/payouts', 200],
        ['127.0.0.1', 'GET', '/', 400],
      ]);
    } finally {
      await dispatcher.close();
      await proxy.close();
    }
  });

  it('gives each analytics instance its own subscription, removed at its shutdown', async () => {
    const first = tracked();
    const second = tracked();
    await (await fetch(`${base()}/a`)).text();
    expect(await calls(first)).toHaveLength(1);
    expect(await calls(second)).toHaveLength(1);
    await first.analytics.shutdown();
    await (await fetch(`${base()}/b`)).text();
    expect((await calls(second)).map((e) => e.properties.endpoint)).toEqual(['/a', '/b']);
    expect(first.analytics.stats().dropped).toEqual({});
    expect(first.analytics.core.features.attached(OutboundHttpInstrumentation)).toBeUndefined();
  });

  it('attributes a call to the request being served when it started', async () => {
    const wa = tracked();
    await wa.analytics.core.requestContext.run({ requestId: 'req-outbound-1', userId: 'u-9' }, async () => {
      await (await fetch(`${base()}/slow/x`)).text();
    });
    const [event] = await calls(wa);
    expect(event.properties.request_id).toBe('req-outbound-1');
    expect(event.userId).toBe('u-9');
  });

  it('survives unreadable channel messages without throwing into the publisher', async () => {
    const wa = tracked();
    const boom = () => {
      throw new Error('unreadable');
    };
    const hostile = { get origin() { return boom(); }, get headers() { return boom(); } };
    expect(() => channel('undici:request:create').publish({ request: hostile })).not.toThrow();
    expect(() => channel('undici:request:headers').publish({ request: hostile, get response() { return boom(); } })).not.toThrow();
    expect(() => channel('http.client.request.start').publish({ request: { host: 'x', getHeader: boom } })).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    await (await fetch(`${base()}/after`)).text();
    expect((await calls(wa)).map((e) => e.properties.endpoint)).toEqual(['/after']);
  });

  it('is off by default', async () => {
    const wa = running();
    expect(wa.analytics.core.features.attached(OutboundHttpInstrumentation)).toBeUndefined();
    await (await fetch(`${base()}/a`)).text();
    expect(await calls(wa)).toEqual([]);
  });
});
