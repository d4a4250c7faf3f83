import 'reflect-metadata';
import { AnalyticsConfigError, AnalyticsService } from '../../../lib/index.js';
import { ADAPTERS, eventsOf, nextRequestId, only, send, settledEventsOf, startApp, type RunningApp } from './fixture/app-factory.js';

describe.each(ADAPTERS)('API tracking options on %s', (kind) => {
  const apps: RunningApp[] = [];
  const start = async (analytics: NonNullable<Parameters<typeof startApp>[1]>['analytics']) => {
    const running = await startApp(kind, { analytics });
    apps.push(running);
    return running;
  };
  afterAll(() => Promise.all(apps.map((a) => a.close())));

  it('sampleRate 0: no successful request is recorded, every failed one is, with its Backend Error', async () => {
    const running = await start({ api: { sampleRate: 0 } });
    const ok = nextRequestId('sampled');
    await send(`${running.url}/api/users/1`, { requestId: ok });
    expect(await settledEventsOf(running, ok)).toEqual([]);

    const failed = nextRequestId('sampled');
    await send(`${running.url}/api/users/boom`, { requestId: failed });
    const events = await eventsOf(running.recorder!, failed);
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);

    const guarded = nextRequestId('sampled');
    await send(`${running.url}/api/users/guarded`, { requestId: guarded });
    expect(only(await eventsOf(running.recorder!, guarded), 'API Call').properties.status_code).toBe(403);
  });

  it('trustProxy with ipPolicy keep: the left-most X-Forwarded-For address, whole', async () => {
    const running = await start({ ipPolicy: 'keep', api: { trustProxy: true } });
    const requestId = nextRequestId('proxy');
    await send(`${running.url}/api/users/1`, { requestId, headers: { 'x-forwarded-for': '203.0.113.77, 10.0.0.1' } });
    const api = only(await eventsOf(running.recorder!, requestId), 'API Call');
    expect(api.properties.ip_address).toBe('203.0.113.77');
    expect(api.context?.ip).toBe('203.0.113.77');
  });

  it('without trustProxy X-Forwarded-For is ignored and the socket address is cut to its network', async () => {
    const running = await start({});
    const requestId = nextRequestId('proxy');
    await send(`${running.url}/api/users/1`, { requestId, headers: { 'x-forwarded-for': '203.0.113.77' } });
    const api = only(await eventsOf(running.recorder!, requestId), 'API Call');
    expect(api.properties.ip_address).toBe('127.0.0.0');
  });

  it("ipPolicy remove: no address at all; a custom identify names the caller", async () => {
    const running = await start({
      ipPolicy: 'remove',
      api: { identify: (request: { headers: Record<string, string> }) => ({ anonymousId: request.headers['x-device'] }) },
    });
    const requestId = nextRequestId('identify');
    await send(`${running.url}/api/users/order`, { requestId, headers: { 'x-device': 'device-9' } });
    const events = await eventsOf(running.recorder!, requestId);
    const api = only(events, 'API Call');
    expect(api.properties.ip_address).toBeUndefined();
    expect(api.context?.ip).toBeUndefined();
    expect(api.anonymousId).toBe('device-9');
    expect(only(events, 'Order Placed').anonymousId).toBe('device-9');
  });

  it('an identify that throws: the request is recorded without a user and the failure is counted', async () => {
    const running = await start({
      api: {
        identify: () => {
          throw new Error('no session store');
        },
      },
    });
    const requestId = nextRequestId('identify');
    const exchange = await send(`${running.url}/api/users/1`, { requestId });
    expect(exchange.status).toBe(200);
    const api = only(await eventsOf(running.recorder!, requestId), 'API Call');
    expect(api.userId).toBeUndefined();
    expect(running.app.get(AnalyticsService).stats().warnings.identify_failed).toBe(1);
  });

  it('api.enabled false: no API Call, errors still recorded and still tied to their request', async () => {
    const running = await start({ api: { enabled: false } });
    const ok = nextRequestId('off');
    await send(`${running.url}/api/users/order`, { requestId: ok });
    expect((await settledEventsOf(running, ok)).map((e) => e.event)).toEqual(['Order Placed']);
    const failed = nextRequestId('off');
    await send(`${running.url}/api/users/boom`, { requestId: failed });
    expect((await settledEventsOf(running, failed)).map((e) => e.event)).toEqual(['Backend Error']);
  });

  it('errors.enabled false: API Calls with the real status, no Backend Error', async () => {
    const running = await start({ errors: { enabled: false } });
    const requestId = nextRequestId('no-errors');
    const exchange = await send(`${running.url}/api/users/missing/1`, { requestId });
    expect(exchange.status).toBe(404);
    const events = await eventsOf(running.recorder!, requestId);
    expect(events.map((e) => e.event)).toEqual(['API Call']);
    expect(events[0].properties.status_code).toBe(404);
  });

  it('a bad option fails the bootstrap with a message naming it, its value and what is expected', async () => {
    const attempt = startApp(kind, { analytics: { api: { sampleRate: 2, exclude: ['health'] }, errors: { enabled: 'maybe' } } as never });
    await expect(attempt).rejects.toThrow(AnalyticsConfigError);
    await expect(attempt).rejects.toThrow(/api\.sampleRate: got number 2, expected a number from 0 to 1/);
    await expect(attempt).rejects.toThrow(/api\.exclude\[0\]: got "health", expected a path starting with '\/'/);
    await expect(attempt).rejects.toThrow(/errors\.enabled: got "maybe", expected a boolean/);
  });
});
