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

  it('is counted as an extractor_failed drop naming the decorator, method and field, and the result is unaffected', async () => {
    expect(await fragile.load()).toBe('loaded');
    expect(await h.events()).toEqual([]);
    expect(h.analytics.stats().dropped).toEqual({ extractor_failed: 1 });
    expect(h.drops).toHaveLength(1);
    expect(h.drops[0]!.detail).toBe("@TrackEvent() on Fragile.load: the 'properties' extractor threw TypeError: token=[REDACTED] is not readable");
  });

  it('on the failure path drops the method\'s event but still records the Backend Error, and the error reaches the caller', async () => {
    expect(() => fragile.charge(true)).toThrow('gateway down');
    const events = await h.events();
    expect(events.map((e) => e.event)).toEqual(['Backend Error']);
    expect(events[0]!.properties.error_source).toBe('payment');
    expect(h.drops.map((d) => d.reason)).toEqual(['extractor_failed']);
    expect(h.drops[0]!.detail).toContain("'amount' extractor threw TypeError");
  });

  it('counts an async extractor as failed without letting its rejection go unhandled', async () => {
    expect(fragile.report()).toBe('reported');
    expect(await h.events()).toEqual([]);
    expect(h.drops[0]!.detail).toBe("@TrackEvent() on Fragile.report: the 'properties' extractor threw Error: it returned a Promise; extractors must return their value synchronously");
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('does not affect an Observable\'s values or completion', async () => {
    expect(await lastValueFrom(fragile.geocode())).toBe(1);
    expect(await h.events()).toEqual([]);
    expect(h.drops[0]!.detail).toContain("@TrackExternalApi() on Fragile.geocode: the 'success' extractor threw Error: boom");
  });

  it('includes a default extractor meeting a hostile getter', async () => {
    const hostile = Object.defineProperty({}, 'amount', {
      get() {
        throw new Error('getter exploded');
      },
    });
    expect(fragile.chargeHostile(hostile)).toBe('ok');
    expect(await h.events()).toEqual([]);
    expect(h.analytics.stats().dropped.extractor_failed).toBe(1);
  });

  it('leaves the next call tracked normally', async () => {
    await fragile.load();
    expect(fragile.charge(false)).toEqual({ amount: 10 });
    expect(only(await h.events()).properties.payment_amount).toBe(10);
  });
});
