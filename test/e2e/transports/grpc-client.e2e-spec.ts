import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { Controller, Get, Inject, Module, NotFoundException, type OnModuleInit, Param, ParseIntPipe } from '@nestjs/common';
import { type ClientGrpc, ClientsModule, Transport } from '@nestjs/microservices';
import { lastValueFrom, type Observable } from 'rxjs';
import type { AnalyticsEvent } from '../../../lib/events/analytics-event.interface.js';
import { nodePublishesHttp2 } from '../../support/http2-channels.js';
import { freePort } from '../../support/server-process.js';
import { eventsOf, nextRequestId, send, startApp, type RunningApp } from '../http/fixture/app-factory.js';

const protoPath = fileURLToPath(new URL('./fixture/orders.proto', import.meta.url));
const ORDERS_CLIENT = 'ORDERS_CLIENT';

interface OrdersClient {
  findOne(request: { id: number }): Observable<{ id: number; status: string }>;
}

/** An HTTP endpoint that asks another service over gRPC, as an API gateway or a BFF does. */
@Controller('orders')
class OrdersGatewayController implements OnModuleInit {
  private orders!: OrdersClient;
  constructor(@Inject(ORDERS_CLIENT) private readonly client: ClientGrpc) {}

  onModuleInit(): void {
    this.orders = this.client.getService<OrdersClient>('OrdersService');
  }

  @Get(':id')
  async one(@Param('id', ParseIntPipe) id: number) {
    try {
      return await lastValueFrom(this.orders.findOne({ id }));
    } catch (error) {
      if ((error as { code?: unknown }).code === grpc.status.NOT_FOUND) throw new NotFoundException(`order ${id}`);
      throw error;
    }
  }
}

/** The orders service on the other end: plain grpc-js, in this process. */
async function ordersService(): Promise<{ url: string; stop(): void }> {
  const definition = protoLoader.loadSync(protoPath);
  const Orders = (grpc.loadPackageDefinition(definition).orders as grpc.GrpcObject).OrdersService as grpc.ServiceClientConstructor;
  const server = new grpc.Server();
  server.addService(Orders.service, {
    FindOne: ({ request }: { request: { id: number } }, answer: grpc.sendUnaryData<object>) =>
      request.id === 404 ? answer({ code: grpc.status.NOT_FOUND, details: 'no such order' }) : answer(null, { id: request.id, status: 'shipped' }),
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve())),
  );
  return { url: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}

const onNodeThatPublishes = (await nodePublishesHttp2()) ? describe : describe.skip;

onNodeThatPublishes("a Nest app calling a gRPC service through ClientGrpc, with outboundHttp on", () => {
  let orders: Awaited<ReturnType<typeof ordersService>>;
  let running: RunningApp;

  beforeAll(async () => {
    orders = await ordersService();
    @Module({
      imports: [ClientsModule.register([{ name: ORDERS_CLIENT, transport: Transport.GRPC, options: { package: 'orders', protoPath, url: orders.url } }])],
      controllers: [OrdersGatewayController],
    })
    class GatewayModule {}
    running = await startApp('express', {
      analytics: { outboundHttp: { enabled: true, services: { [orders.url]: 'orders' } } },
      metadata: { imports: [GatewayModule] },
    });
  });
  afterAll(async () => {
    await running?.close();
    orders?.stop();
  });

  const calls = (events: AnalyticsEvent[]) => events.filter((e) => e.event === 'External API Call').map((e) => e.properties);

  it("records each call as an External API Call of the request that made it, the gRPC status as the call's", async () => {
    const found = nextRequestId('grpc-client-found');
    expect((await send(`${running.url}/orders/7`, { requestId: found })).status).toBe(200);
    const missing = nextRequestId('grpc-client-missing');
    expect((await send(`${running.url}/orders/404`, { requestId: missing })).status).toBe(404);

    expect(calls(await eventsOf(running.recorder!, found))).toEqual([
      expect.objectContaining({ service: 'orders', endpoint: '/orders.OrdersService/FindOne', http_method: 'POST', status_code: 200, success: true }),
    ]);
    const missingEvents = await eventsOf(running.recorder!, missing);
    expect(calls(missingEvents)).toEqual([expect.objectContaining({ service: 'orders', status_code: 404, success: false, error_code: 'NOT_FOUND' })]);
    expect(missingEvents.find((e) => e.event === 'API Call')?.properties).toMatchObject({ route: '/orders/:id', status_code: 404 });
    expect(JSON.stringify(missingEvents)).not.toContain('no such order');
  });
});
