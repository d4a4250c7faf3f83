import 'reflect-metadata';
import fc, { type Arbitrary } from 'fast-check';
import { isObservable, Observable, throwError } from 'rxjs';
import { bindTracking } from '../../lib/decorators/bind-tracking.js';
import { TrackAuth } from '../../lib/decorators/track-auth.decorator.js';
import { TrackEmail } from '../../lib/decorators/track-email.decorator.js';
import { TrackEvent } from '../../lib/decorators/track-event.decorator.js';
import { TrackExternalApi } from '../../lib/decorators/track-external-api.decorator.js';
import { TrackFileOperation } from '../../lib/decorators/track-file-operation.decorator.js';
import { TrackPayment } from '../../lib/decorators/track-payment.decorator.js';
import type { TrackedCall } from '../../lib/decorators/tracked-call.interface.js';
import { fuzzAnalytics } from './support/capture.js';
import { shapeProblems } from './support/event-shape.js';
import { FUZZ_RUNS, fuzzParameters } from './support/fuzz-parameters.js';
import { hostileKey, hostileValue, materialize } from './support/hostile-values.js';

/**
 * `@Track*` methods whose extractors throw (anything, even a revoked proxy) or return hostile
 * values, called with hostile arguments and producing hostile results or errors: the caller gets
 * exactly what the undecorated method produced — the same value, the same thrown object, the same
 * resolution, rejection or emissions — nothing crashes, whatever is recorded is well formed, and a
 * call that failed always has its event.
 */

/** What each extractor does on the current run: return a value or throw one. */
type Outcome = { throws: boolean; value: unknown };
/** What the decorated method does on the current run. */
type Mode = 'return' | 'throw' | 'resolve' | 'reject' | 'emit' | 'error';

const FIELDS = ['userId', 'success', 'properties', 'method', 'failureReason', 'amount', 'currency', 'provider', 'to', 'template', 'fileType', 'fileSize', 'statusCode'] as const;
type Field = (typeof FIELDS)[number];

/** The current run's behaviour, read by the extractors and methods declared once below. */
const run = { extractors: new Map<Field, Outcome>(), mode: 'return' as Mode, value: undefined as unknown };

const field =
  (name: Field) =>
  (_call: TrackedCall): never => {
    const outcome = run.extractors.get(name)!;
    if (outcome.throws) throw outcome.value;
    return outcome.value as never;
  };

function produce(): unknown {
  const { mode, value } = run;
  switch (mode) {
    case 'return':
      return value;
    case 'throw':
      throw value;
    case 'resolve':
      return Promise.resolve(value);
    case 'reject':
      return Promise.reject(value);
    case 'emit':
      // Not `of(...)`, which reads its last argument to look for a scheduler.
      return new Observable((subscriber) => {
        subscriber.next('first');
        subscriber.next(value);
        subscriber.complete();
      });
    case 'error':
      return throwError(() => value);
  }
}

const common = { userId: field('userId'), success: field('success'), properties: field('properties') };

class Fuzzed {
  @TrackEvent('Fuzzed Event', common)
  event(..._args: unknown[]) {
    return produce();
  }
  @TrackAuth('login', { ...common, method: field('method'), failureReason: field('failureReason') })
  auth(..._args: unknown[]) {
    return produce();
  }
  @TrackPayment('charge', { ...common, amount: field('amount'), currency: field('currency'), provider: field('provider') })
  payment(..._args: unknown[]) {
    return produce();
  }
  @TrackEmail({ ...common, to: field('to'), template: field('template'), provider: field('provider') })
  email(..._args: unknown[]) {
    return produce();
  }
  @TrackFileOperation('upload', { ...common, fileType: field('fileType'), fileSize: field('fileSize') })
  file(..._args: unknown[]) {
    return produce();
  }
  @TrackExternalApi('stripe', '/v1/charges', { ...common, method: field('method'), statusCode: field('statusCode') })
  externalApi(..._args: unknown[]) {
    return produce();
  }
  // The default extractors read the arguments and the result, both hostile here.
  @TrackAuth('refresh')
  authDefaults(..._args: unknown[]) {
    return produce();
  }
  @TrackPayment('refund')
  paymentDefaults(..._args: unknown[]) {
    return produce();
  }
  @TrackEmail()
  emailDefaults(..._args: unknown[]) {
    return produce();
  }
  @TrackFileOperation('download')
  fileDefaults(..._args: unknown[]) {
    return produce();
  }
  @TrackExternalApi('maps', '/geocode')
  externalApiDefaults(..._args: unknown[]) {
    return produce();
  }
}

const METHODS = ['event', 'auth', 'payment', 'email', 'file', 'externalApi', 'authDefaults', 'paymentDefaults', 'emailDefaults', 'fileDefaults', 'externalApiDefaults'] as const;

/** The event each method records. */
const EVENT_OF: Record<(typeof METHODS)[number], string> = {
  event: 'Fuzzed Event',
  auth: 'User Authentication',
  authDefaults: 'User Authentication',
  payment: 'Payment Processing',
  paymentDefaults: 'Payment Processing',
  email: 'Email Send',
  emailDefaults: 'Email Send',
  file: 'File Operation',
  fileDefaults: 'File Operation',
  externalApi: 'External API Call',
  externalApiDefaults: 'External API Call',
};

/** Modes whose outcome is settled once the caller has it (a returned or resolved value may be a thenable that never settles). */
const SETTLED_FAILURES: readonly Mode[] = ['throw', 'reject', 'error'];

/** Results shaped like what default extractors look for, with hostile field values. */
const resultLike: Arbitrary<unknown> = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom('amount', 'currency', 'status', 'statusCode', 'to', 'template', 'size', 'mimetype', 'user', 'id'), hostileKey), hostileValue), { maxLength: 4 })
  .map((pairs) => ({ build: () => Object.fromEntries(pairs.map(([k, v]) => [k, materialize(v)])), pairs }));

const outcome: Arbitrary<{ throws: boolean; value: unknown }> = fc.record({ throws: fc.boolean(), value: hostileValue });

const scenario = fc.record({
  method: fc.constantFrom(...METHODS),
  mode: fc.constantFrom<Mode>('return', 'throw', 'resolve', 'reject', 'emit', 'error'),
  value: fc.oneof(hostileValue, resultLike),
  args: fc.array(fc.oneof(hostileValue, resultLike), { maxLength: 3 }),
  extractors: fc.tuple(...FIELDS.map(() => outcome)),
});

function build(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'build' in value && 'pairs' in value) return (value as { build: () => unknown }).build();
  return materialize(value);
}

/** Fails without printing the values: a revoked proxy cannot be printed. */
function same(actual: unknown, expected: unknown, what: string): void {
  if (!Object.is(actual, expected)) throw new Error(`${what}: the caller did not get the very value the method produced`);
}

describe('@Track* extractors and results that misbehave', () => {
  const harness = fuzzAnalytics();
  const subject = bindTracking(new Fuzzed(), harness.analytics) as unknown as Record<(typeof METHODS)[number], (...args: unknown[]) => unknown>;
  afterAll(() => harness.analytics.shutdown());

  it(`never change what the decorated method returns or throws, never crash, and never cost a failed call its event (${FUZZ_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ method, mode, value, args, extractors }) => {
        run.mode = mode;
        run.value = build(value);
        run.extractors = new Map(FIELDS.map((name, i) => [name, { throws: extractors[i]!.throws, value: materialize(extractors[i]!.value) }]));
        const produced = run.value;
        let returned: unknown;
        let thrown: { error: unknown } | undefined;
        try {
          returned = subject[method](...args.map(build));
        } catch (error) {
          thrown = { error };
        }
        if (mode === 'throw') {
          if (!thrown) throw new Error('the thrown value was swallowed');
          same(thrown.error, produced, 'throw');
        } else if (thrown) {
          throw new Error(`the decorated method threw where the method ${mode === 'return' ? 'returned' : 'did not throw'}`);
        }
        if (mode === 'return') same(returned, produced, 'return');
        if (mode === 'resolve' || mode === 'reject') {
          // A promise that settles as the method's did (the wrapper hands back the one that settles
          // after recording). What it resolves to is the method's business: it may adopt a thenable
          // that never settles, so only a rejection (never adopted) is awaited.
          if (!(returned instanceof Promise)) throw new Error('a Promise became something else');
          // Resolving with a value whose `then` cannot be read (a revoked proxy) rejects the method's
          // own promise: handling that is the caller's part, as without the decorator.
          // Through the native `then`: the promise may carry a hostile own one.
          if (mode === 'resolve') Promise.prototype.then.call(returned, undefined, () => undefined);
          if (mode === 'reject') {
            const settled = await (returned as Promise<unknown>).then((v) => ({ ok: true, v }), (e: unknown) => ({ ok: false, v: e }));
            if (settled.ok) throw new Error('a rejection became a resolution');
            same(settled.v, produced, 'reject');
          }
        }
        if (mode === 'emit' || mode === 'error') {
          if (!isObservable(returned)) throw new Error('an Observable became something else');
          const seen = await collect(returned);
          if (mode === 'emit') {
            if (seen.error) throw new Error('an Observable that completes errored');
            if (seen.values.length !== 2 || seen.values[0] !== 'first') throw new Error('emissions were changed');
            same(seen.values[1], produced, 'emit');
          } else {
            if (!seen.error) throw new Error('an Observable error was swallowed');
            same(seen.error.value, produced, 'error');
          }
        }
        const { payloads } = await harness.settle();
        for (const json of payloads) expect(shapeProblems(json)).toEqual([]);
        // A failed call's event is the one most worth having: no extractor or result can cost it.
        if (SETTLED_FAILURES.includes(mode)) {
          const events = payloads.map((json) => (JSON.parse(json) as { event: string }).event);
          if (!events.includes(EVENT_OF[method])) throw new Error(`a failed ${method}() call recorded no ${EVENT_OF[method]} (got ${events.join(', ') || 'nothing'})`);
        }
      }),
      fuzzParameters(),
    );
  });
});

function collect(source: Observable<unknown>): Promise<{ values: unknown[]; error?: { value: unknown } }> {
  return new Promise((resolve) => {
    const values: unknown[] = [];
    source.subscribe({
      next: (v) => values.push(v),
      error: (value: unknown) => resolve({ values, error: { value } }),
      complete: () => resolve({ values }),
    });
  });
}
