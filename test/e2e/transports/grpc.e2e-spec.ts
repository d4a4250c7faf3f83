import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { type CanActivate, Controller, type ExecutionContext, type INestMicroservice, Injectable, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type ClientGrpc, ClientProxyFactory, GrpcMethod, type MicroserviceOptions, RpcException, Transport } from '@nestjs/microservices';
import { interval, lastValueFrom, type Observable } from 'rxjs';
// From rxjs/operators: the root exports them only since rxjs 7.2 (the lowest-versions smoke runs 7.1).
import { map, take, toArray } from 'rxjs/operators';
import { AnalyticsService, SkipTracking } from '../../../lib/index.js';
import { AnalyticsRecorder } from '../../../lib/testing/index.js';
import { analyticsOrNone } from '../../support/analytics-or-none.js';
import { freePort } from '../../support/server-process.js';

const protoPath = fileURLToPath(new URL('./fixture/orders.proto', import.meta.url));
const WATCH_GAP_MS = 30;

interface Order {
  id: number;
  status: string;
}

/** Refuses order 401 with the gRPC code for it, and order 403 by returning false (Nest answers that). */
@Injectable()
class OrdersGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { id } = context.switchToRpc().getData<{ id: number }>();
    if (id === 401) throw new RpcException({ code: GrpcStatus.UNAUTHENTICATED, message: 'no credentials' });
    return id !== 403;
  }
}

@UseGuards(OrdersGuard)
@Controller()
class OrdersGrpcController {
  constructor(private readonly analytics: AnalyticsService) {}

  @GrpcMethod('OrdersService', 'FindOne')
  findOne(data: { id: number }): Order {
    if (data.id === 404) throw new RpcException({ code: GrpcStatus.NOT_FOUND, message: 'order 404 not found' });
    if (data.id === 0) throw new Error('order 0 is corrupt');
    this.analytics.track('Order Looked Up', { order_id: data.id });
    return { id: data.id, status: 'shipped' };
  }

  @SkipTracking()
  @GrpcMethod('OrdersService', 'Cancel')
  cancel(data: { id: number }): Order {
    return { id: data.id, status: 'cancelled' };
  }

  /** Server streaming: the call lasts until its last message. */
  @GrpcMethod('OrdersService', 'Watch')
  watch(data: { id: number }): Observable<Order> {
    return interval(WATCH_GAP_MS).pipe(
      take(3),
      map((i) => ({ id: data.id, status: ['packed', 'sent', 'delivered'][i] })),
    );
  }
}

interface OrdersClient {
  findOne(request: { id: number }): Observable<Order>;
  cancel(request: { id: number }): Observable<Order>;
  watch(request: { id: number }): Observable<Order>;
}

interface Running {
  app: INestMicroservice;
  orders: OrdersClient;
  close(): Promise<void>;
}

/** A real gRPC microservice, with the library or without it, and a real client. */
async function start(withAnalytics: boolean): Promise<Running> {
  const analytics = analyticsOrNone(withAnalytics);
  @Module({ imports: analytics.imports, controllers: [OrdersGrpcController], providers: [...analytics.providers, OrdersGuard] })
  class GrpcModule {}

  const url = `127.0.0.1:${await freePort()}`;
  const grpc = { package: 'orders', protoPath, url };
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(GrpcModule, { transport: Transport.GRPC, options: grpc, logger: false });
  await app.listen();
  const client = ClientProxyFactory.create({ transport: Transport.GRPC, options: grpc }) as unknown as ClientGrpc & { close(): void };
  return {
    app,
    orders: client.getService<OrdersClient>('OrdersService'),
    close: async () => {
      client.close();
      await app.close();
    },
  };
}

/** What the client gets for a failed call: its gRPC code and details. */
async function failure(call: Observable<unknown>): Promise<{ code: unknown; details: unknown }> {
  const error = await lastValueFrom(call).then(
    () => undefined,
    (e: { code?: unknown; details?: unknown }) => e,
  );
  if (!error) throw new Error('the call did not fail');
  return { code: error.code, details: error.details };
}

describe('a gRPC microservice with the library', () => {
  let running: Running;
  let plain: Running;
  let recorder: AnalyticsRecorder;

  beforeAll(async () => {
    running = await start(true);
    plain = await start(false);
    recorder = running.app.get(AnalyticsRecorder);
  });
  afterAll(async () => {
    await running?.close();
    await plain?.close();
  });
  beforeEach(() => recorder.clear());

  async function recorded() {
    await recorder.waitFor((e) => e.event === 'API Call');
    await recorder.flush();
    return recorder.events();
  }

  it('records a unary call as one API Call named Service/Method, and ties the events tracked inside it to it', async () => {
    expect(await lastValueFrom(running.orders.findOne({ id: 5 }))).toEqual({ id: 5, status: 'shipped' });
    const events = await recorded();
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Order Looked Up']);
    const call = events.find((e) => e.event === 'API Call')!;
    expect(call.properties).toMatchObject({
      method: 'RPC',
      path: 'OrdersService/FindOne',
      route: 'OrdersService/FindOne',
      status_code: 200,
      controller: 'OrdersGrpcController',
      handler: 'findOne',
    });
    expect(events.find((e) => e.event === 'Order Looked Up')!.properties.request_id).toBe(call.properties.request_id);
  });

  it('times a server-streaming call until its last message', async () => {
    const started = performance.now();
    const messages = await lastValueFrom(running.orders.watch({ id: 6 }).pipe(toArray()));
    const elapsed = performance.now() - started;
    expect(messages.map((m) => m.status)).toEqual(['packed', 'sent', 'delivered']);
    const [call] = await recorded();
    expect(call.properties).toMatchObject({ route: 'OrdersService/Watch', status_code: 200, handler: 'watch' });
    expect(call.properties.duration_ms).toBeGreaterThanOrEqual(2 * WATCH_GAP_MS);
    expect(call.properties.duration_ms).toBeLessThanOrEqual(elapsed);
  });

  it.each([
    ['an RpcException with a gRPC code', 404, GrpcStatus.NOT_FOUND, 404],
    ['a plain Error', 0, GrpcStatus.UNKNOWN, 500],
  ])('records %s once, with its code as an HTTP status; the client gets what it gets without the library', async (_what, id, code, httpStatus) => {
    const answer = await failure(running.orders.findOne({ id }));
    expect(answer).toEqual(await failure(plain.orders.findOne({ id })));
    expect(answer.code).toBe(code);
    const events = await recorded();
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);
    expect(events.find((e) => e.event === 'API Call')!.properties).toMatchObject({ route: 'OrdersService/FindOne', status_code: httpStatus });
    expect(events.find((e) => e.event === 'Backend Error')!.properties).toMatchObject({ route: 'OrdersService/FindOne', status_code: httpStatus, method: 'RPC' });
  });

  it.each([
    ['throwing an RpcException with a gRPC code', 401, GrpcStatus.UNAUTHENTICATED, 401],
    ['returning false', 403, GrpcStatus.UNKNOWN, 403],
  ])('records a call its guard refused, %s, as one API Call and one Backend Error named by the method', async (_how, id, code, httpStatus) => {
    const answer = await failure(running.orders.findOne({ id }));
    expect(answer).toEqual(await failure(plain.orders.findOne({ id })));
    expect(answer.code).toBe(code);
    const events = await recorded();
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);
    const call = events.find((e) => e.event === 'API Call')!;
    expect(call.properties).toMatchObject({
      method: 'RPC',
      path: 'OrdersService/FindOne',
      route: 'OrdersService/FindOne',
      status_code: httpStatus,
      controller: 'OrdersGrpcController',
      handler: 'findOne',
    });
    expect(call.properties.duration_ms).toBe(0);
    expect(events.find((e) => e.event === 'Backend Error')!.properties).toMatchObject({ route: 'OrdersService/FindOne', status_code: httpStatus, request_id: call.properties.request_id });
  });

  it("a @SkipTracking() method's refused call is no API Call; its exception is still a Backend Error", async () => {
    expect(await lastValueFrom(running.orders.cancel({ id: 8 }))).toEqual({ id: 8, status: 'cancelled' });
    const answer = await failure(running.orders.cancel({ id: 401 }));
    expect(answer).toEqual(await failure(plain.orders.cancel({ id: 401 })));
    await recorder.waitFor((e) => e.event === 'Backend Error');
    await recorder.flush();
    expect(recorder.events().map((e) => [e.event, e.properties.route, e.properties.status_code])).toEqual([['Backend Error', 'OrdersService/Cancel', 401]]);
  });
});
