import 'reflect-metadata';
import { ADAPTERS, nextRequestId, send, startApp, type RunningApp } from './fixture/app-factory.js';

/**
 * Requests whose answers come from Nest's exception layer, each one way an error can arise. Every
 * row has its RequestInit: jest would read a missing last argument as a `done` callback.
 */
const FAILING_REQUESTS: Array<[string, string, RequestInit]> = [
  ['NotFoundException from a handler', '/api/users/missing/3', {}],
  ['plain Error from a handler', '/api/users/boom', {}],
  ['a thrown non-Error value', '/api/users/thrown-string', {}],
  ['HttpException subclass with an object body', '/api/users/payment', {}],
  ['BadRequestException subclass', '/api/users/coupon', {}],
  ['a guard that rejects', '/api/users/guarded', {}],
  ['a pipe that rejects', '/api/users/abc', {}],
  ['an unmatched route', '/nowhere', {}],
  ['an unmatched method', '/health', { method: 'PUT' }],
  ['a body that is not JSON', '/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' }],
];

describe.each(ADAPTERS)('error responses on %s are byte for byte those of the app without the library', (kind) => {
  let tracked: RunningApp;
  let plain: RunningApp;

  beforeAll(async () => {
    [tracked, plain] = await Promise.all([startApp(kind), startApp(kind, { analytics: false })]);
  });
  afterAll(() => Promise.all([tracked.close(), plain.close()]));

  it.each(FAILING_REQUESTS)('%s', async (_label, path, init) => {
    const requestId = nextRequestId('errors');
    const [withLibrary, without] = await Promise.all([
      send(`${tracked.url}${path}`, { ...init, requestId }),
      send(`${plain.url}${path}`, { ...init, requestId }),
    ]);
    expect(withLibrary.status).toBeGreaterThanOrEqual(400);
    expect(withLibrary.status).toBe(without.status);
    expect(withLibrary.body.equals(without.body)).toBe(true);
    expect(withLibrary.headers.get('content-type')).toBe(without.headers.get('content-type'));
    expect(withLibrary.headers.get('content-length')).toBe(without.headers.get('content-length'));
    // The library saw it: the comparison is not between two untracked apps.
    const recorded = await tracked.recorder!.waitFor((e) => e.properties.request_id === requestId && e.event === 'API Call');
    expect(recorded.properties.status_code).toBe(without.status);
  });
});
