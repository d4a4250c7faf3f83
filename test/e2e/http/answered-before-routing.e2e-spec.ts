import 'reflect-metadata';
import { ADAPTERS, eventsOf, nextRequestId, only, send, startApp, type RunningApp } from './fixture/app-factory.js';

/**
 * Requests answered before any Nest middleware, guard or handler runs: by the adapter's own
 * request hooks (`app.enableCors()` answers a preflight), by its router (a path whose percent
 * encoding is malformed, a route parameter over Fastify's length limit). Each got an answer, so
 * each is one API Call with the status the client received, and the answer is the one the app
 * gives without the library. Every row has its RequestInit: jest would read a missing last
 * argument as a `done` callback.
 */
const ANSWERED_EARLY: Array<[string, string, RequestInit]> = [
  ['a CORS preflight', '/api/users/5', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'DELETE' } }],
  ['a malformed percent-encoding in a route parameter', '/api/users/missing/%E0%A4%A', {}],
  ['a malformed percent-encoding in an unmatched path', '/no/such/%ZZ', {}],
  ['a route parameter longer than the router accepts', `/api/users/missing/${'7'.repeat(300)}`, {}],
];

describe.each(ADAPTERS)('requests answered before routing on %s', (kind) => {
  let tracked: RunningApp;
  let plain: RunningApp;

  beforeAll(async () => {
    const beforeListen = (app: { enableCors(): void }) => app.enableCors();
    [tracked, plain] = await Promise.all([startApp(kind, { beforeListen }), startApp(kind, { analytics: false, beforeListen })]);
  });
  afterAll(() => Promise.all([tracked.close(), plain.close()]));

  it.each(ANSWERED_EARLY)('%s: one API Call with the status sent, and the same answer as without the library', async (_label, path, init) => {
    const requestId = nextRequestId(`${kind}-early`);
    const [withLibrary, without] = await Promise.all([send(`${tracked.url}${path}`, { ...init, requestId }), send(`${plain.url}${path}`, init)]);
    expect(withLibrary.status).toBe(without.status);
    expect(withLibrary.body.equals(without.body)).toBe(true);
    const api = only(await eventsOf(tracked.recorder!, requestId), 'API Call');
    expect(api.properties).toMatchObject({ method: init.method ?? 'GET', status_code: without.status, request_id: requestId });
  });
});

describe('a malformed parameter on express', () => {
  let tracked: RunningApp;

  beforeAll(async () => {
    tracked = await startApp('express');
  });
  afterAll(() => tracked.close());

  // Fastify's router rejects such a URL before telling its route: its path is sent as it came.
  it("of a route named like a secret: the API Call names the route, and the parameter's value is not in its path", async () => {
    const requestId = nextRequestId('express-early-secret');
    const exchange = await send(`${tracked.url}/api/users/reset/4f1c9a7be2d8%ZZ`, { requestId });
    expect(exchange.status).toBe(400);
    const api = only(await eventsOf(tracked.recorder!, requestId), 'API Call');
    expect(api.properties).toMatchObject({ path: '/api/users/reset/[REDACTED]', route: '/api/users/reset/:token', status_code: 400 });
    expect(JSON.stringify(api)).not.toContain('4f1c9a7be2d8');
    // Nest's message quotes the parameter as sent ("Failed to decode param '...'"): not on the wire either.
    const error = only(await eventsOf(tracked.recorder!, requestId), 'Backend Error');
    expect(error.properties.error_message).toContain('[REDACTED]');
    expect(JSON.stringify(error)).not.toContain('4f1c9a7be2d8');
  });
});

describe.each(ADAPTERS)('a method no route serves, at a route named like a secret, on %s', (kind) => {
  let tracked: RunningApp;

  beforeAll(async () => {
    tracked = await startApp(kind);
  });
  afterAll(() => tracked.close());

  it("is a 404 whose API Call and Backend Error keep the parameter's value out of the path and the message", async () => {
    const requestId = nextRequestId(`${kind}-wrong-method-secret`);
    const exchange = await send(`${tracked.url}/api/users/reset/4f1c9a7be2d8`, { method: 'PUT', requestId });
    expect(exchange.status).toBe(404);
    const events = await eventsOf(tracked.recorder!, requestId);
    expect(only(events, 'API Call').properties).toMatchObject({ path: '/api/users/reset/[REDACTED]', status_code: 404 });
    expect(only(events, 'Backend Error').properties.error_message).toBe('Cannot PUT /api/users/reset/[REDACTED]');
    expect(JSON.stringify(events)).not.toContain('4f1c9a7be2d8');
  });
});
