import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { credentials, loadPackageDefinition, type ServerDuplexStream, type ServerReadableStream, type sendUnaryData, status as GrpcStatus } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GrpcStreamCall, GrpcStreamMethod, type MicroserviceOptions, Transport } from '@nestjs/microservices';
import type { Observable } from 'rxjs';
import { map } from 'rxjs/operators';
import { AnalyticsService } from '../../../lib/index.js';
import { AnalyticsRecorder } from '../../../lib/testing/index.js';
import { analyticsOrNone } from '../../support/analytics-or-none.js';
import { freePort } from '../../support/server-process.js';

const protoPath = fileURLToPath(new URL('./fixture/orders.proto', import.meta.url));
/** How long the handlers below take to answer after the client's last message. */
const ANSWER_MS = 60;

interface OrderById {
  id: number;
}
interface Order {
  id: number;
  status: string;
}

/**
 * `@GrpcStreamCall()` handlers get grpc-js's own call stream (and a callback, for a
 * client-streaming method) and return at once; they answer later. Order 13 is refused with a gRPC
 * code, emitted on the stream or passed to the callback.
 */
@Controller()
class OrderStreamsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @GrpcStreamCall('OrdersService', 'Chat')
  chat(stream: ServerDuplexStream<OrderById, Order>): void {
    stream.on('data', (request: OrderById) => {
      if (request.id === 13) {
        setTimeout(() => stream.emit('error', { code: GrpcStatus.FAILED_PRECONDITION, details: 'order 13 is on hold' }), ANSWER_MS);
        return;
      }
      this.analytics.track('Order Chatted', { order_id: request.id });
      stream.write({ id: request.id, status: 'seen' });
    });
    stream.on('end', () => setTimeout(() => stream.end(), ANSWER_MS));
  }

  /** The rx form: Nest turns the request stream into an Observable, fed from grpc-js's 'data' events. */
  @GrpcStreamMethod('OrdersService', 'Tally')
  tally(requests: Observable<OrderById>): Observable<Order> {
    return requests.pipe(
      map((request) => {
        this.analytics.track('Order Tallied', { order_id: request.id });
        return { id: request.id, status: 'tallied' };
      }),
    );
  }

  @GrpcStreamCall('OrdersService', 'Total')
  total(stream: ServerReadableStream<OrderById, Order>, callback: sendUnaryData<Order>): void {
    let sum = 0;
    stream.on('data', (request: OrderById) => void (sum += request.id));
    stream.on('end', () =>
      setTimeout(() => {
        if (sum === 13) callback({ code: GrpcStatus.INVALID_ARGUMENT, details: 'unlucky total' });
        else callback(null, { id: sum, status: 'total' });
      }, ANSWER_MS),
    );
  }
}

type Client = {
  chat(): import('@grpc/grpc-js').ClientDuplexStream<OrderById, Order>;
  tally(): import('@grpc/grpc-js').ClientDuplexStream<OrderById, Order>;
  total(callback: (error: { code?: number } | null, value?: Order) => void): import('@grpc/grpc-js').ClientWritableStream<OrderById>;
  close(): void;
};

async function start(): Promise<{ app: INestMicroservice; client: Client; close(): Promise<void> }> {
  const analytics = analyticsOrNone(true);
  @Module({ imports: analytics.imports, controllers: [OrderStreamsController], providers: analytics.providers })
  class StreamsModule {}
  const url = `127.0.0.1:${await freePort()}`;
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(StreamsModule, {
    transport: Transport.GRPC,
    options: { package: 'orders', protoPath, url },
    logger: false,
  });
  await app.listen();
  const definition = loadPackageDefinition(loadSync(protoPath)) as unknown as { orders: { OrdersService: new (url: string, creds: unknown) => Client } };
  const client = new definition.orders.OrdersService(url, credentials.createInsecure());
  return { app, client, close: async () => (client.close(), await app.close()) };
}

function chat(client: Client, ids: number[], method: 'chat' | 'tally' = 'chat'): Promise<{ messages: Order[]; code: number }> {
  return new Promise((resolve) => {
    const messages: Order[] = [];
    const stream = client[method]();
    stream.on('data', (m: Order) => messages.push(m));
    stream.on('error', (e: { code: number }) => resolve({ messages, code: e.code }));
    stream.on('status', (s: { code: number }) => s.code === GrpcStatus.OK && resolve({ messages, code: s.code }));
    for (const id of ids) stream.write({ id });
    stream.end();
  });
}

function total(client: Client, ids: number[]): Promise<{ value?: Order; code: number }> {
  return new Promise((resolve) => {
    const stream = client.total((error, value) => resolve({ value, code: error?.code ?? GrpcStatus.OK }));
    for (const id of ids) stream.write({ id });
    stream.end();
  });
}

describe('gRPC stream handlers with the library', () => {
  let running: Awaited<ReturnType<typeof start>>;
  let recorder: AnalyticsRecorder;

  beforeAll(async () => {
    running = await start();
    recorder = running.app.get(AnalyticsRecorder);
  });
  afterAll(() => running?.close());
  beforeEach(() => recorder.clear());

  async function recorded() {
    await recorder.waitFor((e) => e.event === 'API Call');
    await recorder.flush();
    return recorder.events();
  }

  it('times a bidirectional stream call until its answer is over, and ties the events tracked in its listeners to it', async () => {
    const answer = await chat(running.client, [1, 2]);
    expect(answer).toEqual({ messages: [{ id: 1, status: 'seen' }, { id: 2, status: 'seen' }], code: GrpcStatus.OK });
    const events = await recorded();
    const call = events.find((e) => e.event === 'API Call')!;
    expect(call.properties).toMatchObject({ method: 'RPC', route: 'OrdersService/Chat', status_code: 200, handler: 'chat' });
    expect(call.properties.duration_ms).toBeGreaterThanOrEqual(ANSWER_MS - 5);
    expect(events.filter((e) => e.event === 'Order Chatted').map((e) => e.properties.request_id)).toEqual([call.properties.request_id, call.properties.request_id]);
  });

  it('records an error the handler emits on the stream: its gRPC code as the status, and a Backend Error', async () => {
    expect((await chat(running.client, [13])).code).toBe(GrpcStatus.FAILED_PRECONDITION);
    const events = await recorded();
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);
    expect(events.find((e) => e.event === 'API Call')!.properties).toMatchObject({ route: 'OrdersService/Chat', status_code: 400 });
    expect(events.find((e) => e.event === 'Backend Error')!.properties).toMatchObject({ error_source: 'api', status_code: 400, route: 'OrdersService/Chat' });
  });

  it('times a client-streaming call until its callback answers, and records an error passed to it', async () => {
    expect(await total(running.client, [4, 5])).toEqual({ value: { id: 9, status: 'total' }, code: GrpcStatus.OK });
    const [ok] = await recorded();
    expect(ok!.properties).toMatchObject({ route: 'OrdersService/Total', status_code: 200, handler: 'total' });
    expect(ok!.properties.duration_ms).toBeGreaterThanOrEqual(ANSWER_MS - 5);

    recorder.clear();
    expect((await total(running.client, [6, 7])).code).toBe(GrpcStatus.INVALID_ARGUMENT);
    const events = await recorded();
    expect(events.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);
    expect(events.find((e) => e.event === 'API Call')!.properties).toMatchObject({ route: 'OrdersService/Total', status_code: 400 });
  });

  it('records a call the client cancels before the answer as 499, with no Backend Error', async () => {
    const stream = running.client.chat();
    stream.on('error', () => undefined);
    stream.write({ id: 3 });
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    stream.cancel();
    const events = await recorded();
    expect(events.filter((e) => e.event !== 'Order Chatted').map((e) => [e.event, e.properties.status_code])).toEqual([['API Call', 499]]);
  });

  it('ties the events a @GrpcStreamMethod handler tracks as request messages arrive to its call', async () => {
    const answer = await chat(running.client, [7, 8], 'tally');
    expect(answer.messages.map((m) => m.status)).toEqual(['tallied', 'tallied']);
    const events = await recorded();
    const call = events.find((e) => e.event === 'API Call')!;
    expect(call.properties).toMatchObject({ route: 'OrdersService/Tally', status_code: 200, handler: 'tally' });
    expect(events.filter((e) => e.event === 'Order Tallied').map((e) => e.properties.request_id)).toEqual([call.properties.request_id, call.properties.request_id]);
  });
});
