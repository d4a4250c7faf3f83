import { compileSources, type CompiledSources } from '../../support/compile-sources.js';
import { ListeningAppProcess } from '../../support/listening-app-process.js';
import { until } from '../../support/until.js';
import { FakeJitsuServer } from '../../fake-jitsu/fake-jitsu-server.js';
import type { JsonObject } from '../../fake-jitsu/jitsu-protocol.js';
import { nextRequestId } from '../http/fixture/app-factory.js';
import { describeGraphqlApp } from './fixture/graphql-app-cases.js';
import { graphqlWsClient } from './fixture/graphql-ws-client.js';
import { UPDATE_GAP_MS } from './fixture/orders.resolver.js';

/**
 * Mercurius on Fastify, the other GraphQL server NestJS supports. Mercurius loads @fastify/static,
 * whose content-disposition 3 is an ES module loaded with require(): Node runs that, Jest (before
 * Node 24.9) cannot. So the app runs in its own process, from the current sources, and sends its
 * events over the real transport to the fake Jitsu server.
 */
let compiled: CompiledSources;
let fake: FakeJitsuServer;
let tracked: { app: ListeningAppProcess; url: string };
let plain: { app: ListeningAppProcess; url: string };

beforeAll(async () => {
  compiled = await compileSources('test/e2e/transports/fixture/mercurius-app.ts', ['lib', 'test/e2e/transports/fixture']);
  fake = await FakeJitsuServer.start();
  [tracked, plain] = await Promise.all([
    ListeningAppProcess.start(compiled.entry, { GRAPHQL_ANALYTICS: 'on', GRAPHQL_JITSU_URL: fake.url, GRAPHQL_WRITE_KEY: fake.writeKey }),
    ListeningAppProcess.start(compiled.entry, { GRAPHQL_ANALYTICS: 'off' }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([tracked?.app.stop(), plain?.app.stop()]);
  await fake?.stop();
  compiled?.remove();
});

type WireEvent = JsonObject & { event?: string; properties?: JsonObject };

/** The events of one request at Jitsu, once there are `expected` of them: batches may arrive out of order (two in flight). */
async function eventsOf(requestId: string, expected: number): Promise<WireEvent[]> {
  const mine = () => (fake.events() as WireEvent[]).filter((e) => e.properties?.request_id === requestId);
  await until(() => mine().length >= expected, `${expected} events of ${requestId} at Jitsu; app stderr:\n${tracked.app.errorOutput}`, 10_000);
  return mine();
}

describeGraphqlApp('a GraphQL app (Mercurius on Fastify, in its own process) with the library', () => ({
  trackedUrl: tracked.url,
  plainUrl: plain.url,
  eventsOf,
}));

describe('a GraphQL subscription on Mercurius, whose WebSocket handshake Fastify routes like any request', () => {
  it('is recorded as that request: 101, lasting as long as the socket, with the events its resolver tracked', async () => {
    const requestId = nextRequestId('mercurius-subscription');
    const client = graphqlWsClient(tracked.url, { 'x-request-id': requestId, 'user-agent': 'orders-watcher/1.0' });
    const received: unknown[] = [];
    const started = performance.now();
    await new Promise<void>((resolve, reject) =>
      client.subscribe({ query: 'subscription { orderUpdates(id: 8) { status } }' }, { next: (value) => received.push(value), error: reject, complete: resolve }),
    );
    await client.dispose();
    const elapsed = performance.now() - started;
    expect(received).toEqual([{ data: { orderUpdates: { status: 'update 0' } } }, { data: { orderUpdates: { status: 'update 1' } } }]);

    const events = await eventsOf(requestId, 2);
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Order Watched']);
    const call = events.find((e) => e.event === 'API Call')!.properties!;
    expect(call).toMatchObject({
      method: 'GET',
      path: '/graphql',
      route: 'Subscription.orderUpdates',
      status_code: 101,
      controller: 'OrderUpdatesResolver',
      handler: 'updates',
      ip_address: '127.0.0.0',
      user_agent: 'orders-watcher/1.0',
    });
    expect(call.duration_ms).toBeGreaterThanOrEqual(2 * UPDATE_GAP_MS - 5);
    expect(call.duration_ms).toBeLessThanOrEqual(elapsed);
  });

  it("a subscription its guard refuses: the handshake's API Call (101) named by it, and a Backend Error (403); the client gets what it gets without the library", async () => {
    const requestId = nextRequestId('mercurius-refused');
    const refusal = async (url: string, headers: Record<string, string>) => {
      const client = graphqlWsClient(url, headers);
      const received: unknown[] = [];
      const outcome = await new Promise<unknown>((resolve) =>
        client.subscribe(
          { query: 'subscription { orderUpdates(id: 403) { status } }' },
          { next: (value) => received.push(value), error: (error) => resolve({ error }), complete: () => resolve('complete') },
        ),
      );
      await client.dispose();
      return { outcome, received };
    };
    const answer = await refusal(tracked.url, { 'x-request-id': requestId });
    expect(answer).toEqual(await refusal(plain.url, {}));
    expect(answer).toMatchObject({ outcome: { error: [{ message: 'Forbidden resource' }] }, received: [] });

    const events = await eventsOf(requestId, 2);
    expect(events.map((e) => [e.event, e.properties!.route, e.properties!.status_code]).sort()).toEqual([
      ['API Call', 'Subscription.orderUpdates', 101],
      ['Backend Error', 'Subscription.orderUpdates', 403],
    ]);
    expect(events.find((e) => e.event === 'API Call')!.properties).toMatchObject({ method: 'GET', path: '/graphql', controller: 'OrderUpdatesResolver', handler: 'updates' });
    expect(events.find((e) => e.event === 'Backend Error')!.properties).toMatchObject({ error_name: 'ForbiddenException' });
  });
});
