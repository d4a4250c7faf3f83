import 'reflect-metadata';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { Client } from 'graphql-ws';
import { AnalyticsRecorder } from '../../../lib/testing/index.js';
import { analyticsOrNone } from '../../support/analytics-or-none.js';
import { eventsOf } from '../http/fixture/app-factory.js';
import { describeGraphqlApp } from './fixture/graphql-app-cases.js';
import { graphqlWsClient } from './fixture/graphql-ws-client.js';
import { ORDER_UPDATES_TYPE_DEFS, ORDERS_TYPE_DEFS, OrdersResolver, OrderUpdatesGuard, OrderUpdatesResolver, UPDATE_GAP_MS } from './fixture/orders.resolver.js';

interface Running {
  app: INestApplication;
  url: string;
  recorder?: AnalyticsRecorder;
}

/** A GraphQL app (Apollo on Express, schema first), with the library or without it. */
async function start(withAnalytics: boolean): Promise<Running> {
  const analytics = analyticsOrNone(withAnalytics);
  @Module({
    imports: [
      ...analytics.imports,
      // No stack traces in answers: the two apps' bodies are compared byte for byte.
      GraphQLModule.forRoot<ApolloDriverConfig>({
        driver: ApolloDriver,
        typeDefs: [ORDERS_TYPE_DEFS, ORDER_UPDATES_TYPE_DEFS],
        includeStacktraceInErrorResponses: false,
        subscriptions: { 'graphql-ws': true },
      }),
    ],
    providers: [OrdersResolver, OrderUpdatesResolver, OrderUpdatesGuard, ...analytics.providers],
  })
  class GraphqlModule {}

  const app = await NestFactory.create(GraphqlModule, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
  return { app, url, recorder: withAnalytics ? app.get(AnalyticsRecorder) : undefined };
}

let tracked: Running;
let plain: Running;

beforeAll(async () => {
  tracked = await start(true);
  plain = await start(false);
});
afterAll(async () => {
  await tracked?.app.close();
  await plain?.app.close();
});

describeGraphqlApp('a GraphQL app (Apollo, Express) with the library', () => ({
  trackedUrl: tracked.url,
  plainUrl: plain.url,
  // The recorder delivers in order: once the API Call is in, so is everything tracked before it.
  eventsOf: (requestId) => eventsOf(tracked.recorder!, requestId),
}));

describe('GraphQL subscriptions over graphql-ws (Apollo) with the library', () => {
  const clients: Client[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
  });

  function subscribe(app: Running, query: string, take = Number.POSITIVE_INFINITY) {
    const client = graphqlWsClient(app.url, { 'user-agent': 'orders-watcher/1.0' });
    clients.push(client);
    const received: unknown[] = [];
    const ended = new Promise<{ error?: unknown }>((resolve) => {
      const unsubscribe = client.subscribe(
        { query },
        {
          next: (value) => {
            received.push(value);
            if (received.length >= take) {
              unsubscribe();
              resolve({});
            }
          },
          error: (error) => resolve({ error }),
          complete: () => resolve({}),
        },
      );
    });
    return { received, ended };
  }

  async function apiCallOf(recorder: AnalyticsRecorder, handler: string) {
    const call = await recorder.waitFor((e) => e.event === 'API Call' && e.properties.handler === handler);
    await recorder.flush();
    return { call, events: recorder.events().filter((e) => e.properties.request_id === call.properties.request_id) };
  }

  beforeEach(() => tracked.recorder!.clear());

  it('records a subscription as one API Call lasting until its stream ends, with the socket\'s client, and ties the events its resolver tracks to it', async () => {
    const started = performance.now();
    const { received, ended } = subscribe(tracked, 'subscription { orderUpdates(id: 3) { id status } }');
    expect(await ended).toEqual({});
    const elapsed = performance.now() - started;
    expect(received).toEqual([
      { data: { orderUpdates: { id: 3, status: 'update 0' } } },
      { data: { orderUpdates: { id: 3, status: 'update 1' } } },
    ]);

    const { call, events } = await apiCallOf(tracked.recorder!, 'updates');
    expect(call.properties).toMatchObject({
      method: 'SUBSCRIPTION',
      path: '/graphql',
      route: 'Subscription.orderUpdates',
      status_code: 200,
      controller: 'OrderUpdatesResolver',
      ip_address: '127.0.0.0',
      user_agent: 'orders-watcher/1.0',
    });
    expect(call.properties.duration_ms).toBeGreaterThanOrEqual(2 * UPDATE_GAP_MS - 5);
    expect(call.properties.duration_ms).toBeLessThanOrEqual(elapsed);
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Order Watched']);
  });

  it('ends the call when the client unsubscribes', async () => {
    const { received, ended } = subscribe(tracked, 'subscription { orderUpdates(id: 4, forever: true) { status } }', 3);
    await ended;
    expect(received).toHaveLength(3);
    const { call } = await apiCallOf(tracked.recorder!, 'updates');
    expect(call.properties).toMatchObject({ route: 'Subscription.orderUpdates', status_code: 200 });
    expect(call.properties.duration_ms).toBeGreaterThanOrEqual(3 * UPDATE_GAP_MS - 5);
  });

  it('records a stream that fails once, as a failed API Call and a Backend Error; the client gets what it gets without the library', async () => {
    const query = 'subscription { orderUpdates(id: 5, failAfter: 1) { status } }';
    const [answer, plainAnswer] = await Promise.all([subscribe(tracked, query), subscribe(plain, query)].map(async ({ received, ended }) => ({ ...(await ended), received })));
    expect(answer).toEqual(plainAnswer);
    expect(answer).toEqual({ received: [{ data: { orderUpdates: { status: 'update 0' } } }], error: [{ message: 'order 5 updates failed' }] });

    const { call, events } = await apiCallOf(tracked.recorder!, 'updates');
    expect(call.properties).toMatchObject({ route: 'Subscription.orderUpdates', status_code: 500 });
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error', 'Order Watched']);
    expect(events.find((e) => e.event === 'Backend Error')!.properties).toMatchObject({ error_message: 'order 5 updates failed', route: 'Subscription.orderUpdates' });
  });

  it('records a subscription its guard refused as one API Call (403, named by its resolver) and one Backend Error; the client gets what it gets without the library', async () => {
    const query = 'subscription { orderUpdates(id: 403) { status } }';
    const [answer, plainAnswer] = await Promise.all([subscribe(tracked, query), subscribe(plain, query)].map(async ({ received, ended }) => ({ ...(await ended), received })));
    expect(answer).toEqual(plainAnswer);
    expect(answer).toMatchObject({ received: [{ errors: [{ message: 'Forbidden resource', path: ['orderUpdates'] }] }] });

    const { call, events } = await apiCallOf(tracked.recorder!, 'updates');
    expect(call.properties).toMatchObject({
      method: 'SUBSCRIPTION',
      path: '/graphql',
      route: 'Subscription.orderUpdates',
      status_code: 403,
      controller: 'OrderUpdatesResolver',
      user_agent: 'orders-watcher/1.0',
    });
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);
    expect(events.find((e) => e.event === 'Backend Error')!.properties).toMatchObject({ error_name: 'ForbiddenException', status_code: 403, route: 'Subscription.orderUpdates' });
  });
});
