import { jest } from '@jest/globals';
import { createAnalytics } from '../../lib/create-analytics.js';
import type { JitsuAnalyticsOptions } from '../../lib/analytics.options.js';
import type { AnalyticsService } from '../../lib/analytics.service.js';
import type { RequestFacts } from '../../lib/context/request-context.js';
import type { EventDraft } from '../../lib/events/event-draft.interface.js';
import { FlatEventWriter, type EnvelopeParts } from '../../lib/events/flat-event-writer.js';
import { Sanitizer } from '../../lib/events/sanitize.js';
import { scrubString } from '../../lib/privacy/scrub-string.js';

const OPTIONS: Omit<JitsuAnalyticsOptions, 'destination'> = {
  writeKey: 'key-id:wk-secret-0123456789',
  serviceName: 'orders "api"',
  environment: 'test',
  batchSize: 1000,
  batchTimeout: 60_000,
  redact: { keys: ['pin'], maxStringLength: 40 },
};

/** A core writing events as its options make it, and the exact JSON texts it queued. */
function wireCore(options: Omit<JitsuAnalyticsOptions, 'destination'>) {
  const texts: string[] = [];
  const analytics = createAnalytics(
    { ...options, destination: { send: async (batch) => (texts.push(...batch.map((item) => item.json)), {}) } },
    { logger: false },
  );
  const wire = async () => {
    await analytics.flush();
    return texts;
  };
  running.push(analytics);
  return { core: analytics.core, wire };
}

const running: AnalyticsService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((analytics) => analytics.shutdown()));
});

const proto = JSON.parse('{"__proto__": "own key"}') as Record<string, unknown>;
const facts: RequestFacts = { requestId: 'req-"1"', userId: 'user-9' };
const draft = (properties: Record<string, unknown>, extra: Partial<EventDraft> = {}): EventDraft => ({
  event: 'Order Placed',
  table: 'custom_events',
  properties,
  // Fixed, so the two paths agree on it even across a millisecond.
  timestamp: 1_700_000_000_000,
  ...extra,
});

/** Every rule the envelope applies, and every case the writer hands back to the general path. */
const CORPUS: Array<[string, EventDraft, RequestFacts?]> = [
  ['an empty bag', draft({})],
  ['text that needs escaping', draft({ quote: 'say "hi"\\', line: 'a\nb\tc', unicode: 'çé ✓ 😀', lone: '\ud800x', control: '\u0001' })],
  ['an e-mail and the write key in values', draft({ note: 'mail jane.doe@example.com', leak: 'auth wk-secret-0123456789' })],
  ['sensitive keys, set and unset', draft({ password: 'hunter2', pin: 1234, token: undefined, kept: 1 })],
  ['numbers JSON cannot hold', draft({ nan: Number.NaN, inf: Number.POSITIVE_INFINITY, negZero: -0, big: 1e21, small: 5e-7, int: 42 })],
  ['bigint, null, undefined and booleans', draft({ big: 12345678901234567890n, nothing: null, missing: undefined, yes: true, no: false })],
  ['card numbers held as numbers and bigints, next to timestamps', draft({ visa: 4111111111111111, amex: 378282246310005, big: 5555555555554444n, ms: 1764288000005, us: 1764288000000005 })],
  ['a string past maxStringLength', draft({ long: 'x'.repeat(100), edge: 'y'.repeat(40) })],
  ['integer-like keys, which objects order first', draft({ b: 1, 10: 'ten', a: 2, 2: 'two' })],
  ['an own __proto__ key', draft(proto)],
  ['a key with a quote', draft({ 'we"ird': 1 })],
  ['the envelope fields set by the caller', draft({ event_category: 'billing', event_action: 'order', request_id: 'mine', service_name: 's', environment: 'e' })],
  ['a non-text event_category', draft({ event_category: 7, event_action: 'x' })],
  ['a null request_id', draft({ request_id: null })],
  ['a null environment', draft({ environment: null })],
  ['an unset request_id', draft({ request_id: undefined })],
  ['a redacted envelope field', draft({ pin: 'x', event_action: 'a' }, { properties: { pin: 'x', event_action: 'a' } })],
  ['a key the privacy rules rename', draft({ 'jane@example.com': 1, other: 2 })],
  ['keys sensitive as written that the rules rewrite or cut', draft({ 'Bearer token_1': 'hunter2', [`${'k'.repeat(50)}_password`]: 'hunter3' })],
  ['a nested object', draft({ cart: { items: 2, coupon: 'jane@example.com' }, list: [1, 'a'] })],
  ['a Date value', draft({ at: new Date(0) })],
  ['ids, a context and a timestamp', draft({ a: 1 }, { userId: 42, anonymousId: 'anon "1"', context: { ip: '10.0.0.0', userAgent: 'curl/8' }, timestamp: 1_700_000_000_000 })],
  ['a user agent with an e-mail and a token', draft({}, { context: { ip: '10.0.0.0', userAgent: 'bot/1 (admin@example.com; api_key=abcdefghijklmnop1234)' } })],
  ['an e-mail as user id', draft({}, { userId: 'jane@example.com', timestamp: '2026-01-02T03:04:05Z' })],
  ['request facts', draft({ a: 'b' }), facts],
  ['request facts with the caller’s ids', draft({}, { userId: 'caller' }), facts],
  ['an event name to scrub', draft({}, { event: 'Signup jane@example.com' })],
];

describe('FlatEventWriter', () => {
  it('queues byte for byte the JSON that JSON.stringify gives for the envelope of the general path', async () => {
    const fast = wireCore(OPTIONS);
    // A beforeSend hook, even one that changes nothing, takes every event through the envelope object.
    const general = wireCore({ ...OPTIONS, beforeSend: (event) => event });
    for (const [, d, f] of CORPUS) {
      fast.core.record(d, f);
      general.core.record(d, f);
    }
    const [fastTexts, generalTexts] = [await fast.wire(), await general.wire()];
    expect(fastTexts).toHaveLength(CORPUS.length);
    const idOf = (text: string) => (JSON.parse(text) as { messageId: string }).messageId;
    CORPUS.forEach(([name], i) => {
      const expected = generalTexts[i]!.replace(idOf(generalTexts[i]!), idOf(fastTexts[i]!));
      expect({ name, json: fastTexts[i] }).toEqual({ name, json: expected });
    });
    // No address or token of the corpus survives either path, in properties, ids, names or context.
    for (const texts of [fastTexts, generalTexts]) {
      expect(texts.join('\n')).not.toMatch(/[a-z.]+@example\.com|abcdefghijklmnop|wk-secret|hunter/i);
    }
    expect(fast.core.stats().warnings).toEqual(general.core.stats().warnings);
    expect(fast.core.stats().warnings.truncated).toBeGreaterThan(0);
  });

  describe('on its own', () => {
    const sanitizer = () =>
      new Sanitizer({ isSensitiveKey: (key) => key === 'password', scrub: scrubString, maxStringLength: 40, maxDepth: 8, maxArrayLength: 10, maxEntries: 10 });
    const parts: EnvelopeParts = { name: 'Order Placed', nameJson: '"Order Placed"', messageId: 'id-1', timestamp: '2026-01-01T00:00:00.000Z' };
    const library = { name: 'lib', version: '1' };

    it('writes a flat bag itself, with the envelope defaults', () => {
      const writer = new FlatEventWriter(sanitizer(), { serviceName: 'svc' }, 40, library);
      const json = writer.write(
        draft({ total: 12.5, note: 'by jane@example.com', password: 'p' }, { context: { ip: '10.0.0.0', userAgent: 'bot (jane@example.com)' } }),
        parts,
        { requestId: 'r1' },
      );
      expect(JSON.parse(json!)).toEqual({
        type: 'track',
        event: 'Order Placed',
        messageId: 'id-1',
        timestamp: '2026-01-01T00:00:00.000Z',
        properties: { total: 12.5, note: 'by [REDACTED]@example.com', password: '[REDACTED]', event_category: 'backend', event_action: 'custom', request_id: 'r1', service_name: 'svc' },
        context: { library, ip: '10.0.0.0', userAgent: 'bot ([REDACTED]@example.com)' },
        JITSU_TABLE_NAME: 'custom_events',
      });
    });

    it.each([
      ['a nested object', { cart: { items: 1 } }],
      ['an array', { list: [1] }],
      ['a renamed key', { 'jane@example.com': 1 }],
      ['a non-text event_action', { event_action: 1 }],
      ['a null service_name', { service_name: null }],
      ['a function', { fn: () => 1 }],
    ])('leaves %s to the general path', (_, properties) => {
      expect(new FlatEventWriter(sanitizer(), {}, 40, library).write(draft(properties), parts, undefined)).toBeUndefined();
    });

    it('leaves a context that would replace the library field to the general path', () => {
      const d = draft({}, { context: { library: 'mine' } as EventDraft['context'] });
      expect(new FlatEventWriter(sanitizer(), {}, 40, library).write(d, parts, undefined)).toBeUndefined();
    });

    it('counts the cut of a recurring string past maxStringLength on every event', () => {
      const s = sanitizer();
      const writer = new FlatEventWriter(s, {}, 40, library);
      for (let i = 0; i < 3; i++) {
        expect(JSON.parse(writer.write(draft({ long: 'x'.repeat(50) }), parts, undefined)!).properties.long).toBe(`${'x'.repeat(40)}…[truncated 10 chars]`);
      }
      expect(s.report.truncated).toBe(3);
    });

    it('escapes a remembered string once and reuses its text', () => {
      const s = sanitizer();
      const text = jest.spyOn(s, 'text');
      const writer = new FlatEventWriter(s, {}, 40, library);
      for (let i = 0; i < 3; i++) writer.write(draft({ fingerprint: 'SELECT "a" FROM "t"' }), parts, undefined);
      expect(text).toHaveBeenCalledTimes(1);
    });
  });
});
