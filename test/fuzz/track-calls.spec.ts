import fc, { type Arbitrary } from 'fast-check';
import type { AnalyticsService } from '../../lib/analytics.service.js';
import { EVENT_CATALOG, type EventKind } from '../../lib/events/event-catalog.js';
import { scrubString } from '../../lib/privacy/scrub-string.js';
import { fuzzAnalytics } from './support/capture.js';
import { FUZZ_RUNS, fuzzParameters } from './support/fuzz-parameters.js';
import { shapeProblems, type ExpectedEvent } from './support/event-shape.js';
import { hostileEventName, hostileProperties, hostileTrackOptions, hostileValue, materialize } from './support/hostile-values.js';

type FuzzAnalytics = ReturnType<typeof fuzzAnalytics>;

/**
 * Every public recording method, fed hostile arguments: it never throws (nor rejects), every
 * event that reaches the destination is valid JSON of the documented shape, and every event
 * offered is either delivered or counted as a drop with a reason.
 */
const ACCOUNTED_DROPS = new Set(['invalid_event', 'too_large']);

const kind = (k: EventKind): ExpectedEvent => {
  const spec = EVENT_CATALOG.find((s) => s.kind === k)!;
  return { event: spec.event, action: spec.action, table: spec.table };
};

/** Names are scrubbed like every string of an event, and cut back to 128 characters if that lengthened them. */
const nameAsSent = (name: unknown) => (typeof name === 'string' ? scrubString(name).slice(0, 128) : undefined);

interface MethodCase {
  readonly method: string;
  readonly args: Arbitrary<unknown[]>;
  /** The events one call offers, in order (each delivered payload must match one of them). */
  readonly offers: (args: unknown[]) => ExpectedEvent[];
  readonly call: (analytics: AnalyticsService, args: unknown[]) => unknown;
}

// The service is typed for well-behaved callers; these calls deliberately are not.
type Loose = Record<string, (...args: unknown[]) => unknown>;
const invoke = (method: string) => (analytics: AnalyticsService, args: unknown[]) => (analytics as unknown as Loose)[method]!(...args);
const tuple = (...items: Arbitrary<unknown>[]) => fc.tuple(...items) as Arbitrary<unknown[]>;
const extra = fc.oneof(hostileProperties, fc.constantFrom(undefined, null));
const flag = fc.oneof(fc.boolean(), hostileValue);

const CASES: MethodCase[] = [
  {
    method: 'track',
    args: tuple(hostileEventName, hostileProperties, hostileTrackOptions),
    offers: ([name]) => [{ event: nameAsSent(name) }],
    call: invoke('track'),
  },
  {
    method: 'sendEvent',
    args: tuple(hostileEventName, hostileProperties),
    offers: ([name]) => [{ event: nameAsSent(name), table: 'custom_events' }],
    call: invoke('sendEvent'),
  },
  {
    method: 'trackUserAuth',
    args: tuple(fc.oneof(fc.constantFrom('login', 'logout'), hostileValue), hostileValue, flag, extra),
    offers: () => [kind('authentication')],
    call: invoke('trackUserAuth'),
  },
  {
    method: 'trackPayment',
    args: tuple(fc.oneof(fc.constant('charge'), hostileValue), hostileValue, hostileValue, flag, extra),
    offers: () => [kind('payment')],
    call: invoke('trackPayment'),
  },
  {
    method: 'trackDbQuery',
    args: tuple(fc.oneof(fc.constant("SELECT * FROM users WHERE email = 'a@b.io'"), fc.string(), hostileValue), hostileValue, flag, extra),
    offers: ([, , success]) => (success ? [kind('database')] : [kind('database'), kind('error')]),
    call: invoke('trackDbQuery'),
  },
  {
    method: 'trackEmailSend',
    args: tuple(fc.oneof(fc.emailAddress(), hostileValue), hostileValue, flag, extra),
    offers: () => [kind('email')],
    call: invoke('trackEmailSend'),
  },
  {
    method: 'trackFileOperation',
    args: tuple(hostileValue, hostileValue, hostileValue, flag, extra),
    offers: () => [kind('file')],
    call: invoke('trackFileOperation'),
  },
  {
    method: 'trackExternalApiCall',
    args: tuple(hostileValue, fc.oneof(fc.webUrl(), hostileValue), hostileValue, flag, extra),
    offers: () => [kind('external_api')],
    call: invoke('trackExternalApiCall'),
  },
  {
    method: 'trackApiError',
    args: tuple(hostileValue, fc.oneof(fc.constant(undefined), hostileProperties)),
    offers: () => [kind('error')],
    call: invoke('trackApiError'),
  },
];

describe.each(CASES)('$method with hostile arguments', ({ args, offers, call }) => {
  // Made when the block runs, not when it is declared: one instance at a time, not one per case at once.
  let harness: FuzzAnalytics;
  beforeAll(() => {
    harness = fuzzAnalytics({ serviceName: 'fuzz', environment: 'test' });
  });
  afterAll(() => harness.analytics.shutdown());

  it(`never throws; every event is delivered with the documented shape or counted as dropped (${FUZZ_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(args, async (callArgs) => {
        const values = callArgs.map(materialize);
        const expected = offers(values);
        let returned: unknown;
        expect(() => (returned = call(harness.analytics, values))).not.toThrow();
        await expect(Promise.resolve(returned)).resolves.toBeUndefined();
        const { payloads, droppedCount, drops } = await harness.settle();
        expect(payloads.length + droppedCount).toBe(expected.length);
        for (const drop of drops) expect(ACCOUNTED_DROPS).toContain(drop.reason);
        for (const json of payloads) {
          const fits = expected.map((e) => shapeProblems(json, e));
          if (!fits.some((problems) => problems.length === 0)) throw new Error(`bad payload ${json.slice(0, 500)}: ${fits.map((p) => p.join('; ')).join(' | ')}`);
        }
      }),
      fuzzParameters(),
    );
    expect(harness.errors).toEqual([]);
  });
});

describe('trackApiRequest with hostile request and response objects', () => {
  const harness = fuzzAnalytics();
  afterAll(() => harness.analytics.shutdown());

  it(`never throws, calls next exactly once, and whatever it records has the documented shape (${FUZZ_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileProperties, hostileProperties, async (req, res) => {
        let nextCalls = 0;
        expect(() => harness.analytics.trackApiRequest(materialize(req), materialize(res), () => void nextCalls++)).not.toThrow();
        expect(nextCalls).toBe(1);
        const { payloads } = await harness.settle();
        for (const json of payloads) expect(shapeProblems(json)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });
});
