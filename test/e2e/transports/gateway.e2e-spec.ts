import 'reflect-metadata';
import { createRequire } from 'node:module';
import { type ArgumentsHost, type CanActivate, Catch, type INestApplication, Injectable, Module, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { BaseWsExceptionFilter, MessageBody, SubscribeMessage, WebSocketGateway, WsException } from '@nestjs/websockets';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { AnalyticsInterceptor, AnalyticsService, recordApiException, SkipTracking } from '../../../lib/index.js';
import type { AnalyticsEvent } from '../../../lib/events/analytics-event.interface.js';
import { AnalyticsRecorder } from '../../../lib/testing/index.js';
import { analyticsOrNone } from '../../support/analytics-or-none.js';

@WebSocketGateway({ path: '/ws' })
class OrdersGateway {
  constructor(private readonly analytics: AnalyticsService) {}

  @SubscribeMessage('orders.watch')
  watch(@MessageBody() data: { id: number }) {
    this.analytics.track('Order Watched', { order_id: data.id });
    return { event: 'orders.status', data: { id: data.id, status: 'shipped' } };
  }

  @SubscribeMessage('orders.refuse')
  refuse() {
    throw new WsException('order 7 is locked');
  }

  @SkipTracking()
  @SubscribeMessage('orders.ping')
  ping() {
    return { event: 'orders.pong', data: 'pong' };
  }
}

/** Lets no message through: Nest answers the refusal itself. */
@Injectable()
class ClosedGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

/** The README's recipe for what no global filter sees in a gateway: a guard's refusal. */
@Catch()
class RecordingWsFilter extends BaseWsExceptionFilter {
  constructor(private readonly analytics: AnalyticsService) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    recordApiException(this.analytics, exception, host);
    return super.catch(exception, host);
  }
}

/** A gateway that asks for the library's interceptor itself, as one must under NestJS 11. */
@UseInterceptors(AnalyticsInterceptor)
@UseFilters(RecordingWsFilter)
@WebSocketGateway({ path: '/ws-counting' })
class CountingGateway {
  @SubscribeMessage('orders.count')
  count(@MessageBody() data: { n: number }) {
    return { event: 'orders.counted', data: data.n + 1 };
  }

  @SubscribeMessage('orders.explode')
  explode() {
    throw new WsException('count lost');
  }

  @SubscribeMessage('orders.shout')
  shout() {
    throw 'count shouted';
  }

  @UseGuards(ClosedGuard)
  @SubscribeMessage('orders.reset')
  reset() {
    return { event: 'orders.counted', data: 0 };
  }
}

/** NestJS's two WebSocket adapters: socket.io (its default) and `ws`. */
type AdapterKind = 'socket.io' | 'ws';
const ADAPTERS: AdapterKind[] = ['socket.io', 'ws'];

interface Running {
  app: INestApplication;
  url: string;
  client: Client;
  close(): Promise<void>;
}

/** The gateway served by a real app, with the library or without it, and a connected client. */
async function start(kind: AdapterKind, withAnalytics: boolean): Promise<Running> {
  const analytics = analyticsOrNone(withAnalytics);
  @Module({
    imports: analytics.imports,
    // CountingGateway needs the library's interceptor, so it runs only with the library.
    providers: [OrdersGateway, ...(withAnalytics ? [CountingGateway, ClosedGuard] : []), ...analytics.providers],
  })
  class GatewayModule {}

  const app = await NestFactory.create(GatewayModule, { logger: false, abortOnError: false });
  if (kind === 'ws') app.useWebSocketAdapter(new WsAdapter(app));
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const client = await openClient(kind, url, '/ws');
  return {
    app,
    url,
    client,
    close: async () => {
      client.close();
      await app.close();
    },
  };
}

/** What a test needs of a client: send `{ event, data }`, read what comes back in the same shape. */
interface Client {
  send(event: string, data: unknown): void;
  reply(): Promise<unknown>;
  close(): void;
}

const USER_AGENT = 'orders-client/1.0';

function openClient(kind: AdapterKind, url: string, path: string): Promise<Client> {
  return kind === 'ws' ? WsClient.open(`${url.replace('http', 'ws')}${path}`) : SocketIoClient.open(url, path);
}

/** Replies in arrival order, each awaited by at most one reader at a time. */
class Replies {
  private readonly queue: unknown[] = [];
  private waiting?: () => void;

  push(reply: unknown): void {
    this.queue.push(reply);
    this.waiting?.();
  }

  async next(): Promise<unknown> {
    while (this.queue.length === 0) await new Promise<void>((resolve) => (this.waiting = resolve));
    return this.queue.shift();
  }
}

/** A client of the `ws` adapter's protocol: JSON `{ event, data }` messages both ways. */
class WsClient implements Client {
  private readonly replies = new Replies();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw) => this.replies.push(JSON.parse(String(raw))));
  }

  static async open(url: string): Promise<WsClient> {
    const socket = new WebSocket(url, { headers: { 'user-agent': USER_AGENT } });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new WsClient(socket);
  }

  send(event: string, data: unknown): void {
    this.socket.send(JSON.stringify({ event, data }));
  }

  reply(): Promise<unknown> {
    return this.replies.next();
  }

  close(): void {
    this.socket.close();
  }
}

/** A socket.io client: the events the server emits, `exception` included, read as `{ event, data }`. */
class SocketIoClient implements Client {
  private readonly replies = new Replies();

  private constructor(private readonly socket: Socket) {
    socket.onAny((event: string, data: unknown) => this.replies.push({ event, data }));
  }

  static async open(url: string, path: string): Promise<SocketIoClient> {
    const socket = io(url, { path, transports: ['websocket'], extraHeaders: { 'user-agent': USER_AGENT } });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return new SocketIoClient(socket);
  }

  send(event: string, data: unknown): void {
    this.socket.emit(event, data);
  }

  reply(): Promise<unknown> {
    return this.replies.next();
  }

  close(): void {
    this.socket.disconnect();
  }
}

describe.each(ADAPTERS)('a gateway (%s) with @UseInterceptors(AnalyticsInterceptor)', (kind) => {
  let running: Running;
  let recorder: AnalyticsRecorder;
  let client: Client;

  beforeAll(async () => {
    running = await start(kind, true);
    recorder = running.app.get(AnalyticsRecorder);
    client = await openClient(kind, running.url, '/ws-counting');
  });
  afterAll(async () => {
    client?.close();
    await running?.close();
  });
  beforeEach(() => recorder.clear());

  it('is recorded on every NestJS line, once where the global interceptor runs too', async () => {
    client.send('orders.count', { n: 1 });
    expect(await client.reply()).toEqual({ event: 'orders.counted', data: 2 });
    // NestJS 12's ws adapter answers an exception; 11's sends nothing, so no reply is awaited.
    client.send('orders.explode', {});
    await recorder.waitFor((e) => e.event === 'Backend Error');
    await recorder.flush();
    const recorded = recorder.events().map((e) => [e.event, e.properties.route, e.properties.status_code, e.properties.handler]);
    expect(recorded).toEqual([
      ['API Call', 'orders.count', 200, 'count'],
      ['Backend Error', 'orders.explode', 500, undefined],
      ['API Call', 'orders.explode', 500, 'explode'],
    ]);
  });

  it("records a string a handler throws once, though the library's interceptor and the README's filter both see it", async () => {
    client.send('orders.shout', { loud: true });
    client.send('orders.count', { n: 7 });
    let reply: unknown;
    do reply = await client.reply();
    while ((reply as { event?: unknown }).event !== 'orders.counted');
    await recorder.waitFor((e) => e.event === 'API Call' && e.properties.route === 'orders.count');
    await recorder.flush();
    const recorded = recorder.events().map((e) => [e.event, e.properties.route, e.properties.status_code]);
    expect(recorded).toEqual([
      ['Backend Error', 'orders.shout', 500],
      ['API Call', 'orders.shout', 500],
      ['API Call', 'orders.count', 200],
    ]);
  });

  it("records a message its guard refused through the README's gateway filter, once, as a 403 API Call named by its handler and a Backend Error", async () => {
    client.send('orders.reset', {});
    // A later call that is answered and recorded proves nothing more came of the refused one.
    client.send('orders.count', { n: 5 });
    // The refusal's answer, where the adapter sends one, comes first.
    let reply: unknown;
    do reply = await client.reply();
    while ((reply as { event?: unknown }).event !== 'orders.counted');
    await recorder.waitFor((e) => e.event === 'API Call');
    await recorder.flush();
    const recorded = recorder.events().map((e) => [e.event, e.properties.route, e.properties.status_code, e.properties.error_message, e.properties.handler]);
    expect(recorded).toEqual([
      ['Backend Error', 'orders.reset', 403, 'Forbidden resource', undefined],
      ['API Call', 'orders.reset', 403, undefined, 'reset'],
      ['API Call', 'orders.count', 200, undefined, 'count'],
    ]);
    expect(recorder.events()[1]!.properties.duration_ms).toBe(0);
  });
});

/** NestJS 11 applies no global interceptor, pipe or guard to gateways (its SocketModule builds their contexts without the app's config); 12 does. */
const nestMajor = Number((createRequire(import.meta.url)('@nestjs/core/package.json') as { version: string }).version.split('.')[0]);
if (nestMajor < 12) process.stderr.write(`Gateway tests without AnalyticsInterceptor skipped: NestJS ${nestMajor} applies no global interceptor to gateways (README)\n`);

(nestMajor >= 12 ? describe.each(ADAPTERS) : describe.skip.each(ADAPTERS))('a WebSocket gateway (%s adapter) with the library', (kind) => {
  let running: Running;
  let plain: Running;
  let recorder: AnalyticsRecorder;
  let client: Client;

  beforeAll(async () => {
    running = await start(kind, true);
    plain = await start(kind, false);
    recorder = running.app.get(AnalyticsRecorder);
    client = running.client;
  });
  afterAll(async () => {
    await running?.close();
    await plain?.close();
  });
  beforeEach(() => recorder.clear());

  const events = async (): Promise<AnalyticsEvent[]> => {
    await recorder.flush();
    return recorder.events();
  };

  it('records a message handler as one API Call named by its event, with the client, and ties the events tracked inside it to it', async () => {
    client.send('orders.watch', { id: 12 });
    expect(await client.reply()).toEqual({ event: 'orders.status', data: { id: 12, status: 'shipped' } });

    const call = await recorder.waitFor((e) => e.event === 'API Call');
    expect(call.properties).toMatchObject({
      method: 'WS',
      path: 'orders.watch',
      route: 'orders.watch',
      status_code: 200,
      controller: 'OrdersGateway',
      handler: 'watch',
      // The default ipPolicy, stripLastOctet.
      ip_address: '127.0.0.0',
    });
    // From socket.io's handshake; the ws adapter keeps no upgrade request.
    expect(call.properties.user_agent).toBe(kind === 'socket.io' ? USER_AGENT : undefined);
    const inside = (await events()).filter((e) => e.event === 'Order Watched');
    expect(inside).toHaveLength(1);
    expect(inside[0].properties).toMatchObject({ order_id: 12, request_id: call.properties.request_id });
  });

  it("records a handler's WsException once, as a failed API Call and a Backend Error; the client gets what it gets without the library", async () => {
    client.send('orders.refuse', { id: 7 });
    plain.client.send('orders.refuse', { id: 7 });
    const answer = await client.reply();
    expect(answer).toEqual(await plain.client.reply());
    expect(answer).toMatchObject({ event: 'exception', data: { status: 'error', message: 'order 7 is locked' } });
    await recorder.waitFor((e) => e.event === 'API Call');
    const recorded = await events();
    expect(recorded.map((e) => e.event).sort()).toEqual(['API Call', 'Backend Error']);
    expect(recorded.find((e) => e.event === 'Backend Error')!.properties).toMatchObject({
      error_source: 'api',
      error_name: 'WsException',
      error_message: 'order 7 is locked',
      route: 'orders.refuse',
      method: 'WS',
    });
    expect(recorded.find((e) => e.event === 'API Call')!.properties.status_code).toBe(500);
  });

  it('records nothing for a handler marked @SkipTracking()', async () => {
    client.send('orders.ping', null);
    expect(await client.reply()).toEqual({ event: 'orders.pong', data: 'pong' });
    // A later message that is recorded proves the skipped one's turn has passed.
    client.send('orders.watch', { id: 14 });
    await client.reply();
    await recorder.waitFor((e) => e.event === 'API Call');
    expect((await events()).filter((e) => e.event === 'API Call').map((e) => e.properties.route)).toEqual(['orders.watch']);
  });
});
