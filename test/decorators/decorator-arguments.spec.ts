import 'reflect-metadata';
import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import { TrackAuth } from '../../lib/decorators/track-auth.decorator.js';
import { TrackEmail } from '../../lib/decorators/track-email.decorator.js';
import { TrackEvent } from '../../lib/decorators/track-event.decorator.js';
import { TrackExternalApi } from '../../lib/decorators/track-external-api.decorator.js';
import { TrackFileOperation } from '../../lib/decorators/track-file-operation.decorator.js';
import { TrackPayment } from '../../lib/decorators/track-payment.decorator.js';
import type { TrackingDecorator } from '../../lib/decorators/tracking-decorator.js';

/** Applies `decorator` to a fresh `Svc.prototype.run`, as TypeScript does when the class is defined. */
function decorate(decorator: TrackingDecorator): void {
  class Svc {
    run(): number {
      return 1;
    }
  }
  const descriptor = Object.getOwnPropertyDescriptor(Svc.prototype, 'run')!;
  decorator(Svc.prototype, 'run', descriptor);
}

function problemsOf(apply: () => void): readonly string[] {
  try {
    apply();
  } catch (error) {
    expect(error).toBeInstanceOf(AnalyticsConfigError);
    return (error as AnalyticsConfigError).problems;
  }
  throw new Error('expected an AnalyticsConfigError');
}

describe('decorator arguments are checked when the class is defined', () => {
  it('names the decorator, the method, the argument, the bad value and what is expected', () => {
    expect(problemsOf(() => decorate(TrackPayment('')))).toEqual([
      '@TrackPayment() on Svc.run: action: got "", expected a non-empty string of at most 256 characters',
    ]);
    // The limit itself is allowed.
    expect(() => decorate(TrackPayment('x'.repeat(256)))).not.toThrow();
    expect(problemsOf(() => decorate(TrackPayment('x'.repeat(257))))).toHaveLength(1);
    expect(problemsOf(() => decorate(TrackEvent('x'.repeat(129))))[0]).toMatch(/^@TrackEvent\(\) on Svc\.run: name: got "x{40}…", expected a non-empty string of at most 128 characters$/);
    expect(problemsOf(() => decorate(TrackExternalApi('stripe', undefined as unknown as string)))).toEqual([
      '@TrackExternalApi() on Svc.run: endpoint: got undefined, expected a non-empty string of at most 2048 characters',
    ]);
  });

  it('rejects unknown options (a typo would otherwise record nothing) and reports every problem at once', () => {
    const problems = problemsOf(() => decorate(TrackAuth('login', { userID: () => 1, methd: 'x' } as never)));
    expect(problems).toEqual([
      '@TrackAuth() on Svc.run: options.userID: unknown option; expected one of method, failureReason, userId, success, properties',
      '@TrackAuth() on Svc.run: options.methd: unknown option; expected one of method, failureReason, userId, success, properties',
    ]);
  });

  it('checks fixed values against the column they fill, and accepts an extractor for any of them', () => {
    expect(problemsOf(() => decorate(TrackPayment('charge', { amount: 'abc' as never, currency: 5 as never, provider: 'stripe' })))).toEqual([
      '@TrackPayment() on Svc.run: options.amount: got "abc", expected a finite number or a function ({ args, result, error, instance }) => value',
      '@TrackPayment() on Svc.run: options.currency: got number 5, expected a non-empty string or a function ({ args, result, error, instance }) => value',
    ]);
    expect(problemsOf(() => decorate(TrackFileOperation('upload', { fileSize: 'big' as never, fileType: {} as never, userId: [] as never })))).toEqual([
      '@TrackFileOperation() on Svc.run: options.userId: got an array, expected a string or a number or a function ({ args, result, error, instance }) => value',
      '@TrackFileOperation() on Svc.run: options.fileType: got an object, expected a non-empty string or a function ({ args, result, error, instance }) => value',
      '@TrackFileOperation() on Svc.run: options.fileSize: got "big", expected a finite number or a function ({ args, result, error, instance }) => value',
    ]);
    expect(problemsOf(() => decorate(TrackEmail({ to: 42 as never, properties: 'x' as never })))).toHaveLength(2);
    // A fixed amount that no column can hold, and a list with something other than an address in it.
    expect(problemsOf(() => decorate(TrackPayment('charge', { amount: Number.POSITIVE_INFINITY })))).toEqual([
      '@TrackPayment() on Svc.run: options.amount: got number Infinity, expected a finite number or a function ({ args, result, error, instance }) => value',
    ]);
    expect(problemsOf(() => decorate(TrackEmail({ to: ['a@x.io', 5] as never })))).toEqual([
      '@TrackEmail() on Svc.run: options.to: got an array, expected an address or a list of addresses or a function ({ args, result, error, instance }) => value',
    ]);
    expect(() => decorate(TrackPayment('charge', { amount: 5, currency: 'EUR', userId: 7, properties: { plan: 'pro' } }))).not.toThrow();
    expect(() => decorate(TrackEmail({ to: ['a@x.io', 'b@x.io'], template: ({ args }) => String(args[0]) }))).not.toThrow();
  });

  it('checks option types: table names, success extractors, includeRecipient, the options object itself', () => {
    expect(problemsOf(() => decorate(TrackEvent('Ok', { table: 'drop table;' })))).toEqual([
      '@TrackEvent() on Svc.run: options.table: got "drop table;", expected a table name of letters, digits and _ (not starting with a digit, at most 63 characters)',
    ]);
    expect(problemsOf(() => decorate(TrackFileOperation('upload', { success: true as never })))).toEqual([
      '@TrackFileOperation() on Svc.run: options.success: got boolean true, expected a function ({ args, result, error, instance }) => value',
    ]);
    expect(problemsOf(() => decorate(TrackEmail({ includeRecipient: 'yes' as never })))).toEqual([
      '@TrackEmail() on Svc.run: options.includeRecipient: got "yes", expected true or false',
    ]);
    expect(problemsOf(() => decorate(TrackEmail([] as never)))[0]).toMatch(/options: got an array, expected an object/);
  });

  it('refuses static methods and accessors, which have no instance to bind', () => {
    class Holder {
      static helper(): number {
        return 1;
      }
      get value(): number {
        return 1;
      }
    }
    const staticDescriptor = Object.getOwnPropertyDescriptor(Holder, 'helper')!;
    expect(problemsOf(() => TrackEvent('S')(Holder, 'helper', staticDescriptor))).toEqual([
      '@TrackEvent() on Holder.helper: a static method has no instance to bind to an app; decorate an instance method',
    ]);
    const accessor = Object.getOwnPropertyDescriptor(Holder.prototype, 'value')!;
    expect(problemsOf(() => TrackEvent('A')(Holder.prototype, 'value', accessor))).toEqual([
      '@TrackEvent() on Holder.value: only methods can be tracked, not accessors or fields',
    ]);
  });

  it('accepts well-formed arguments', () => {
    expect(() => decorate(TrackPayment('charge', { amount: 1, currency: 'EUR', provider: 'stripe', success: () => true }))).not.toThrow();
    expect(() => decorate(TrackEvent('Report', { table: 'reports_2024' }))).not.toThrow();
  });
});
