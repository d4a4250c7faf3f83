import 'reflect-metadata';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { AnalyticsRecorder } from '../../../lib/testing/index.js';
import { analyticsOrNone } from '../../support/analytics-or-none.js';
import { eventsOf } from '../http/fixture/app-factory.js';
import { describeGraphqlApp } from './fixture/graphql-app-cases.js';
import { ORDERS_TYPE_DEFS, OrdersResolver } from './fixture/orders.resolver.js';

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
      GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, typeDefs: ORDERS_TYPE_DEFS, includeStacktraceInErrorResponses: false }),
    ],
    providers: [OrdersResolver, ...analytics.providers],
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
