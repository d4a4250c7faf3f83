import 'reflect-metadata';
import { ADAPTERS, eventsOf, nextRequestId, only, send, startApp, type RunningApp } from './fixture/app-factory.js';

describe.each(ADAPTERS)('an app with a global prefix on %s', (kind) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp(kind, { beforeListen: (app) => app.setGlobalPrefix('v1', { exclude: ['health'] }) });
  });
  afterAll(() => running.close());

  async function call(path: string, init: RequestInit = {}) {
    const requestId = nextRequestId(`${kind}-prefix`);
    const exchange = await send(`${running.url}${path}`, { ...init, requestId });
    return { exchange, events: await eventsOf(running.recorder!, requestId) };
  }

  it('a route: its template under the prefix', async () => {
    const { exchange, events } = await call('/v1/api/users/5');
    expect(exchange.status).toBe(200);
    expect(only(events, 'API Call').properties).toMatchObject({ route: '/v1/api/users/:id', controller: 'UsersController', handler: 'findOne' });
  });

  // Nest answers these with a catch-all route of its own, which is no route of the app's.
  it.each([
    ['an unmatched path under the prefix', '/v1/nowhere/42', 'GET'],
    ['an unmatched method of a route excluded from the prefix', '/health', 'PUT'],
  ])('%s: API Call 404 and its Backend Error without a route template', async (_label, path, method) => {
    const { exchange, events } = await call(path, { method });
    expect(exchange.status).toBe(404);
    const api = only(events, 'API Call').properties;
    expect(api).toMatchObject({ path, status_code: 404 });
    expect([api.route, api.controller, api.handler]).toEqual([undefined, undefined, undefined]);
    expect(only(events, 'Backend Error').properties.route).toBeUndefined();
  });
});
