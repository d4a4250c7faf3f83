import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  AnalyticsService,
  JitsuAnalyticsModule,
  type JitsuAnalyticsModuleAsyncOptions,
  type JitsuAnalyticsOptions,
  type JitsuAnalyticsOptionsFactory,
} from '../../lib/index.js';
import { MemoryTransport } from '../../lib/transports/memory.transport.js';
import { until } from '../support/until.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

@Injectable()
class OrdersService {
  constructor(readonly analytics: AnalyticsService) {}
  place(): void {
    this.analytics.track('Order Placed', { items: 2 });
  }
}

@Module({ providers: [OrdersService], exports: [OrdersService] })
class OrdersModule {}

@Injectable()
class FakeConfig {
  get(key: string): string | undefined {
    return { ANALYTICS_BATCH_SIZE: '3', ANALYTICS_ENABLED: 'true', SERVICE_NAME: 'orders-api' }[key];
  }
}

@Module({ providers: [FakeConfig], exports: [FakeConfig] })
class FakeConfigModule {}

@Injectable()
class AnalyticsConfig implements JitsuAnalyticsOptionsFactory {
  readonly transport = new MemoryTransport();
  constructor(private readonly config: FakeConfig) {}
  createJitsuAnalyticsOptions(): JitsuAnalyticsOptions {
    return {
      destination: this.transport,
      serviceName: this.config.get('SERVICE_NAME'),
      tables: { custom: 'order_events' },
      batchTimeout: 60_000,
    };
  }
}

@Module({ imports: [FakeConfigModule], providers: [AnalyticsConfig], exports: [AnalyticsConfig] })
class AnalyticsConfigModule {}

/** Written for the builder's default method name, which this module no longer calls. */
@Injectable()
class CreateOnlyConfig {
  create(): JitsuAnalyticsOptions {
    return { destination: 'memory' };
  }
}

describe('JitsuAnalyticsModule', () => {
  it('forRoot is global: a feature module injects AnalyticsService without importing it', async () => {
    const transport = new MemoryTransport();
    const app = await Test.createTestingModule({
      imports: [JitsuAnalyticsModule.forRoot({ destination: transport, batchTimeout: 60_000 }), OrdersModule],
    }).compile();
    await app.init();
    app.get(OrdersService).place();
    await app.get(AnalyticsService).flush();
    expect(transport.events().map((e) => e.event)).toEqual(['Order Placed']);
    await app.close();
  });

  it('forRoot with isGlobal: false is visible only to the modules that import it', async () => {
    const transport = new MemoryTransport();
    const local = JitsuAnalyticsModule.forRoot({ destination: transport, batchTimeout: 60_000, isGlobal: false });
    await expect(Test.createTestingModule({ imports: [local, OrdersModule] }).compile()).rejects.toThrow(/AnalyticsService/);

    @Module({ imports: [local], providers: [OrdersService] })
    class ImportingOrdersModule {}
    const app = await Test.createTestingModule({ imports: [ImportingOrdersModule] }).compile();
    await app.init();
    app.get(OrdersService).place();
    await app.close();
    expect(transport.events().map((e) => e.event)).toEqual(['Order Placed']);
  });

  it('forRootAsync builds options from injected config, with strings from the environment', async () => {
    const transport = new MemoryTransport();
    const app = await Test.createTestingModule({
      imports: [
        JitsuAnalyticsModule.forRootAsync({
          imports: [FakeConfigModule],
          inject: [FakeConfig],
          useFactory: (config: FakeConfig) => ({
            destination: transport,
            enabled: config.get('ANALYTICS_ENABLED'),
            batchSize: config.get('ANALYTICS_BATCH_SIZE'),
            batchTimeout: 60_000,
          }),
        }),
      ],
    }).compile();
    await app.init();
    const analytics = app.get(AnalyticsService);
    expect(analytics.core.options.batchSize).toBe(3);
    analytics.track('A');
    analytics.track('B');
    // Two turns of the event loop: the events are built and queued on the first, and a batch that
    // is due leaves on the next. Below the batch size (and its 60 s timer) both are still queued.
    await nextTurn();
    await nextTurn();
    expect(analytics.stats()).toMatchObject({ queued: 2, inFlight: 0, sent: 0, batches: 0 });
    expect(transport.events()).toHaveLength(0);
    analytics.track('C');
    // The third event fills the batch: it leaves without a flush.
    await until(() => transport.events().length === 3, 'the full batch of 3 to be delivered');
    expect(transport.events().map((e) => e.event)).toEqual(['A', 'B', 'C']);
    expect(analytics.stats()).toMatchObject({ queued: 0, inFlight: 0, sent: 3, batches: 1, dropped: {} });
    await app.close();
  });

  describe('forRootAsync with an options factory class', () => {
    async function placeOrderWith(asyncOptions: JitsuAnalyticsModuleAsyncOptions) {
      const app = await Test.createTestingModule({ imports: [JitsuAnalyticsModule.forRootAsync(asyncOptions), OrdersModule] }).compile();
      await app.init();
      app.get(OrdersService).place();
      await app.get(AnalyticsService).flush();
      const delivered = app.get(AnalyticsConfig).transport.events();
      await app.close();
      return delivered;
    }

    it('useClass: Nest instantiates the class with its injected config and uses createJitsuAnalyticsOptions()', async () => {
      const delivered = await placeOrderWith({ imports: [FakeConfigModule], useClass: AnalyticsConfig });
      expect(delivered).toEqual([
        expect.objectContaining({ event: 'Order Placed', JITSU_TABLE_NAME: 'order_events', properties: expect.objectContaining({ service_name: 'orders-api' }) }),
      ]);
    });

    it('useExisting: the provider exported by an imported module is used', async () => {
      const delivered = await placeOrderWith({ imports: [AnalyticsConfigModule], useExisting: AnalyticsConfig });
      expect(delivered).toEqual([
        expect.objectContaining({ event: 'Order Placed', JITSU_TABLE_NAME: 'order_events', properties: expect.objectContaining({ service_name: 'orders-api' }) }),
      ]);
    });

    it('a class with only create() fails the bootstrap', async () => {
      const build = Test.createTestingModule({
        // @ts-expect-error the factory method is createJitsuAnalyticsOptions, so the type rejects this class too
        imports: [JitsuAnalyticsModule.forRootAsync({ useClass: CreateOnlyConfig })],
      }).compile();
      // Nest's own TypeError, which does not name the expected method.
      await expect(build).rejects.toThrow(TypeError);
      await expect(build).rejects.toThrow('is not a function');
    });
  });

  it('fails the bootstrap with a message naming the bad option', async () => {
    const build = Test.createTestingModule({
      imports: [JitsuAnalyticsModule.forRoot({ jitsuUrl: 'http://localhost:8080', writeKey: 'id:s3cr3t', batchSize: 'lots' })],
    }).compile();
    await expect(build).rejects.toThrow(`batchSize: got "lots", expected an integer >= 1 (a number or a numeric string)`);
  });

  it('fails the bootstrap when a forRootAsync factory returns no options, rather than falling back to the console', async () => {
    // A block body without `return`: `useFactory: (config) => { ({ jitsuUrl: config.get('JITSU_URL') }); }`.
    const build = Test.createTestingModule({
      imports: [JitsuAnalyticsModule.forRootAsync({ useFactory: () => undefined as unknown as JitsuAnalyticsOptions })],
    }).compile();
    await expect(build).rejects.toThrow('options: got undefined, expected an object (does the forRootAsync factory return the options?)');
  });

  it('app.close() delivers what is queued before it resolves', async () => {
    const transport = new MemoryTransport();
    const app = await Test.createTestingModule({
      imports: [JitsuAnalyticsModule.forRoot({ destination: transport, batchSize: 1000, batchTimeout: 60_000 })],
    }).compile();
    await app.init();
    const analytics = app.get(AnalyticsService);
    for (let i = 0; i < 50; i++) analytics.track('Queued', { i });
    expect(transport.events()).toHaveLength(0);
    await app.close();
    expect(transport.events()).toHaveLength(50);
  });

  it('app.close() with an unreachable destination resolves by shutdownTimeout and reports the loss', async () => {
    const hanging = { send: () => new Promise<never>(() => undefined) };
    const app = await Test.createTestingModule({
      imports: [JitsuAnalyticsModule.forRoot({ destination: hanging, batchSize: 1, shutdownTimeout: 200 })],
    }).compile();
    await app.init();
    const analytics = app.get(AnalyticsService);
    const dropped: number[] = [];
    analytics.on('dropped', (d) => d.reason === 'shutdown' && dropped.push(d.count));
    analytics.track('Stuck');
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('two apps in one process each send to their own destination', async () => {
    const [t1, t2] = [new MemoryTransport(), new MemoryTransport()];
    const make = (destination: MemoryTransport) =>
      Test.createTestingModule({ imports: [JitsuAnalyticsModule.forRoot({ destination, batchSize: 1 }), OrdersModule] }).compile();
    const [a, b] = await Promise.all([make(t1), make(t2)]);
    a.get(OrdersService).place();
    a.get(OrdersService).place();
    b.get(OrdersService).place();
    await Promise.all([a.get(AnalyticsService).flush(), b.get(AnalyticsService).flush()]);
    expect([t1.events().length, t2.events().length]).toEqual([2, 1]);
    await Promise.all([a.close(), b.close()]);
  });
});
