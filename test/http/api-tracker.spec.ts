import 'reflect-metadata';
import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import express from 'express';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { ApiTracker } from '../../lib/http/api-tracker.js';
import { apiTrackerFor } from '../../lib/http/api-tracker.registry.js';
import { resolveApiTracking } from '../../lib/http/api-tracking.resolver.js';
import { trackApiRequest } from '../../lib/http/track-api-request.js';
import type { ApiTrackingOptions } from '../../lib/index.js';
import { memoryAnalytics } from '../support/memory-analytics.js';
import { until } from '../support/until.js';

function fakeRequest(path = '/orders/1', headers: Record<string, string> = {}) {
  return { method: 'GET', url: path, headers, socket: { remoteAddress: '192.0.2.10' } };
}

function fakeResponse(statusCode = 200) {
  return Object.assign(new EventEmitter(), { statusCode });
}

function tracked(api: ApiTrackingOptions = {}, random?: () => number, options: Parameters<typeof memoryAnalytics>[0] = {}) {
  const memory = memoryAnalytics({ ...options, api });
  const core = memory.analytics.core;
  const tracker = random ? new ApiTracker(core, resolveApiTracking(core.options.raw, core.options.ipPolicy), random) : apiTrackerFor(core);
  return { ...memory, core, tracker };
}

describe('ApiTracker', () => {
  it('sampleRate keeps the share of successful requests the random source selects, and every failure', async () => {
    const draws = [0.2, 0.7, 0.4];
    const { tracker, delivered } = tracked({ sampleRate: 0.5 }, () => draws.shift()!);
    for (const [path, status] of [['/a', 200], ['/b', 200], ['/c', 503], ['/d', 200]] as const) {
      const res = fakeResponse(status);
      tracker.begin(fakeRequest(path), res);
      res.emit('close');
    }
    expect((await delivered()).filter((e) => e.event === 'API Call').map((e) => [e.properties.path, e.properties.status_code])).toEqual([
      ['/a', 200],
      ['/c', 503],
      ['/d', 200],
    ]);
    // A failure is kept without a draw: three draws for four requests.
    expect(draws).toEqual([]);
  });

  it('sampleRate 0 still keeps every 4xx answered without an exception, from 400 on', async () => {
    const { tracker, delivered } = tracked({ sampleRate: 0 });
    for (const [path, status] of [['/ok', 200], ['/moved', 399], ['/bad', 400], ['/gone', 404]] as const) {
      const res = fakeResponse(status);
      tracker.begin(fakeRequest(path), res);
      res.emit('close');
    }
    expect((await delivered()).map((e) => [e.event, e.properties.path])).toEqual([
      ['API Call', '/bad'],
      ['API Call', '/gone'],
    ]);
  });

  it('sampleRate 0 still keeps a request whose handler failed after its status went out (a stream that broke)', async () => {
    const { tracker, delivered } = tracked({ sampleRate: 0 });
    const res = fakeResponse(200);
    const state = tracker.begin(fakeRequest('/stream'), res);
    tracker.captureError(state, new Error('stream broke'));
    res.emit('close');
    expect((await delivered()).map((e) => [e.event, e.properties.status_code])).toEqual([
      ['API Call', 200],
      ['Backend Error', 500],
    ]);
  });

  it('a 500 answered without an exception is a failure: one Backend Error with that status', async () => {
    const { tracker, delivered } = tracked();
    const res = fakeResponse(500);
    tracker.begin(fakeRequest('/orders/1'), res);
    res.emit('close');
    const events = await delivered();
    expect(events.map((e) => [e.event, e.properties.status_code])).toEqual([
      ['API Call', 500],
      ['Backend Error', 500],
    ]);
    expect(events[1].properties.error_message).toBe('responded 500');
  });

  it('the client’s user agent passes the privacy rules in the context as in the properties', async () => {
    const { tracker, delivered } = tracked();
    const res = fakeResponse();
    tracker.begin(fakeRequest('/a', { 'user-agent': 'MyBot/1.0 (contact: jane.doe@example.com; token=abcdefghijklmnop1234)' }), res);
    res.emit('close');
    const [event] = await delivered();
    expect(event!.context.userAgent).toBe('MyBot/1.0 (contact: [REDACTED]@example.com; token=[REDACTED])');
    expect(event!.properties.user_agent).toBe(event!.context.userAgent);
    expect(JSON.stringify(event)).not.toMatch(/jane\.doe|abcdefghijklmnop/);
  });

  it('ids from identify pass the privacy rules for every event of the request, not only its API Call', async () => {
    const { analytics, tracker, delivered } = tracked({ identify: () => ({ userId: 'jane.doe@example.com', anonymousId: 'bob@example.com' }) });
    const res = fakeResponse();
    const state = tracker.begin(fakeRequest('/a'), res);
    res.emit('close');
    tracker.core.requestContext.run(state.facts, () => analytics.track('Later in the request'));
    const events = await delivered();
    expect(events.map((e) => [e.event, e.userId, e.anonymousId])).toEqual([
      ['API Call', '[REDACTED]@example.com', '[REDACTED]@example.com'],
      ['Later in the request', '[REDACTED]@example.com', '[REDACTED]@example.com'],
    ]);
  });

  it('durationMs runs from the handler’s start (guards passed) to the end of the response, on the monotonic clock', async () => {
    const { tracker, delivered } = tracked();
    class OrdersController {
      find() {
        return 'order';
      }
    }
    const req = fakeRequest('/orders/1');
    const res = fakeResponse();
    let now = 1000;
    const clock = jest.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      tracker.begin(req, res);
      now = 1040; // middleware and guards took 40 ms
      tracker.enterHandler(new ExecutionContextHost([req, res, () => undefined], OrdersController, OrdersController.prototype.find));
      now = 1290;
      res.emit('close');
    } finally {
      clock.mockRestore();
    }
    const [api] = await delivered();
    expect(api.properties).toMatchObject({ duration_ms: 250, controller: 'OrdersController', handler: 'find' });
  });

  it('behind one trusted proxy, each request carries its own client address, not the previous request’s', async () => {
    const { tracker, delivered } = tracked({ trustProxy: true }, undefined, { ipPolicy: 'keep' });
    for (const client of ['203.0.113.7', '198.51.100.23', '198.51.100.23']) {
      const res = fakeResponse();
      tracker.begin(fakeRequest('/a', { 'x-forwarded-for': `${client}, 10.0.0.1` }), res);
      res.emit('close');
    }
    expect((await delivered()).map((e) => e.properties.ip_address)).toEqual(['203.0.113.7', '198.51.100.23', '198.51.100.23']);
  });

  it('the API Call is dated when the request arrived, not when its response ended', async () => {
    const { tracker, delivered } = tracked();
    const res = fakeResponse();
    const arrived = Date.UTC(2026, 0, 2, 3, 4, 5);
    const clock = jest.spyOn(Date, 'now').mockReturnValue(arrived);
    try {
      tracker.begin(fakeRequest(), res);
      clock.mockReturnValue(arrived + 5000);
      res.emit('close');
    } finally {
      clock.mockRestore();
    }
    const [api] = await delivered();
    expect(api.timestamp).toBe('2026-01-02T03:04:05.000Z');
  });

  it('a request is recorded once, however often its response says it is over', async () => {
    const { tracker, delivered } = tracked();
    const res = fakeResponse();
    tracker.begin(fakeRequest(), res);
    res.emit('close');
    res.emit('close');
    expect(await delivered()).toHaveLength(1);
  });

  it('a response already closed when tracking began that then reports its close too: still one API Call', async () => {
    const { tracker, delivered } = tracked();
    const res = Object.assign(fakeResponse(), { closed: true });
    tracker.begin(fakeRequest(), res);
    res.emit('close');
    await new Promise((resolve) => setImmediate(resolve));
    expect((await delivered()).map((e) => e.event)).toEqual(['API Call']);
  });

  it('an error that arrives after the response is over is still recorded, once', async () => {
    const { tracker, delivered } = tracked();
    const res = fakeResponse(200);
    const state = tracker.begin(fakeRequest(), res);
    res.emit('close');
    const late = new Error('failed after sending');
    tracker.captureError(state, late);
    tracker.captureError(state, late);
    const events = await delivered();
    expect(events.map((e) => e.event)).toEqual(['API Call', 'Backend Error']);
    expect(events[1].properties).toMatchObject({ error_message: 'failed after sending', status_code: 500 });
    expect(events[1].properties.request_id).toBe(events[0].properties.request_id);
  });

  it('a request that reports several errors keeps the first: its one Backend Error describes what failed first', async () => {
    const { tracker, delivered } = tracked();
    const res = fakeResponse(502);
    const state = tracker.begin(fakeRequest(), res);
    tracker.captureError(state, new Error('payment provider timed out'));
    tracker.captureError(state, new Error('rollback failed afterwards'));
    res.emit('close');
    const errors = (await delivered()).filter((e) => e.event === 'Backend Error');
    expect(errors.map((e) => e.properties.error_message)).toEqual(['payment provider timed out']);
  });

  it('a response that closed before tracking began is recorded all the same', async () => {
    const { tracker, delivered } = tracked();
    const res = Object.assign(fakeResponse(400), { closed: true });
    tracker.begin(fakeRequest(), res);
    await new Promise((resolve) => setImmediate(resolve));
    const [api] = await delivered();
    expect(api.properties.status_code).toBe(400);
  });

  it('identify reads the most specific request seen: the FastifyRequest over the raw request middleware began with', async () => {
    const { tracker, delivered } = tracked();
    const raw = fakeRequest('/a');
    const res = fakeResponse();
    tracker.begin(raw, res);
    tracker.begin({ raw, user: { id: 'user-7' } }, { raw: res });
    res.emit('close');
    const [api] = await delivered();
    expect(api.userId).toBe('user-7');
  });

  it('a request begun by another analytics instance is left to it', async () => {
    const first = tracked();
    const second = tracked();
    const req = fakeRequest();
    const res = fakeResponse();
    const state = first.tracker.begin(req, res);
    expect(second.tracker.begin(req, res)).toBe(state);
    // Nor does it hand the request its own view of it (whose user would become the request's).
    second.tracker.begin({ raw: req, user: { id: 'someone-else' } }, res, true);
    second.tracker.captureError(state, new Error('not mine'));
    res.emit('close');
    expect((await first.delivered()).map((e) => [e.event, e.userId])).toEqual([['API Call', undefined]]);
    expect(await second.delivered()).toEqual([]);
  });
});

describe('trackApiRequest (the middleware form)', () => {
  it('runs the rest of the chain inside the request context, with the incoming request id', async () => {
    const { core, analytics, delivered } = tracked();
    const res = fakeResponse();
    let seen: string | undefined;
    trackApiRequest(core, fakeRequest('/x', { 'x-request-id': 'req-42' }), res, () => {
      seen = core.requestContext.get()?.requestId;
      analytics.track('Inside');
    });
    res.emit('close');
    expect(seen).toBe('req-42');
    expect((await delivered()).map((e) => [e.event, e.properties.request_id])).toEqual([
      ['Inside', 'req-42'],
      ['API Call', 'req-42'],
    ]);
  });

  it('mounted twice (the guide form and the module): one API Call, next called by each', async () => {
    const { core, delivered } = tracked();
    const req = fakeRequest();
    const res = fakeResponse();
    let calls = 0;
    trackApiRequest(core, req, res, () => {
      calls++;
      trackApiRequest(core, req, res, () => calls++);
    });
    res.emit('close');
    expect(calls).toBe(2);
    expect(await delivered()).toHaveLength(1);
  });

  // Outside the Nest module nothing began the request before the guide form did: Express shows the
  // catch-all route it is mounted on (as Nest mounts middleware) in req.route, and that route stays
  // there when nothing else matches.
  it('mounted on a catch-all route without the module, an unmatched path gets no route template, a matched one its own', async () => {
    const { analytics, delivered } = tracked();
    const app = express();
    app.all('/{*path}', (req, res, next) => analytics.trackApiRequest(req, res, next));
    app.get('/items/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const [path, status] of [['/nothing/here', 404], ['/items/3', 200]] as const) {
        const response = await fetch(`${base}${path}`);
        await response.arrayBuffer();
        expect(response.status).toBe(status);
      }
      await until(() => analytics.stats().queued >= 2, 'both API Calls');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    const calls = (await delivered()).filter((e) => e.event === 'API Call');
    expect(calls.map((e) => [e.properties.path, e.properties.route, e.properties.status_code])).toEqual([
      ['/nothing/here', undefined, 404],
      ['/items/3', '/items/:id', 200],
    ]);
  });

  it('accepts Fastify request and reply objects (their raw Node objects carry the state)', async () => {
    const { core, delivered } = tracked();
    const raw = fakeRequest('/plain/5');
    const rawRes = fakeResponse(201);
    trackApiRequest(core, { raw, routeOptions: { url: '/plain/:id' } }, { raw: rawRes }, () => undefined);
    rawRes.emit('close');
    const [api] = await delivered();
    expect(api.properties).toMatchObject({ path: '/plain/5', route: '/plain/:id', status_code: 201 });
  });

  it('with analytics disabled it only calls next', () => {
    const { analytics } = memoryAnalytics({ enabled: false });
    const req = fakeRequest();
    let called = 0;
    trackApiRequest(analytics.core, req, fakeResponse(), () => called++);
    expect(called).toBe(1);
    expect(Object.getOwnPropertySymbols(req)).toEqual([]);
  });

  it('bad api options outside Nest stop createAnalytics, as every bad option does', () => {
    expect(() => memoryAnalytics({ api: { sampleRate: 5 } })).toThrow('api.sampleRate: got number 5');
  });

  it('a response whose end cannot be observed: counted as a warning, not lost silently', () => {
    const { core, analytics } = tracked();
    let called = 0;
    trackApiRequest(core, fakeRequest(), { statusCode: 200 }, () => called++);
    expect(called).toBe(1);
    expect(analytics.stats().warnings.api_tracking_failed).toBe(1);
  });

  it('a request that cannot be read: counted as a warning, the app goes on', () => {
    const { core, analytics } = tracked();
    const hostile = {
      get headers(): never {
        throw new Error('unreadable headers');
      },
    };
    let called = 0;
    trackApiRequest(core, hostile, fakeResponse(), () => called++);
    expect(called).toBe(1);
    expect(analytics.stats().warnings.api_tracking_failed).toBe(1);
  });

  it("the service's trackApiError joins a tracked request: one Backend Error, with the status sent, for every report of it", async () => {
    const { analytics, delivered } = tracked();
    const req = fakeRequest('/orders/7');
    const res = fakeResponse(409);
    const state = analytics.core.features.attached<ApiTracker>(ApiTracker)!.begin(req, res);
    const conflict = new Error('order already paid');
    await analytics.trackApiError(conflict, req);
    await analytics.trackApiError(conflict, req);
    expect(state.hasError).toBe(true);
    res.emit('close');
    const events = await delivered();
    expect(events.map((e) => e.event)).toEqual(['API Call', 'Backend Error']);
    expect(events[1].properties).toMatchObject({ error_message: 'order already paid', status_code: 409, request_id: events[0].properties.request_id });
  });

  it("with errors.enabled false the service's trackApiError still records what it is explicitly given", async () => {
    const { analytics, tracker, delivered } = tracked({}, undefined, { errors: { enabled: false } });
    const req = fakeRequest('/orders/7');
    const res = fakeResponse(409);
    tracker.begin(req, res);
    await analytics.trackApiError(new Error('order already paid'), req);
    res.emit('close');
    expect((await delivered()).map((e) => [e.event, e.properties.error_message])).toEqual([
      ['Backend Error', 'order already paid'],
      ['API Call', undefined],
    ]);
  });

  it("the service's trackApiError records at once for a request another analytics instance tracks", async () => {
    const first = tracked();
    const second = tracked();
    const req = fakeRequest('/orders/7');
    const res = fakeResponse(409);
    first.tracker.begin(req, res);
    await second.analytics.trackApiError(new Error('order already paid'), req);
    res.emit('close');
    expect((await second.delivered()).map((e) => [e.event, e.properties.error_message])).toEqual([['Backend Error', 'order already paid']]);
    expect((await first.delivered()).map((e) => e.event)).toEqual(['API Call']);
  });

  it("the service's trackApiError records at once for a request nobody tracks", async () => {
    const { analytics, delivered } = tracked();
    await analytics.trackApiError(new Error('outside'), fakeRequest('/elsewhere'));
    expect((await delivered()).map((e) => [e.event, e.properties.route])).toEqual([['Backend Error', '/elsewhere']]);
  });
});
