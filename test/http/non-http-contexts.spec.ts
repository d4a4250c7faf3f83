import 'reflect-metadata';
import { EventEmitter } from 'node:events';
import { NotFoundException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { InterceptorsConsumer } from '@nestjs/core/interceptors/interceptors-consumer.js';
import { RpcException } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { AnalyticsExceptionFilter } from '../../lib/http/analytics-exception.filter.js';
import { ApiTrackingInterceptor } from '../../lib/http/api-tracking.interceptor.js';
import type { ShadowedFilters } from '../../lib/http/shadowed-filters.js';
import { apiTrackerFor } from '../../lib/http/api-tracker.registry.js';
import { recordApiException, SkipTracking, type ApiTrackingOptions } from '../../lib/index.js';
import { memoryAnalytics } from '../support/memory-analytics.js';

/** Handlers as microservice controllers, gateways and resolvers declare them. */
class OrdersHandlers {
  constructor(private readonly onCall: () => void = () => undefined) {}
  created(data?: { id?: number } | null) {
    this.onCall();
    return { seen: data?.id };
  }
  watch(_client: unknown, data: { id: number }) {
    return { seen: data.id };
  }
  failing() {
    throw new NotFoundException('order not found');
  }
  @SkipTracking()
  quiet() {
    return 'quiet';
  }
  /** A subscription resolver's stream that cannot be opened. */
  unopenable() {
    return UNOPENABLE_STREAM;
  }
}
const UNOPENABLE_STREAM = {
  [Symbol.asyncIterator]() {
    throw new Error('the stream cannot be opened');
  },
};
Reflect.defineMetadata('microservices:pattern', ['orders.*.created'], OrdersHandlers.prototype.created);
Reflect.defineMetadata('message', 'orders.watch', OrdersHandlers.prototype.watch);

type ContextType = 'rpc' | 'ws' | 'graphql';

function setup(api: ApiTrackingOptions = {}) {
  const memory = memoryAnalytics({ api });
  const tracker = apiTrackerFor(memory.analytics.core);
  const interceptor = new ApiTrackingInterceptor(tracker);
  const consumer = new InterceptorsConsumer();
  /** Runs a handler through the interceptor the way Nest does for `type`, with the context Nest builds. */
  const run = async (type: ContextType, instance: OrdersHandlers, method: keyof OrdersHandlers, args: unknown[]) => {
    const callback = instance[method] as (...a: unknown[]) => unknown;
    const result = await consumer.intercept([interceptor], args, instance, callback, async () => callback.apply(instance, args), type);
    return lastValueFrom(result as never);
  };
  return { ...memory, tracker, run };
}

const graphqlInfo = (field: string, prev?: object) => ({
  fieldName: field,
  parentType: { name: 'Query' },
  operation: { operation: 'query' },
  path: { key: field, prev },
});

describe('the interceptor on microservice (rpc) handlers', () => {
  it("records an API Call named by the declared pattern, with the transport's concrete subject as path", async () => {
    const { run, delivered } = setup();
    const result = await run('rpc', new OrdersHandlers(), 'created', [{ id: 7 }, { getSubject: () => 'orders.7.created' }]);
    expect(result).toEqual({ seen: 7 });
    const [api] = await delivered();
    expect(api.event).toBe('API Call');
    expect(api.properties).toMatchObject({
      method: 'RPC',
      path: 'orders.7.created',
      route: 'orders.*.created',
      status_code: 200,
      controller: 'OrdersHandlers',
      handler: 'created',
    });
    expect(api.properties.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('events tracked by the handler carry the call’s request id', async () => {
    const memory = memoryAnalytics();
    const tracker = apiTrackerFor(memory.analytics.core);
    const handlers = new OrdersHandlers(() => memory.analytics.track('Inside Handler'));
    const callback = handlers.created as (...a: unknown[]) => unknown;
    const args = [{ id: 1 }, { getPattern: () => 'orders.1.created' }];
    const stream = await new InterceptorsConsumer().intercept([new ApiTrackingInterceptor(tracker)], args, handlers, callback, async () => callback.apply(handlers, args), 'rpc');
    await lastValueFrom(stream as never);
    const events = await memory.delivered();
    const inside = events.find((e) => e.event === 'Inside Handler')!;
    const api = events.find((e) => e.event === 'API Call')!;
    expect(inside.properties.request_id).toBe(api.properties.request_id);
  });

  it('a handler that throws: the error passes through untouched, one Backend Error even when the filter sees it too', async () => {
    const { run, delivered, analytics } = setup();
    const args = [{ id: 1 }, { getPattern: () => ({ cmd: 'fail', v: 1 }) }];
    const thrown = await run('rpc', new OrdersHandlers(), 'failing', args).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(NotFoundException);
    const host = new ExecutionContextHost(args);
    host.setType('rpc');
    recordApiException(analytics, thrown, host);
    const events = await delivered();
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);
    const api = events.find((e) => e.event === 'API Call')!;
    expect(api.properties).toMatchObject({ path: '{"cmd":"fail","v":1}', status_code: 404 });
    expect(events.find((e) => e.event === 'Backend Error')!.properties).toMatchObject({ error_name: 'NotFoundException', status_code: 404, method: 'RPC' });
  });

  it('sampleRate 0 drops successful calls and keeps every failed one, with its Backend Error', async () => {
    const { run, delivered } = setup({ sampleRate: 0 });
    await run('rpc', new OrdersHandlers(), 'created', [{ id: 1 }, { getPattern: () => 'orders.1.created' }]);
    await expect(run('rpc', new OrdersHandlers(), 'failing', [{ id: 2 }, { getPattern: () => 'orders.fail' }])).rejects.toThrow('order not found');
    expect((await delivered()).map((e) => [e.event, e.properties.status_code]).sort()).toEqual([
      ['API Call', 404],
      ['Backend Error', 404],
    ]);
  });

  it("a call the interceptor never saw (a guard refused it) is recorded by the filter: a Backend Error and an API Call that failed at once", async () => {
    const { analytics, delivered } = setup();
    const host = new ExecutionContextHost([{}, { getPattern: () => 'orders.guarded' }]);
    host.setType('rpc');
    recordApiException(analytics, new Error('forbidden by guard'), host);
    const events = await delivered();
    expect(events.map((e) => e.event)).toEqual(['Backend Error', 'API Call']);
    expect(events[0].properties).toMatchObject({ error_source: 'api', error_message: 'forbidden by guard', route: 'orders.guarded', status_code: 500 });
    expect(events[1].properties).toMatchObject({ method: 'RPC', path: 'orders.guarded', route: 'orders.guarded', status_code: 500 });
    expect(events[1].properties.duration_ms).toBe(0);
    expect(events[1].properties.request_id).toBe(events[0].properties.request_id);
  });

  it("a guard's refusal (Nest's RpcException 'Forbidden resource') is a 403", async () => {
    const { analytics, delivered } = setup();
    const host = new ExecutionContextHost([{}, { getPattern: () => 'orders.guarded' }]);
    host.setType('rpc');
    recordApiException(analytics, new RpcException('Forbidden resource'), host);
    expect((await delivered()).map((e) => [e.event, e.properties.status_code])).toEqual([
      ['Backend Error', 403],
      ['API Call', 403],
    ]);
  });

  it("contexts.rpc 'skip': a refused call is no API Call, its exception still a Backend Error", async () => {
    const { analytics, delivered } = setup({ contexts: { rpc: 'skip' } });
    const host = new ExecutionContextHost([{}, { getPattern: () => 'orders.guarded' }]);
    host.setType('rpc');
    recordApiException(analytics, new Error('forbidden by guard'), host);
    expect((await delivered()).map((e) => e.event)).toEqual(['Backend Error']);
  });

  it.each([
    ['a thrown string', 'order 3 is locked'],
    ['a thrown error', new Error('order 3 is locked')],
  ])('%s that the interceptor saw and then the filter is recorded once', async (_what, thrown) => {
    const { run, delivered, analytics } = setup();
    const args = [{ id: 3 }, { getPattern: () => 'orders.3.created' }];
    const instance = new OrdersHandlers(() => {
      throw thrown;
    });
    await expect(run('rpc', instance, 'created', args)).rejects.toBe(thrown);
    const host = new ExecutionContextHost(args);
    host.setType('rpc');
    recordApiException(analytics, thrown, host);
    expect((await delivered()).map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);
  });

  it('an error thrown around the interceptor after the handler succeeded (an outer interceptor) is still recorded, once', async () => {
    const { run, delivered, analytics } = setup();
    const args = [{ id: 5 }, { getPattern: () => 'orders.5.created' }];
    await run('rpc', new OrdersHandlers(), 'created', args);
    const host = new ExecutionContextHost(args);
    host.setType('rpc');
    const outer = new Error('the outer interceptor failed');
    recordApiException(analytics, outer, host);
    recordApiException(analytics, outer, host);
    expect((await delivered()).map((e) => [e.event, e.properties.status_code])).toEqual([
      ['API Call', 200],
      ['Backend Error', 500],
    ]);
  });

  it("contexts.rpc 'skip': the handler runs, nothing is recorded", async () => {
    const { run, delivered } = setup({ contexts: { rpc: 'skip' } });
    expect(await run('rpc', new OrdersHandlers(), 'created', [{ id: 2 }, {}])).toEqual({ seen: 2 });
    expect(await delivered()).toEqual([]);
  });

  it('@SkipTracking() applies to microservice handlers too', async () => {
    const { run, delivered } = setup();
    expect(await run('rpc', new OrdersHandlers(), 'quiet', [{}, {}])).toBe('quiet');
    expect(await delivered()).toEqual([]);
  });
});

describe('the interceptor on gateway (ws) handlers', () => {
  it('records the event, the client address after ipPolicy and its user agent', async () => {
    const { run, delivered } = setup();
    const client = { handshake: { address: '198.51.100.23', headers: { 'user-agent': 'socket-test' } } };
    expect(await run('ws', new OrdersHandlers(), 'watch', [client, { id: 3 }, 'orders.watch'])).toEqual({ seen: 3 });
    const [api] = await delivered();
    expect(api.properties).toMatchObject({
      method: 'WS',
      path: 'orders.watch',
      route: 'orders.watch',
      ip_address: '198.51.100.0',
      user_agent: 'socket-test',
      status_code: 200,
      handler: 'watch',
    });
  });

  it("contexts.ws 'skip'", async () => {
    const { run, delivered } = setup({ contexts: { ws: 'skip' } });
    await run('ws', new OrdersHandlers(), 'created', [{}, { id: 3 }, 'orders.watch']);
    expect(await delivered()).toEqual([]);
  });
});

describe('the interceptor on resolvers (graphql)', () => {
  it('a root field outside any HTTP request is its own call, named Type.field', async () => {
    const { run, delivered } = setup();
    await run('graphql', new OrdersHandlers(), 'created', [undefined, { id: 4 }, {}, graphqlInfo('order')]);
    const [api] = await delivered();
    expect(api.properties).toMatchObject({ method: 'QUERY', path: 'Query.order', route: 'Query.order', status_code: 200 });
  });

  it('a nested field resolver is part of its operation: not a call of its own', async () => {
    const { run, delivered } = setup();
    await run('graphql', new OrdersHandlers(), 'created', [{}, { id: 4 }, {}, graphqlInfo('total', { key: 'order' })]);
    expect(await delivered()).toEqual([]);
  });

  it('over HTTP the request is the call: one API Call with the root field as route and the resolver error as Backend Error', async () => {
    const { run, delivered, tracker } = setup();
    const req = { method: 'POST', url: '/graphql', headers: {}, socket: { remoteAddress: '127.0.0.1' } };
    const res = Object.assign(new EventEmitter(), { statusCode: 200 });
    tracker.begin(req, res, true);
    const gqlContext = { req };
    const thrown = await run('graphql', new OrdersHandlers(), 'failing', [undefined, {}, gqlContext, graphqlInfo('order')]).catch((e: unknown) => e);
    const host = new ExecutionContextHost([undefined, {}, gqlContext, graphqlInfo('order')]);
    host.setType('graphql');
    recordApiException({ core: tracker.core }, thrown, host);
    res.emit('close');
    const events = await delivered();
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);
    expect(events.find((e) => e.event === 'API Call')!.properties).toMatchObject({
      method: 'POST',
      path: '/graphql',
      route: 'Query.order',
      status_code: 200,
      controller: 'OrdersHandlers',
      handler: 'failing',
    });
    expect(events.find((e) => e.event === 'Backend Error')!.properties).toMatchObject({ error_name: 'NotFoundException', status_code: 404, route: 'Query.order' });
  });

  it("over HTTP a resolver error that an app's own filter answers (the library's filter never sees it) is still the request's Backend Error", async () => {
    const { run, delivered, tracker } = setup();
    const req = { method: 'POST', url: '/graphql', headers: {}, socket: { remoteAddress: '127.0.0.1' } };
    const res = Object.assign(new EventEmitter(), { statusCode: 200 });
    tracker.begin(req, res, true);
    await expect(run('graphql', new OrdersHandlers(), 'failing', [undefined, {}, { req }, graphqlInfo('order')])).rejects.toThrow('order not found');
    res.emit('close');
    const events = await delivered();
    expect(events.map((e) => [e.event, e.properties.route, e.properties.status_code])).toEqual([
      ['API Call', 'Query.order', 200],
      ['Backend Error', 'Query.order', 404],
    ]);
  });

  it('over HTTP a @SkipTracking() root resolver skips the request’s API Call', async () => {
    const { run, delivered, tracker } = setup();
    const req = { method: 'POST', url: '/graphql', headers: {}, socket: { remoteAddress: '127.0.0.1' } };
    const res = Object.assign(new EventEmitter(), { statusCode: 200 });
    tracker.begin(req, res, true);
    expect(await run('graphql', new OrdersHandlers(), 'quiet', [undefined, {}, { req }, graphqlInfo('quiet')])).toBe('quiet');
    res.emit('close');
    expect(await delivered()).toEqual([]);
  });

  it('a subscription whose resolver returns no stream, or one that fails to open, is a call that ends at once; the result passes through untouched', async () => {
    const { run, delivered } = setup();
    const subscription = { ...graphqlInfo('orderUpdates'), parentType: { name: 'Subscription' }, operation: { operation: 'subscription' } };
    expect(await run('graphql', new OrdersHandlers(), 'created', [{ id: 4 }, {}, {}, subscription])).toEqual({ seen: 4 });
    expect(await run('graphql', new OrdersHandlers(), 'unopenable', [undefined, {}, {}, subscription])).toBe(UNOPENABLE_STREAM);
    const calls = await delivered();
    expect(calls.map((e) => [e.event, e.properties.method, e.properties.route, e.properties.status_code, e.properties.handler])).toEqual([
      ['API Call', 'SUBSCRIPTION', 'Subscription.orderUpdates', 200, 'created'],
      ['API Call', 'SUBSCRIPTION', 'Subscription.orderUpdates', 200, 'unopenable'],
    ]);
  });

  it("contexts.graphql 'skip'", async () => {
    const { run, delivered } = setup({ contexts: { graphql: 'skip' } });
    await run('graphql', new OrdersHandlers(), 'created', [undefined, {}, {}, graphqlInfo('order')]);
    expect(await delivered()).toEqual([]);
  });
});

describe('the exception filter on microservice calls', () => {
  const rpcHost = () => {
    const host = new ExecutionContextHost([{}, { getPattern: () => 'orders.created' }]);
    host.setType('rpc');
    return host;
  };

  it('records the exception and returns nothing, so the transport answers it as it would without the library', async () => {
    const { analytics, delivered } = setup();
    const filter = new AnalyticsExceptionFilter(analytics);
    expect(filter.catch(new Error('guard failed'), rpcHost())).toBeUndefined();
    expect((await delivered()).map((e) => [e.event, e.properties.route])).toEqual([
      ['Backend Error', 'orders.created'],
      ['API Call', 'orders.created'],
    ]);
  });

  it("hands an exception the app's own APP_FILTER catches to that filter, and returns its answer", async () => {
    const { analytics, delivered } = setup();
    const appFilter = { catch: (exception: unknown) => ({ answeredBy: 'app', exception }) };
    const filter = new AnalyticsExceptionFilter(analytics, undefined, { catching: () => appFilter } as unknown as ShadowedFilters);
    const error = new Error('guard failed');
    expect(filter.catch(error, rpcHost())).toEqual({ answeredBy: 'app', exception: error });
    expect((await delivered()).map((e) => e.event)).toEqual(['Backend Error', 'API Call']);
  });
});

describe('the interceptor never crashes on what other transports hand it', () => {
  const odd: Array<[ContextType | 'kafka-custom', unknown[]]> = [
    ['rpc', []],
    ['rpc', [undefined, null]],
    ['rpc', [{}, { getPattern: () => { throw new Error('broken context'); } }]],
    ['ws', [null, undefined]],
    ['ws', [{ handshake: null }, {}, { not: 'a string' }]],
    ['graphql', []],
    ['graphql', [null, null, null, { fieldName: 42, parentType: null, path: 'nope' }]],
    ['kafka-custom', [1, 2, 3]],
  ];

  it.each(odd)('%s with %p', async (type, args) => {
    const { run } = setup();
    await expect(run(type as ContextType, new OrdersHandlers(), 'created', args)).resolves.toEqual({ seen: undefined });
  });
});
