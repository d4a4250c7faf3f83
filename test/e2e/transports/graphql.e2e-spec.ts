import 'reflect-metadata';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type INestApplication, Module, NotFoundException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Args, GraphQLModule, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnalyticsService } from '../../../lib/index.js';
import { AnalyticsRecorder } from '../../../lib/testing/index.js';
import { analyticsOrNone } from '../../support/analytics-or-none.js';
import { eventsOf, nextRequestId, send } from '../http/fixture/app-factory.js';

const typeDefs = `
  type Customer { name: String! }
  type Order { id: Int!, status: String!, customer: Customer! }
  type Query { order(id: Int!): Order }
  type Mutation { cancelOrder(id: Int!): Order }
`;

@Resolver('Order')
class OrdersResolver {
  constructor(private readonly analytics: AnalyticsService) {}

  @Query('order')
  order(@Args('id') id: number) {
    if (id === 404) throw new NotFoundException(`order ${id} not found`);
    this.analytics.track('Order Looked Up', { order_id: id });
    return { id, status: 'shipped' };
  }

  /** A nested field: part of the query's call, not a call of its own. */
  @ResolveField('customer')
  customer() {
    return { name: 'Ada' };
  }

  @Mutation('cancelOrder')
  cancel(@Args('id') id: number) {
    if (id === 0) throw new Error('order 0 cannot be cancelled');
    return { id, status: 'cancelled' };
  }
}

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
      GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, typeDefs, includeStacktraceInErrorResponses: false }),
    ],
    providers: [OrdersResolver, ...analytics.providers],
  })
  class GraphqlModule {}

  const app = await NestFactory.create(GraphqlModule, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
  return { app, url, recorder: withAnalytics ? app.get(AnalyticsRecorder) : undefined };
}

async function ask(url: string, query: string, requestId?: string): Promise<{ status: number; body: string }> {
  const { status, body } = await send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }), requestId });
  return { status, body: body.toString() };
}

describe('a GraphQL app (Apollo, Express) with the library', () => {
  let running: Running;
  let plain: Running;

  beforeAll(async () => {
    running = await start(true);
    plain = await start(false);
  });
  afterAll(async () => {
    await running?.app.close();
    await plain?.app.close();
  });

  it("records a query as its request's API Call, named by its root field (nested fields add none), and ties the resolver's events to it", async () => {
    const requestId = nextRequestId('graphql-query');
    const answer = await ask(running.url, '{ order(id: 5) { id status customer { name } } }', requestId);
    expect(answer).toEqual({ status: 200, body: expect.any(String) });
    expect(JSON.parse(answer.body)).toEqual({ data: { order: { id: 5, status: 'shipped', customer: { name: 'Ada' } } } });

    const events = await eventsOf(running.recorder!, requestId);
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Order Looked Up']);
    expect(events.find((e) => e.event === 'API Call')!.properties).toMatchObject({
      method: 'POST',
      path: '/graphql',
      route: 'Query.order',
      status_code: 200,
      controller: 'OrdersResolver',
      handler: 'order',
    });
    expect(events.find((e) => e.event === 'Order Looked Up')!.properties).toMatchObject({ order_id: 5 });
  });

  it('names a mutation by its root field too', async () => {
    const requestId = nextRequestId('graphql-mutation');
    const answer = await ask(running.url, 'mutation { cancelOrder(id: 3) { id status } }', requestId);
    expect(JSON.parse(answer.body)).toEqual({ data: { cancelOrder: { id: 3, status: 'cancelled' } } });
    const events = await eventsOf(running.recorder!, requestId);
    expect(events.map((e) => e.event)).toEqual(['API Call']);
    expect(events[0].properties).toMatchObject({ method: 'POST', route: 'Mutation.cancelOrder', handler: 'cancel', status_code: 200 });
  });

  it.each([
    ['an HttpException', '{ order(id: 404) { id } }', 'NotFoundException', 'Query.order'],
    ['a plain Error', 'mutation { cancelOrder(id: 0) { id } }', 'Error', 'Mutation.cancelOrder'],
  ])("records %s from a resolver once, as a Backend Error, and answers byte for byte as the app without the library", async (_what, query, errorName, route) => {
    const requestId = nextRequestId('graphql-error');
    const answer = await ask(running.url, query, requestId);
    expect(answer).toEqual(await ask(plain.url, query));

    const events = await eventsOf(running.recorder!, requestId);
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);
    expect(events.find((e) => e.event === 'Backend Error')!.properties).toMatchObject({ error_source: 'api', error_name: errorName, route });
    expect(events.find((e) => e.event === 'API Call')!.properties).toMatchObject({ route, status_code: answer.status });
  });
});
