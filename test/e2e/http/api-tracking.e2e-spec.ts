import 'reflect-metadata';
import type { AnalyticsRecorder } from '../../../lib/testing/index.js';
import { ADAPTERS, eventsOf, nextRequestId, only, send, settledEventsOf, startApp, type RunningApp } from './fixture/app-factory.js';
import { heldRequests, SLOW_MS, STREAM_CHUNKS, STREAM_GAP_MS } from './fixture/controllers.js';

/** Timers may fire up to a millisecond early against performance.now(). */
const TIMER_SLACK_MS = 2;

describe.each(ADAPTERS)('API tracking on %s', (kind) => {
  let running: RunningApp;
  let recorder: AnalyticsRecorder;

  beforeAll(async () => {
    running = await startApp(kind, { analytics: { api: { exclude: ['/health'] } } });
    recorder = running.recorder!;
  });
  afterAll(() => running.close());

  async function call(path: string, init: RequestInit = {}, expectApiCall = true) {
    const requestId = nextRequestId(kind);
    const exchange = await send(`${running.url}${path}`, { ...init, requestId });
    const events = expectApiCall ? await eventsOf(recorder, requestId) : await settledEventsOf(running, requestId);
    return { exchange, events, requestId };
  }

  it('GET: one API Call with the route template, never the concrete id, and no error', async () => {
    const { exchange, events } = await call('/api/users/42?expand=friends');
    expect(exchange.status).toBe(200);
    expect(events).toHaveLength(1);
    const api = only(events, 'API Call');
    expect(api.JITSU_TABLE_NAME).toBe('api_events');
    expect(api.properties).toMatchObject({
      event_category: 'backend',
      event_action: 'api_request',
      method: 'GET',
      path: '/api/users/42',
      route: '/api/users/:id',
      status_code: 200,
      controller: 'UsersController',
      handler: 'findOne',
      ip_address: '127.0.0.0',
    });
    expect(JSON.stringify(api)).not.toContain('expand=friends');
    expect(api.properties.duration_ms).toBeGreaterThanOrEqual(0);
    expect(api.properties.duration_ms).toBeLessThanOrEqual(exchange.elapsedMs);
  });

  it('a route parameter named like a secret: its value is not in the path sent', async () => {
    const { exchange, events } = await call('/api/users/reset/4f1c9a7be2d84c1fa0e5');
    expect(exchange.status).toBe(200);
    expect(only(events, 'API Call').properties).toMatchObject({ path: '/api/users/reset/[REDACTED]', route: '/api/users/reset/:token' });
    expect(JSON.stringify(events)).not.toContain('4f1c9a7be2d84c1fa0e5');
  });

  it('POST: 201, the status Nest sends for a created resource', async () => {
    const { exchange, events } = await call('/api/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ada', password: 'secret' }),
    });
    expect(exchange.status).toBe(201);
    expect(events).toHaveLength(1);
    expect(only(events, 'API Call').properties).toMatchObject({ method: 'POST', route: '/api/users', status_code: 201, handler: 'create' });
    expect(JSON.stringify(events)).not.toContain('secret');
  });

  it('a 5xx answered without an exception is a failure too: the API Call and one Backend Error', async () => {
    const { exchange, events } = await call('/api/users/status/maintenance');
    expect(exchange.status).toBe(503);
    expect(only(events, 'API Call').properties).toMatchObject({ status_code: 503, handler: 'maintenance' });
    expect(only(events, 'Backend Error').properties).toMatchObject({ error_source: 'api', error_name: 'HttpError', error_message: 'responded 503', status_code: 503 });
  });

  it('@HttpCode(204)', async () => {
    const { exchange, events } = await call('/api/users/5', { method: 'DELETE' });
    expect(exchange.status).toBe(204);
    expect(only(events, 'API Call').properties).toMatchObject({ method: 'DELETE', route: '/api/users/:id', status_code: 204, handler: 'remove' });
  });

  it('a thrown NotFoundException: API Call 404 and one Backend Error', async () => {
    const { exchange, events } = await call('/api/users/missing/99');
    expect(exchange.status).toBe(404);
    expect(events).toHaveLength(2);
    expect(only(events, 'API Call').properties).toMatchObject({ route: '/api/users/missing/:id', status_code: 404, handler: 'missing' });
    const error = only(events, 'Backend Error');
    expect(error.JITSU_TABLE_NAME).toBe('backend_error_events');
    expect(error.properties).toMatchObject({
      event_action: 'backend_error',
      error_source: 'api',
      error_name: 'NotFoundException',
      error_message: 'user 99 not found',
      status_code: 404,
      method: 'GET',
      route: '/api/users/missing/:id',
    });
    expect(error.properties.stack_fingerprint).toMatch(/^[0-9a-f]{8,}$/);
  });

  it('a thrown plain Error: 500, its message with the secret redacted, a fingerprint and no stack', async () => {
    const { exchange, events } = await call('/api/users/boom');
    expect(exchange.status).toBe(500);
    expect(events).toHaveLength(2);
    expect(only(events, 'API Call').properties).toMatchObject({ route: '/api/users/boom', status_code: 500 });
    const error = only(events, 'Backend Error');
    expect(error.properties).toMatchObject({ error_name: 'Error', status_code: 500, route: '/api/users/boom' });
    expect(error.properties.error_message).toContain('postgres://app:');
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(JSON.stringify(error)).not.toContain('controllers.ts');
  });

  it('a guard that rejects: API Call 403 with the route and handler, one Backend Error', async () => {
    const { exchange, events } = await call('/api/users/guarded');
    expect(exchange.status).toBe(403);
    expect(events).toHaveLength(2);
    expect(only(events, 'API Call').properties).toMatchObject({
      route: '/api/users/guarded',
      status_code: 403,
      controller: 'UsersController',
      handler: 'guarded',
    });
    expect(only(events, 'Backend Error').properties).toMatchObject({ error_name: 'ForbiddenException', status_code: 403, route: '/api/users/guarded' });
  });

  it('a pipe that rejects: API Call 400, one Backend Error', async () => {
    const { exchange, events } = await call('/api/users/not-a-number');
    expect(exchange.status).toBe(400);
    expect(events).toHaveLength(2);
    expect(only(events, 'API Call').properties).toMatchObject({ route: '/api/users/:id', status_code: 400, handler: 'findOne' });
    expect(only(events, 'Backend Error').properties).toMatchObject({ error_name: 'BadRequestException', status_code: 400 });
  });

  it('a response the client gave up on is recorded as 499, not as the 200 it never got', async () => {
    const requestId = nextRequestId(`${kind}-abort`);
    const client = new AbortController();
    const response = fetch(`${running.url}/api/users/held`, { headers: { 'x-request-id': requestId }, signal: client.signal });
    try {
      // The client gives up only once the server is serving the request, and its handler is held
      // until the API Call is in: no timer decides whether the abort or the answer comes first.
      await heldRequests.entered(requestId);
      client.abort();
      await expect(response).rejects.toThrow();
      const events = await eventsOf(recorder, requestId);
      expect(only(events, 'API Call').properties).toMatchObject({ route: '/api/users/held', status_code: 499, handler: 'held', ip_address: '127.0.0.0' });
    } finally {
      heldRequests.release(requestId);
    }
  });

  it('a stream its client closes once its status was sent (a live SSE feed) keeps that status', async () => {
    const requestId = nextRequestId(`${kind}-live`);
    const client = new AbortController();
    const response = await fetch(`${running.url}/api/users/events/live`, { headers: { 'x-request-id': requestId }, signal: client.signal });
    expect(response.status).toBe(200);
    await response.body!.getReader().read();
    client.abort();
    const events = await eventsOf(recorder, requestId);
    expect(events.map((e) => e.event)).toEqual(['API Call']);
    expect(events[0].properties).toMatchObject({ route: '/api/users/events/live', status_code: 200, handler: 'liveEvents' });
  });

  it('a slow handler is timed from its start to the response', async () => {
    const { exchange, events } = await call('/api/users/slow');
    const duration = only(events, 'API Call').properties.duration_ms as number;
    expect(duration).toBeGreaterThanOrEqual(SLOW_MS - TIMER_SLACK_MS);
    expect(duration).toBeLessThanOrEqual(exchange.elapsedMs);
  });

  it('a streamed response counts until its last chunk is sent', async () => {
    const { exchange, events } = await call('/api/users/stream');
    expect(exchange.body.toString()).toBe('chunk-1\nchunk-2\nchunk-3\nchunk-4\n');
    const api = only(events, 'API Call');
    expect(api.properties).toMatchObject({ route: '/api/users/stream', status_code: 200 });
    expect(api.properties.duration_ms).toBeGreaterThanOrEqual(STREAM_CHUNKS * STREAM_GAP_MS - TIMER_SLACK_MS);
    expect(api.properties.duration_ms).toBeLessThanOrEqual(exchange.elapsedMs);
  });

  it('an SSE response counts until the event stream completes', async () => {
    const { exchange, events } = await call('/api/users/events');
    expect(exchange.body.toString().match(/^data: /gm)).toHaveLength(STREAM_CHUNKS);
    const api = only(events, 'API Call');
    expect(api.properties).toMatchObject({ route: '/api/users/events', status_code: 200, handler: 'events' });
    expect(api.properties.duration_ms).toBeGreaterThanOrEqual(STREAM_CHUNKS * STREAM_GAP_MS - TIMER_SLACK_MS);
    expect(api.properties.duration_ms).toBeLessThanOrEqual(exchange.elapsedMs);
  });

  it('an @Res() handler is timed to the response it sends later, with the status it sets', async () => {
    const { exchange, events } = await call('/api/users/raw');
    expect(exchange.status).toBe(202);
    const api = only(events, 'API Call');
    expect(api.properties).toMatchObject({ route: '/api/users/raw', status_code: 202, handler: 'raw' });
    expect(api.properties.duration_ms).toBeGreaterThanOrEqual(SLOW_MS - TIMER_SLACK_MS);
    expect(api.properties.duration_ms).toBeLessThanOrEqual(exchange.elapsedMs);
  });

  it('an unmatched path: API Call 404 without a route template, so paths add no cardinality', async () => {
    const { exchange, events } = await call('/no/such/path/123');
    expect(exchange.status).toBe(404);
    const api = only(events, 'API Call');
    expect(api.properties).toMatchObject({ path: '/no/such/path/123', status_code: 404 });
    expect(api.properties.route).toBeUndefined();
    expect(only(events, 'Backend Error').properties.error_name).toBe('NotFoundException');
  });

  it('the request id ties the API Call to the events tracked while serving it, and the user to both', async () => {
    const { events, requestId } = await call('/api/users/order');
    const api = only(events, 'API Call');
    const order = only(events, 'Order Placed');
    expect(api.properties.request_id).toBe(requestId);
    expect(order.properties.request_id).toBe(requestId);
    expect(api.userId).toBe('user-7');
    expect(order.userId).toBe('user-7');
  });

  it('without X-Request-Id a fresh id is generated and shared the same way', async () => {
    recorder.clear();
    await send(`${running.url}/api/users/order`);
    const api = await recorder.waitFor((e) => e.event === 'API Call' && e.properties.route === '/api/users/order');
    const order = await recorder.waitFor((e) => e.event === 'Order Placed');
    expect(api.properties.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(order.properties.request_id).toBe(api.properties.request_id);
  });

  it('an X-Request-Id that does not look like an id is replaced, not echoed', async () => {
    recorder.clear();
    await send(`${running.url}/api/users/1`, { headers: { 'x-request-id': 'a b'.repeat(100) } });
    const api = await recorder.waitFor((e) => e.event === 'API Call');
    expect(api.properties.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('@SkipTracking() on a handler: no API Call', async () => {
    const { exchange, events } = await call('/api/users/quiet', {}, false);
    expect(exchange.status).toBe(200);
    expect(events).toEqual([]);
  });

  it('@SkipTracking() on a controller: no API Call for success, failure or a guard rejection; errors are still recorded', async () => {
    const ok = await call('/skipped/ok', {}, false);
    expect(ok.events).toEqual([]);
    const failed = await call('/skipped/fail', {}, false);
    expect(failed.exchange.status).toBe(500);
    expect(failed.events.map((e) => e.event)).toEqual(['Backend Error']);
    const guarded = await call('/skipped/guarded', {}, false);
    expect(guarded.exchange.status).toBe(403);
    expect(guarded.events.map((e) => e.event)).toEqual(['Backend Error']);
  });

  it('exclude: no API Call for an excluded path, with or without a query string', async () => {
    for (const path of ['/health', '/health?full=1']) {
      const { exchange, events } = await call(path, {}, false);
      expect(exchange.status).toBe(200);
      expect(events).toEqual([]);
    }
  });
});
