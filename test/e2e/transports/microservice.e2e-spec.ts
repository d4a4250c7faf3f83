import 'reflect-metadata';
import {
  type ArgumentsHost,
  type CanActivate,
  Catch,
  Controller,
  Injectable,
  type INestApplication,
  type INestMicroservice,
  Module,
  NotFoundException,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BaseRpcExceptionFilter, ClientProxyFactory, type ClientProxy, EventPattern, MessagePattern, Payload, RpcException, Transport } from '@nestjs/microservices';
import { lastValueFrom, type Observable } from 'rxjs';
import { AnalyticsInterceptor, AnalyticsService, type ApiTrackingOptions, recordApiException, SkipTracking } from '../../../lib/index.js';
import type { AnalyticsEvent } from '../../../lib/events/analytics-event.interface.js';
import { AnalyticsRecorder } from '../../../lib/testing/index.js';
import { analyticsOrNone } from '../../support/analytics-or-none.js';
import { freePort } from '../../support/server-process.js';

/** Where the handlers report what they saw, so a test can tell an event was fired and handled. */
@Injectable()
class Seen {
  readonly created: unknown[] = [];
}

/** Lets no message through: Nest answers the refusal itself. */
@Injectable()
class ClosedGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Controller()
class OrderMessages {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly seen: Seen,
  ) {}

  @MessagePattern('orders.get')
  get(@Payload() data: { id: number }) {
    this.analytics.track('Order Looked Up', { order_id: data.id });
    return { id: data.id, status: 'shipped' };
  }

  @MessagePattern({ cmd: 'orders.refuse' })
  refuse() {
    throw new RpcException({ code: 'ORDER_LOCKED', message: 'order 7 is locked' });
  }

  @MessagePattern('orders.missing')
  missing() {
    throw new NotFoundException('order 9 not found');
  }

  @UseGuards(ClosedGuard)
  @MessagePattern('orders.archive')
  archive() {
    return 'archived';
  }

  @MessagePattern('orders.corrupt')
  corrupt() {
    // Some code throws what is not an Error; it is counted all the same, and once.
    throw 'order 5 is corrupt';
  }

  @EventPattern('orders.created')
  created(@Payload() data: { id: number }) {
    this.seen.created.push(data);
  }

  @SkipTracking()
  @MessagePattern('orders.quiet')
  quiet() {
    return 'quiet';
  }
}

/** The README's recipe for what no global filter sees where NestJS gives none: a guard's refusal. */
@Catch()
class RecordingRpcFilter extends BaseRpcExceptionFilter {
  constructor(private readonly analytics: AnalyticsService) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): Observable<unknown> {
    recordApiException(this.analytics, exception, host);
    return super.catch(exception, host);
  }
}

/** A controller of a microservice that asks for the library's interceptor itself. */
@UseInterceptors(AnalyticsInterceptor)
@UseFilters(RecordingRpcFilter)
@Controller()
class InvoiceMessages {
  @MessagePattern('invoices.get')
  get(@Payload() data: { id: number }) {
    return { id: data.id, total: 12 };
  }

  @MessagePattern('invoices.refuse')
  refuse() {
    throw new RpcException('invoice 3 is void');
  }

  @UseGuards(ClosedGuard)
  @MessagePattern('invoices.void')
  voidInvoice() {
    return 'voided';
  }
}

interface Running {
  client: ClientProxy;
  recorder?: AnalyticsRecorder;
  seen: Seen;
  close(): Promise<void>;
}

/**
 * A real TCP microservice, on its own (`createMicroservice`) or beside HTTP in a hybrid app
 * (`connectMicroservice`), with the library or without it, and a real client.
 */
interface StartOptions {
  withAnalytics?: boolean;
  api?: ApiTrackingOptions;
  /** For a hybrid app: what connectMicroservice is given. */
  inheritAppConfig?: boolean;
  controllers?: Array<new (...args: never[]) => unknown>;
}

async function start(shape: 'standalone' | 'hybrid', { withAnalytics = true, api = {}, inheritAppConfig = true, controllers = [] }: StartOptions = {}): Promise<Running> {
  const analytics = analyticsOrNone(withAnalytics, { api });
  @Module({
    imports: analytics.imports,
    controllers: [OrderMessages, ...controllers],
    providers: [Seen, ClosedGuard, ...analytics.providers],
  })
  class MessagesModule {}

  const port = await freePort();
  const options = { transport: Transport.TCP as const, options: { host: '127.0.0.1', port } };
  let app: INestApplication | INestMicroservice;
  if (shape === 'standalone') {
    const microservice = await NestFactory.createMicroservice(MessagesModule, { ...options, logger: false, abortOnError: false });
    await microservice.listen();
    app = microservice;
  } else {
    const http = await NestFactory.create(MessagesModule, { logger: false, abortOnError: false });
    // Without inheritAppConfig a connected microservice gets none of the app's global enhancers,
    // APP_INTERCEPTOR and APP_FILTER providers included (README, "Every request, automatically").
    http.connectMicroservice(options, { inheritAppConfig });
    await http.startAllMicroservices();
    await http.listen(0, '127.0.0.1');
    app = http;
  }
  const client = ClientProxyFactory.create(options);
  await client.connect();
  return {
    client,
    recorder: withAnalytics ? app.get(AnalyticsRecorder) : undefined,
    seen: app.get(Seen),
    close: async () => {
      await client.close();
      await app.close();
    },
  };
}

const failureOf = (reply: Promise<unknown>) => reply.then(
  (value) => ({ value }),
  (error: unknown) => ({ error }),
);

describe.each(['standalone', 'hybrid'] as const)('a TCP microservice (%s) with the library', (shape) => {
  let running: Running;
  let plain: Running;

  beforeAll(async () => {
    running = await start(shape);
    plain = await start(shape, { withAnalytics: false });
  });
  afterAll(async () => {
    await running?.close();
    await plain?.close();
  });
  beforeEach(() => running.recorder!.clear());

  const events = async (): Promise<AnalyticsEvent[]> => {
    await running.recorder!.flush();
    return running.recorder!.events();
  };

  it('records a message handler as one API Call named by its pattern, and ties the events tracked inside it to it', async () => {
    expect(await lastValueFrom(running.client.send('orders.get', { id: 41 }))).toEqual({ id: 41, status: 'shipped' });

    const call = await running.recorder!.waitFor((e) => e.event === 'API Call');
    expect(call.properties).toMatchObject({
      method: 'RPC',
      path: 'orders.get',
      route: 'orders.get',
      status_code: 200,
      controller: 'OrderMessages',
      handler: 'get',
    });
    expect(call.properties.duration_ms).toEqual(expect.any(Number));
    const inside = (await events()).filter((e) => e.event === 'Order Looked Up');
    expect(inside).toHaveLength(1);
    expect(inside[0].properties).toMatchObject({ order_id: 41, request_id: call.properties.request_id });
    expect(call.properties.request_id).toEqual(expect.any(String));
  });

  it("records a handler's RpcException once, as an API Call and a Backend Error, and the client gets what it gets without the library", async () => {
    const pattern = { cmd: 'orders.refuse' };
    const withLibrary = await failureOf(lastValueFrom(running.client.send(pattern, {})));
    const without = await failureOf(lastValueFrom(plain.client.send(pattern, {})));
    expect(withLibrary).toEqual(without);
    expect(withLibrary).toEqual({ error: { code: 'ORDER_LOCKED', message: 'order 7 is locked' } });

    await running.recorder!.waitFor((e) => e.event === 'API Call');
    const recorded = await events();
    expect(recorded.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);
    const error = recorded.find((e) => e.event === 'Backend Error')!;
    expect(error.properties).toMatchObject({ error_name: 'RpcException', error_source: 'api', route: '{"cmd":"orders.refuse"}' });
    expect(recorded.find((e) => e.event === 'API Call')!.properties).toMatchObject({ route: '{"cmd":"orders.refuse"}', method: 'RPC', status_code: 500 });
  });

  it('records an HttpException thrown in a message handler, and the client still gets the base RPC answer', async () => {
    const withLibrary = await failureOf(lastValueFrom(running.client.send('orders.missing', {})));
    const without = await failureOf(lastValueFrom(plain.client.send('orders.missing', {})));
    expect(withLibrary).toEqual(without);
    expect(withLibrary).toEqual({ error: { status: 'error', message: 'Internal server error' } });

    await running.recorder!.waitFor((e) => e.event === 'Backend Error');
    const error = (await events()).find((e) => e.event === 'Backend Error')!;
    expect(error.properties).toMatchObject({ error_name: 'NotFoundException', status_code: 404, route: 'orders.missing' });
  });

  it('records a call its guard refused as one API Call (403, named by its handler) and one Backend Error; the client gets what it gets without the library', async () => {
    const withLibrary = await failureOf(lastValueFrom(running.client.send('orders.archive', {})));
    expect(withLibrary).toEqual(await failureOf(lastValueFrom(plain.client.send('orders.archive', {}))));
    expect(withLibrary).toEqual({ error: { status: 'error', message: 'Forbidden resource' } });

    await running.recorder!.waitFor((e) => e.event === 'API Call');
    const recorded = await events();
    expect(recorded.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);
    const call = recorded.find((e) => e.event === 'API Call')!;
    expect(call.properties).toMatchObject({ method: 'RPC', route: 'orders.archive', status_code: 403, controller: 'OrderMessages', handler: 'archive' });
    expect(recorded.find((e) => e.event === 'Backend Error')!.properties).toMatchObject({ route: 'orders.archive', status_code: 403, request_id: call.properties.request_id });
  });

  it('records a thrown string once', async () => {
    const withLibrary = await failureOf(lastValueFrom(running.client.send('orders.corrupt', {})));
    expect(withLibrary).toEqual(await failureOf(lastValueFrom(plain.client.send('orders.corrupt', {}))));

    await running.recorder!.waitFor((e) => e.event === 'API Call');
    const recorded = await events();
    expect(recorded.map((e) => [e.event, e.properties.status_code]).sort()).toEqual([
      ['API Call', 500],
      ['Backend Error', 500],
    ]);
    expect(recorded.find((e) => e.event === 'Backend Error')!.properties.error_message).toBe('order 5 is corrupt');
  });

  it('records an event handler, which answers nothing', async () => {
    running.client.emit('orders.created', { id: 5 }).subscribe();
    const call = await running.recorder!.waitFor((e) => e.event === 'API Call');
    expect(call.properties).toMatchObject({ method: 'RPC', route: 'orders.created', handler: 'created', status_code: 200 });
    expect(running.seen.created).toContainEqual({ id: 5 });
  });

  it('records nothing for a handler marked @SkipTracking()', async () => {
    expect(await lastValueFrom(running.client.send('orders.quiet', {}))).toBe('quiet');
    // A later call that is recorded proves the quiet one's turn has passed.
    await lastValueFrom(running.client.send('orders.get', { id: 1 }));
    await running.recorder!.waitFor((e) => e.event === 'API Call');
    expect((await events()).filter((e) => e.event === 'API Call').map((e) => e.properties.route)).toEqual(['orders.get']);
  });
});

describe("a TCP microservice with contexts.rpc 'skip'", () => {
  let running: Running;

  beforeAll(async () => {
    running = await start('standalone', { api: { contexts: { rpc: 'skip' } } });
  });
  afterAll(() => running?.close());

  it('records no API Call, and still a Backend Error for a handler that throws, as for a skipped HTTP route', async () => {
    expect(await lastValueFrom(running.client.send('orders.get', { id: 3 }))).toEqual({ id: 3, status: 'shipped' });
    expect(await failureOf(lastValueFrom(running.client.send('orders.missing', {})))).toEqual({ error: { status: 'error', message: 'Internal server error' } });

    const error = await running.recorder!.waitFor((e) => e.event === 'Backend Error');
    expect(error.properties).toMatchObject({ error_name: 'NotFoundException', route: 'orders.missing', method: 'RPC' });
    await running.recorder!.flush();
    expect(running.recorder!.events().map((e) => e.event).sort()).toEqual(['Backend Error', 'Order Looked Up']);
  });
});

describe('a microservice connected to a hybrid app without inheritAppConfig', () => {
  let running: Running;

  beforeAll(async () => {
    running = await start('hybrid', { inheritAppConfig: false, controllers: [InvoiceMessages] });
  });
  afterAll(() => running?.close());

  it('records only the handlers that ask for AnalyticsInterceptor: NestJS gives it none of the global enhancers', async () => {
    expect(await lastValueFrom(running.client.send('orders.get', { id: 8 }))).toEqual({ id: 8, status: 'shipped' });
    expect(await lastValueFrom(running.client.send('invoices.get', { id: 3 }))).toEqual({ id: 3, total: 12 });
    expect(await failureOf(lastValueFrom(running.client.send('invoices.refuse', {})))).toEqual({ error: { status: 'error', message: 'invoice 3 is void' } });

    await running.recorder!.waitFor((e) => e.event === 'Backend Error');
    await running.recorder!.flush();
    const recorded = running.recorder!.events().map((e) => [e.event, e.properties.route, e.properties.status_code]);
    expect(recorded).toEqual([
      ['Order Looked Up', undefined, undefined],
      ['API Call', 'invoices.get', 200],
      ['Backend Error', 'invoices.refuse', 500],
      ['API Call', 'invoices.refuse', 500],
    ]);
  });

  it("records a call its guard refused through the README's controller filter, as one API Call (403) and one Backend Error", async () => {
    running.recorder!.clear();
    expect(await failureOf(lastValueFrom(running.client.send('invoices.void', {})))).toEqual({ error: { status: 'error', message: 'Forbidden resource' } });
    await running.recorder!.waitFor((e) => e.event === 'API Call');
    await running.recorder!.flush();
    const recorded = running.recorder!.events().map((e) => [e.event, e.properties.route, e.properties.status_code, e.properties.handler]);
    expect(recorded).toEqual([
      ['Backend Error', 'invoices.void', 403, undefined],
      ['API Call', 'invoices.void', 403, 'voidInvoice'],
    ]);
  });
});
