import { paymentEvent } from '../events/event-builders.js';
import { DecoratorArguments } from './decorator-arguments.js';
import { paymentAmount, paymentCurrency } from './default-extractors.js';
import { COMMON_OPTIONS, commonReaders, extraProperties, recordKind, succeeded } from './record-helpers.js';
import type { FieldOption, TrackOptionsBase } from './tracked-call.interface.js';
import { trackingDecorator, type TrackingDecorator } from './tracking-decorator.js';

export interface TrackPaymentOptions extends TrackOptionsBase {
  /**
   * `payment_amount`: must be a finite number, else it is recorded as missing and counted in
   * `stats().warnings.invalid_field`. Default: a number first argument, the first argument's
   * `amount`, or the result's `amount`.
   */
  amount?: FieldOption<number>;
  /** `payment_currency` (upper-cased). Default: a string second argument after a numeric amount, the first argument's or the result's `currency`. */
  currency?: FieldOption<string>;
  /** `payment_provider` (`stripe`, `adyen`...). Default: none. */
  provider?: FieldOption<string>;
}

const OPTIONS = ['amount', 'currency', 'provider', ...COMMON_OPTIONS] as const;

/**
 * One `Payment Processing` event per call (`payment_events`): `payment_action`,
 * `payment_amount`, `payment_currency`, `payment_success`, `payment_provider`, `duration_ms`.
 * A throw also adds a `Backend Error` with `error_source: 'payment'`.
 *
 * ```ts
 * @TrackPayment('charge', { amount: ({ args }) => args[0].amount, currency: ({ args }) => args[0].currency, provider: 'stripe' })
 * async charge(dto: ChargeDto): Promise<Charge> { ... }
 * ```
 */
export function TrackPayment(action: string, options?: TrackPaymentOptions): TrackingDecorator {
  return trackingDecorator('TrackPayment', (site) => {
    const check = new DecoratorArguments('TrackPayment', site.label);
    const paymentAction = check.text('action', action);
    const opts = check.options(options, OPTIONS);
    const readers = commonReaders(check, opts, site.label);
    const amount = check.field('amount', opts.amount, 'number', paymentAmount);
    const currency = check.field('currency', opts.currency, 'text', paymentCurrency);
    const provider = check.field('provider', opts.provider, 'text');
    check.done();
    return {
      decorator: 'TrackPayment',
      site: site.label,
      errorSource: 'payment',
      record(core, reader, durationMs, failed) {
        const success = succeeded(readers, reader, failed);
        const extra = extraProperties(core, readers, reader);
        const built = paymentEvent(paymentAction, reader.field('amount', amount), reader.field('currency', currency), success, {
          ...extra,
          provider: reader.field('provider', provider),
          durationMs,
        });
        recordKind(core, built, reader.field('userId', readers.userId));
      },
    };
  });
}
