import 'reflect-metadata';
import { lastValueFrom, of, type Observable } from 'rxjs';
import { TrackEvent } from '../../lib/decorators/track-event.decorator.js';
import { TrackExternalApi } from '../../lib/decorators/track-external-api.decorator.js';
import { TrackPayment } from '../../lib/decorators/track-payment.decorator.js';
import { decoratorHarness, only, type DecoratorHarness } from './support/decorator-harness.js';

class Fragile {
  @TrackPayment('charge', { amount: ({ result }) => result.amount })
  charge(fail: boolean): { amount: number } {
    if (fail) throw new Error('gateway down');
    return { amount: 10 };
  }

  @TrackEvent('Fragile', {
    properties: () => {
      throw new TypeError('token=abc123 is not readable');
    },
  })
  async load(): Promise<string> {
    return 'loaded';
  }

  @TrackExternalApi('maps', '/geocode', {
    success: () => {
      throw new Error('boom');
    },
  })
  geocode(): Observable<number> {
    return of(1);
  }

  // The types refuse an async extractor; plain JavaScript and casts do not.
  @TrackEvent('Async Extractor', {
    properties: (async () => {
      throw new Error('async extractor failed');
    }) as never,
  })
  report(): string {
    return 'reported';
  }

  @TrackPayment('charge')
  chargeHostile(dto: object): string {
    void dto;
    return 'ok';
  }
}

describe('an extractor that throws', () => {
  let h: DecoratorHarness;
  let fragile: Fragile;

  beforeEach(() => {
    h = decoratorHarness();
    fragile = h.bind(new Fragile());
  });
  afterEach(() => h.close());

  const warned = () => h.logger.lines.filter((line) => line.startsWith('warn '));

  it('costs its field, not the event: counted in warnings.extractor_failed, announced naming decorator, method and field, the result unaffected', async () => {
    expect(await fragile.load()).toBe('loaded');
    const event = only(await h.events());
    expect(event).toMatchObject({ event: 'Fragile', properties: { success: true, event_action: 'custom' } });
    expect(h.analytics.stats()).toMatchObject({ dropped: {}, warnings: { extractor_failed: 1 } });
    expect(h.drops).toEqual([]);
    expect(warned()).toEqual([
      "warn @TrackEvent() on Fragile.load: the 'properties' extractor threw TypeError: token=[REDACTED] is not readable; recorded without that field",
    ]);
  });

  it("keeps a failed call's event when an extractor reads the result it never had, beside its Backend Error; the error reaches the caller", async () => {
    expect(() => fragile.charge(true)).toThrow('gateway down');
    const events = await h.events();
    expect(events.map((e) => e.event)).toEqual(['Payment Processing', 'Backend Error']);
    expect(events[0]!.properties).toMatchObject({ payment_action: 'charge', payment_success: false });
    expect(events[0]!.properties).not.toHaveProperty('payment_amount');
    expect(events[1]!.properties.error_source).toBe('payment');
    expect(h.drops).toEqual([]);
    expect(warned().join('\n')).toContain("'amount' extractor threw TypeError");
  });

  it('counts an async extractor as failed without letting its rejection go unhandled', async () => {
    expect(fragile.report()).toBe('reported');
    expect(only(await h.events()).event).toBe('Async Extractor');
    expect(warned()).toEqual([
      "warn @TrackEvent() on Fragile.report: the 'properties' extractor returned a Promise; extractors must return their value synchronously; recorded without that field",
    ]);
    await new Promise((resolve) => setImmediate(resolve));
  });

  it("does not affect an Observable's values or completion; a failing success extractor gives way to the decorator's own rule", async () => {
    expect(await lastValueFrom(fragile.geocode())).toBe(1);
    expect(only(await h.events()).properties).toMatchObject({ service: 'maps', success: true });
    expect(warned().join('\n')).toContain("@TrackExternalApi() on Fragile.geocode: the 'success' extractor threw Error: boom");
  });

  it('includes a default extractor meeting a hostile getter', async () => {
    const hostile = Object.defineProperty({}, 'amount', {
      get() {
        throw new Error('getter exploded');
      },
    });
    expect(fragile.chargeHostile(hostile)).toBe('ok');
    expect(only(await h.events()).properties).toMatchObject({ payment_action: 'charge', payment_success: true });
    expect(h.analytics.stats().warnings.extractor_failed).toBe(1);
  });

  it('leaves the next call tracked normally', async () => {
    await fragile.load();
    expect(fragile.charge(false)).toEqual({ amount: 10 });
    const events = await h.events();
    expect(events.map((e) => e.event)).toEqual(['Fragile', 'Payment Processing']);
    expect(events[1]!.properties.payment_amount).toBe(10);
  });
});
