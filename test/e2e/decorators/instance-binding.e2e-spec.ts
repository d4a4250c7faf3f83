import 'reflect-metadata';
import { Controller, Get, Injectable, Module, Scope } from '@nestjs/common';
import { ContextIdFactory, LazyModuleLoader } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { TrackEvent } from '../../../lib/decorators/track-event.decorator.js';
import { JitsuAnalyticsModule } from '../../../lib/jitsu-analytics.module.js';
import { AnalyticsService } from '../../../lib/analytics.service.js';
import { MemoryTransport } from '../../../lib/transports/memory.transport.js';
import { startAnalyticsApp, type AnalyticsApp } from './support/analytics-app.js';

let nextId = 0;
const byInstance = { properties: ({ instance }: { instance: { id: number } }) => ({ instance_id: instance.id }) };

@Injectable({ scope: Scope.REQUEST })
class PerRequestCart {
  readonly id = ++nextId;

  @TrackEvent('Cart Viewed', byInstance)
  view(): number {
    return this.id;
  }
}

@Injectable({ scope: Scope.TRANSIENT })
class TransientPricer {
  readonly id = ++nextId;

  @TrackEvent('Price Computed', byInstance)
  price(): number {
    return this.id;
  }
}

@Controller('cart')
class CartController {
  constructor(
    private readonly cart: PerRequestCart,
    private readonly pricer: TransientPricer,
  ) {}

  @Get()
  view(): { cart: number; pricer: number } {
    return { cart: this.cart.view(), pricer: this.pricer.price() };
  }
}

class Mailer {
  readonly id = ++nextId;

  @TrackEvent('Mail Queued', byInstance)
  queue(): string {
    return 'queued';
  }
}

const FACTORY_MAILER = 'FACTORY_MAILER';
const VALUE_MAILER = 'VALUE_MAILER';
const FROZEN_MAILER = 'FROZEN_MAILER';
const FROZEN_SETTINGS = 'FROZEN_SETTINGS';

describe('binding decorated instances to their app', () => {
  let nest: AnalyticsApp;

  beforeAll(async () => {
    nest = await startAnalyticsApp({
      controllers: [CartController],
      providers: [
        PerRequestCart,
        TransientPricer,
        { provide: FACTORY_MAILER, useFactory: () => new Mailer() },
        { provide: VALUE_MAILER, useValue: new Mailer() },
        { provide: FROZEN_MAILER, useValue: Object.freeze(new Mailer()) },
        // Frozen too, but with nothing to track: no warning for it.
        { provide: FROZEN_SETTINGS, useValue: Object.freeze({ region: 'eu' }) },
      ],
    });
  });
  afterAll(() => nest.close());
  beforeEach(() => nest.recorder.clear());

  it('tracks request-scoped and transient providers, each instance created per request after bootstrap', async () => {
    const first = (await (await nest.request('/cart')).json()) as { cart: number; pricer: number };
    const second = (await (await nest.request('/cart')).json()) as { cart: number; pricer: number };
    expect(second.cart).not.toBe(first.cart);
    const views = await nest.eventsIn('custom_events');
    expect(views.map((e) => [e.event, e.properties.instance_id])).toEqual([
      ['Cart Viewed', first.cart],
      ['Price Computed', first.pricer],
      ['Cart Viewed', second.cart],
      ['Price Computed', second.pricer],
    ]);
    expect(typeof views[0]!.properties.request_id).toBe('string');
    expect(views[0]!.properties.request_id).not.toBe(views[2]!.properties.request_id);
  });

  it('tracks a request-scoped instance resolved by hand with a context id', async () => {
    const cart = await nest.app.resolve(PerRequestCart, ContextIdFactory.create());
    cart.view();
    expect((await nest.eventsIn('custom_events')).map((e) => e.properties.instance_id)).toEqual([cart.id]);
  });

  it('binds instances Nest did not construct itself (useFactory, useValue) through discovery', async () => {
    const fromFactory = nest.app.get<Mailer>(FACTORY_MAILER);
    const fromValue = nest.app.get<Mailer>(VALUE_MAILER);
    fromFactory.queue();
    fromValue.queue();
    expect((await nest.eventsIn('custom_events')).map((e) => e.properties.instance_id)).toEqual([fromFactory.id, fromValue.id]);
  });

  it('runs a frozen instance untracked and counts a warning (one: a frozen provider without tracked methods is left alone), and a class created outside Nest untracked', async () => {
    expect(nest.app.get<Mailer>(FROZEN_MAILER).queue()).toBe('queued');
    expect(new Mailer().queue()).toBe('queued');
    expect(await nest.eventsIn('custom_events')).toEqual([]);
    expect(nest.app.get(AnalyticsService).stats().warnings.decorator_unbound).toBe(1);
  });
});

describe('a decorated class in an app without the analytics module', () => {
  it('resolves and runs untracked, whatever its scope', async () => {
    const moduleRef = await Test.createTestingModule({ providers: [PerRequestCart, TransientPricer, { provide: FACTORY_MAILER, useFactory: () => new Mailer() }] }).compile();
    await moduleRef.init();
    const cart = await moduleRef.resolve(PerRequestCart, ContextIdFactory.create());
    expect(cart.view()).toBe(cart.id);
    expect(typeof (await moduleRef.resolve(TransientPricer)).price()).toBe('number');
    expect(moduleRef.get<Mailer>(FACTORY_MAILER).queue()).toBe('queued');
    await moduleRef.close();
  });
});

describe('a decorated provider the analytics options themselves depend on (forRootAsync)', () => {
  @Injectable()
  class SecretStore {
    @TrackEvent('Secret Read')
    read(): string {
      return 'keyId:secret';
    }
  }

  @Module({ providers: [SecretStore], exports: [SecretStore] })
  class SecretsModule {}

  it('bootstraps (no circular wait) and tracks it once the core exists', async () => {
    const transport = new MemoryTransport();
    const moduleRef = await Test.createTestingModule({
      imports: [
        JitsuAnalyticsModule.forRootAsync({
          imports: [SecretsModule],
          inject: [SecretStore],
          useFactory: (secrets: SecretStore) => ({ destination: transport, batchSize: 1, serviceName: secrets.read().split(':')[0] }),
        }),
      ],
    }).compile();
    await moduleRef.init();
    moduleRef.get(SecretStore).read();
    await moduleRef.get(AnalyticsService).flush();
    expect(transport.events().map((e) => [e.event, e.properties.service_name])).toEqual([['Secret Read', 'keyId']]);
    await moduleRef.close();
  });
});

describe('a decorated provider of a lazily loaded module (LazyModuleLoader)', () => {
  @Injectable()
  class ReportBuilder {
    @TrackEvent('Report Built')
    build(): string {
      return 'built';
    }
  }

  const LAZY_FACTORY_MAILER = 'LAZY_FACTORY_MAILER';

  @Module({ providers: [ReportBuilder, { provide: LAZY_FACTORY_MAILER, useFactory: () => new Mailer() }] })
  class ReportsModule {}

  it('tracks a class provider Nest builds after bootstrap; a useFactory one runs untracked (discovery ran at bootstrap)', async () => {
    const nest = await startAnalyticsApp({});
    try {
      const loaded = await nest.app.get(LazyModuleLoader).load(() => ReportsModule);
      expect(loaded.get(ReportBuilder).build()).toBe('built');
      const mailer = loaded.get<Mailer>(LAZY_FACTORY_MAILER);
      expect(mailer.queue()).toBe('queued');
      expect((await nest.eventsIn('custom_events')).map((e) => e.event)).toEqual(['Report Built']);
    } finally {
      await nest.close();
    }
  });
});

class Ledger {
  @TrackEvent('Entry Posted')
  post(): string {
    return 'posted';
  }
}

@Injectable()
class BillingLedger extends Ledger {}

@Injectable()
class ShippingLedger extends Ledger {}

describe('two non-global analytics modules in one app', () => {
  it('each decorated provider records to the analytics module its own module imports, whichever discovery pass runs last', async () => {
    const [billing, shipping] = [new MemoryTransport(), new MemoryTransport()];
    @Module({ imports: [JitsuAnalyticsModule.forRoot({ destination: billing, serviceName: 'billing', isGlobal: false })], providers: [BillingLedger], exports: [BillingLedger] })
    class BillingModule {}
    @Module({ imports: [JitsuAnalyticsModule.forRoot({ destination: shipping, serviceName: 'shipping', isGlobal: false })], providers: [ShippingLedger], exports: [ShippingLedger] })
    class ShippingModule {}
    const moduleRef = await Test.createTestingModule({ imports: [BillingModule, ShippingModule] }).compile();
    await moduleRef.init();
    moduleRef.get(BillingLedger).post();
    moduleRef.get(ShippingLedger).post();
    moduleRef.get(ShippingLedger).post();
    // Closing the app delivers what each instance queued.
    await moduleRef.close();
    expect([billing.events().length, shipping.events().length]).toEqual([1, 2]);
    expect(billing.events().map((e) => e.context?.service ?? e.properties.service_name)).toEqual(['billing']);
  });
});
