import { compileSources, type CompiledSources } from '../../support/compile-sources.js';
import { ListeningAppProcess } from '../../support/listening-app-process.js';
import { until } from '../../support/until.js';
import { FakeJitsuServer } from '../../fake-jitsu/fake-jitsu-server.js';
import type { JsonObject } from '../../fake-jitsu/jitsu-protocol.js';
import { describeGraphqlApp } from './fixture/graphql-app-cases.js';

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

describeGraphqlApp('a GraphQL app (Mercurius on Fastify, in its own process) with the library', () => ({
  trackedUrl: tracked.url,
  plainUrl: plain.url,
  // Batches may reach Jitsu out of order (two in flight): wait for the count, not for the API Call.
  eventsOf: async (requestId, expected) => {
    const mine = () => (fake.events() as WireEvent[]).filter((e) => e.properties?.request_id === requestId);
    await until(() => mine().length >= expected, `${expected} events of ${requestId} at Jitsu; app stderr:\n${tracked.app.errorOutput}`, 10_000);
    return mine();
  },
}));
