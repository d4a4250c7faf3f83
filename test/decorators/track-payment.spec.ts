import 'reflect-metadata';
import { lastValueFrom, Observable, timer } from 'rxjs';
import { map } from 'rxjs/operators';
import { TrackPayment } from '../../lib/decorators/track-payment.decorator.js';
import { COMMON, decoratorHarness, only, type DecoratorHarness } from './support/decorator-harness.js';

class CardDeclined extends Error {
  override name = 'CardDeclined';
  readonly status = 402;
}

interface ChargeDto {
  amount: unknown;
  currency: string;
  card: string;
}

class Billing {
  @TrackPayment('charge', { provider: 'stripe' })
  async charge(dto: ChargeDto): Promise<{ id: string }> {
    await new Promise((r) => setTimeout(r, 5));
    return { id: `ch_${dto.currency}` };
  }

  @TrackPayment('refund')
  refund(amount: number, currency: string): never {
    throw new CardDeclined(`refund of ${amount} ${currency} declined`);
  }

  @TrackPayment('charge', {
    amount: ({ args }) => args[0].total,
    currency: 'eur',
    userId: ({ args }) => args[0].customer,
    properties: ({ result }) => ({ order_id: result?.orderId }),
  })
  chargeOrder(order: { total: number; customer: string }): { orderId: string } {
    return { orderId: `o-${order.total}` };
  }

  @TrackPayment('payout')
  payout(amount: number, currency: string): Observable<{ amount: number; currency: string }> {
    return timer(5).pipe(map(() => ({ amount, currency })));
  }
}

const PAYMENT = { ...COMMON, event_action: 'payment_processing' };

describe('@TrackPayment', () => {
  let h: DecoratorHarness;
  let billing: Billing;

  beforeEach(() => {
    h = decoratorHarness();
    billing = h.bind(new Billing());
  });
  afterEach(() => h.close());

  it('reads amount and currency from a DTO by default and records the exact payment fields', async () => {
    await billing.charge({ amount: 1999, currency: 'usd', card: '4111 1111 1111 1111' });
    const event = only(await h.events());
    expect(event.event).toBe('Payment Processing');
    expect(event.JITSU_TABLE_NAME).toBe('payment_events');
    expect(event.properties).toEqual({
      ...PAYMENT,
      payment_action: 'charge',
      payment_amount: 1999,
      payment_currency: 'USD',
      payment_success: true,
      payment_provider: 'stripe',
      duration_ms: expect.any(Number),
    });
    expect(event.properties.duration_ms as number).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(event)).not.toContain('4111');
  });

  it('records a synchronous failure with positional amount and currency, plus a Backend Error with its status', async () => {
    expect(() => billing.refund(500, 'gbp')).toThrow(CardDeclined);
    const events = await h.events();
    expect(events[0]!.properties).toEqual({
      ...PAYMENT,
      payment_action: 'refund',
      payment_amount: 500,
      payment_currency: 'GBP',
      payment_success: false,
      duration_ms: expect.any(Number),
    });
    expect(events[1]!.properties).toMatchObject({ error_source: 'payment', error_name: 'CardDeclined', status_code: 402 });
  });

  it('uses extractors and fixed values, with the user id on the event and extra properties under the owned fields', async () => {
    billing.chargeOrder({ total: 12.5, customer: 'cus_1' });
    const event = only(await h.events());
    expect(event.userId).toBe('cus_1');
    expect(event.properties).toEqual({
      ...PAYMENT,
      payment_action: 'charge',
      payment_amount: 12.5,
      payment_currency: 'EUR',
      payment_success: true,
      duration_ms: expect.any(Number),
      order_id: 'o-12.5',
    });
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a numeric string', '12.00'],
    ['missing', undefined],
  ])('records an amount that is %s as missing, with a counted warning', async (_label, amount) => {
    await billing.charge({ amount, currency: 'usd', card: 'x' });
    const event = only(await h.events());
    expect(event.properties).not.toHaveProperty('payment_amount');
    expect(event.properties.payment_success).toBe(true);
    expect(h.analytics.stats().warnings.invalid_field).toBe(1);
  });

  it('times an Observable payout to completion', async () => {
    await lastValueFrom(billing.payout(70, 'chf'));
    const event = only(await h.events());
    expect(event.properties).toMatchObject({ payment_action: 'payout', payment_amount: 70, payment_currency: 'CHF', payment_success: true });
    expect(event.properties.duration_ms as number).toBeGreaterThanOrEqual(3);
  });
});
