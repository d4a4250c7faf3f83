import 'reflect-metadata';
import { lastValueFrom, Observable } from 'rxjs';
import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import { resolveOptions } from '../../lib/analytics-options.resolver.js';
import type { JitsuAnalyticsOptions } from '../../lib/analytics.options.js';
import { bindTracking } from '../../lib/decorators/bind-tracking.js';
import { TrackEvent } from '../../lib/decorators/track-event.decorator.js';
import { scrubEmbeddedCredentials } from '../../lib/privacy/scrub-string.js';
import { fingerprintSql } from '../../lib/privacy/sql-fingerprint.js';
import { fuzzAnalytics } from './support/capture.js';

/**
 * What the properties in this folder found, pinned as plain examples so that each fix stays
 * tested whatever cases a seed happens to generate.
 */
function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const throwingGetter = (thrown: () => unknown, key = 'trap') =>
  Object.defineProperty({}, key, {
    enumerable: true,
    get() {
      throw thrown();
    },
  });

type Harness = ReturnType<typeof fuzzAnalytics>;

async function deliveredOne(track: (h: ReturnType<typeof fuzzAnalytics>) => unknown) {
  const h = fuzzAnalytics({ environment: 'test' });
  try {
    await track(h);
    const { payloads, drops } = await h.settle();
    return { events: payloads.map((p) => JSON.parse(p) as { event: string; userId?: string; properties: Record<string, unknown> }), drops };
  } finally {
    await h.analytics.shutdown();
  }
}

describe('event properties', () => {
  it('an own __proto__ key stays data and cannot shadow the fields the envelope adds', async () => {
    const { events } = await deliveredOne((h) => h.analytics.track('Parsed', JSON.parse('{"__proto__": {"event_category": "x", "polluted": 1}, "plan": "pro"}')));
    expect(events[0]!.properties).toEqual({
      ['__proto__']: { event_category: 'x', polluted: 1 },
      plan: 'pro',
      event_action: 'custom',
      event_category: 'backend',
      environment: 'test',
    });
    expect(Object.getPrototypeOf(events[0]!.properties)).toBe(Object.prototype);
  });

  it("a caller's own toJSON does not replace the properties, the builder's fields included", async () => {
    const { events } = await deliveredOne((h) => h.analytics.trackPayment('charge', 5, 'eur', true, { toJSON: () => ({ replaced: true }), note: 'kept' }));
    expect(events[0]!.properties).toMatchObject({ event_action: 'payment_processing', payment_amount: 5, note: 'kept' });
    expect(events[0]!.properties).not.toHaveProperty('replaced');
  });

  it('event_category and event_action are always text: a non-string from the caller gives way to the default', async () => {
    const { events } = await deliveredOne((h) => h.analytics.track('Typed', { event_category: 7, event_action: { nested: true } }));
    expect(events[0]!.properties).toMatchObject({ event_category: 'backend', event_action: 'custom' });
    const kept = await deliveredOne((h) => h.analytics.track('Typed', { event_category: 'frontend', event_action: 'clicked' }));
    expect(kept.events[0]!.properties).toMatchObject({ event_category: 'frontend', event_action: 'clicked' });
  });

  it('event names and ids are scrubbed like every string, and a name stays within 128 characters', async () => {
    const name = `Invite ${'x'.repeat(100)} bob@example.com`;
    const { events } = await deliveredOne((h) => h.analytics.track(name, {}, { userId: 'Bearer abcdef0123456789XYZ' }));
    expect(events[0]!.event).toBe(`Invite ${'x'.repeat(100)} [REDACTED]@example.com`.slice(0, 128));
    expect(events[0]!.userId).toBe('Bearer [REDACTED]');
  });
});

describe('fields that cannot be read cost the field, not the event', () => {
  it('trackDbQuery with an extra whose getter throws: both events are recorded, the field marked', async () => {
    const { events, drops } = await deliveredOne((h) => h.analytics.trackDbQuery('SELECT 1', 2, false, throwingGetter(revoked)));
    expect(events.map((e) => e.event)).toEqual(['Database Query', 'Backend Error']);
    expect(events[0]!.properties).toMatchObject({ query_type: 'SELECT', trap: '[Unreadable]' });
    expect(drops).toEqual([]);
  });

  it.each([
    ['trackPayment', (h: Harness, extra: object) => h.analytics.trackPayment('charge', 1, 'usd', true, extra as Record<string, unknown>), 'Payment Processing'],
    ['trackUserAuth', (h: Harness, extra: object) => h.analytics.trackUserAuth('login', 'u1', true, extra as Record<string, unknown>), 'User Authentication'],
    ['trackEmailSend', (h: Harness, extra: object) => h.analytics.trackEmailSend('a@b.io', 'welcome', true, extra as Record<string, unknown>), 'Email Send'],
    ['recordError', (h: Harness, extra: object) => h.analytics.recordError('custom', new Error('x'), extra as Record<string, unknown>), 'Backend Error'],
  ])('%s keeps its event when a getter of extra throws, and counts the field as unserialisable', async (_, call, event) => {
    const h = fuzzAnalytics();
    try {
      await call(h, Object.defineProperty({ plan: 'pro' }, 'trap', { enumerable: true, get: () => { throw revoked(); } }));
      const { payloads, drops } = await h.settle();
      const events = payloads.map((p) => JSON.parse(p) as { event: string; properties: Record<string, unknown> });
      expect(events.map((e) => e.event)).toEqual([event]);
      expect(events[0]!.properties).toMatchObject({ plan: 'pro', trap: '[Unreadable]' });
      expect(drops).toEqual([]);
      expect(h.analytics.stats().warnings).toMatchObject({ unserialisable: 1 });
    } finally {
      await h.analytics.shutdown();
    }
  });

  it('an extra or properties object that cannot even be listed (a revoked proxy) leaves the event without them, with a warning', async () => {
    const h = fuzzAnalytics();
    try {
      await h.analytics.trackPayment('charge', 7, 'usd', true, revoked() as Record<string, unknown>);
      h.analytics.track('Signed Up', revoked());
      const { payloads, drops } = await h.settle();
      const events = payloads.map((p) => JSON.parse(p) as { event: string; properties: Record<string, unknown> });
      expect(events.map((e) => e.event)).toEqual(['Payment Processing', 'Signed Up']);
      expect(events[0]!.properties).toMatchObject({ payment_amount: 7, payment_currency: 'USD' });
      expect(drops).toEqual([]);
      expect(h.logger.lines.join('\n')).toMatch(/trackPayment\(\) extra could not be read/);
      expect(h.analytics.stats().warnings).toMatchObject({ invalid_properties: 2 });
    } finally {
      await h.analytics.shutdown();
    }
  });

  it('an Error handed over as an extra is left out of the event, not kept with its message (a driver quotes the values)', async () => {
    const failure = Object.assign(new Error("Duplicate entry 'bob-secret' for key 'users.name'"), { sqlMessage: "Duplicate entry 'bob-secret'" });
    const h = fuzzAnalytics();
    try {
      await h.analytics.trackDbQuery('INSERT INTO users (name) VALUES (?)', 3, false, failure as unknown as Record<string, unknown>);
      await h.analytics.trackPayment('charge', 5, 'usd', false, failure as unknown as Record<string, unknown>);
      const { payloads, drops } = await h.settle();
      expect(payloads.map((p) => (JSON.parse(p) as { event: string }).event)).toEqual(['Database Query', 'Backend Error', 'Payment Processing']);
      expect(payloads.join('\n')).not.toContain('bob-secret');
      expect(drops).toEqual([]);
      expect(h.logger.lines.join('\n')).toContain('trackDbQuery() extra should be an object, got an Error: left out');
    } finally {
      await h.analytics.shutdown();
    }
  });

  it('an error whose fields throw when read is still recorded: by name when that can be read, else as unreadable', async () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); }, getPrototypeOf: () => { throw new Error('trap'); } });
    const silent = Object.defineProperty(new TypeError('hidden'), 'message', { get: () => { throw new Error('trap'); } });
    const { events, drops } = await deliveredOne(async (h) => {
      await h.analytics.trackApiError(hostile);
      h.analytics.recordError('payment', silent);
      await h.analytics.trackApiError(new Error('boom'), new Proxy({}, { get: () => { throw new Error('trap'); } }));
    });
    expect(events.map((e) => [e.properties.error_source, e.properties.error_name, e.properties.error_message])).toEqual([
      ['api', '[Unreadable]', undefined],
      ['payment', 'TypeError', undefined],
      ['api', 'Error', 'boom'],
    ]);
    expect(drops).toEqual([]);
  });
});

describe('@Track* methods with hostile results', () => {
  const throwingProxy = new Proxy({}, { getPrototypeOf: () => { throw new Error('trap'); }, get: () => { throw new Error('trap'); } });
  const lyingPromise = Object.defineProperty(Promise.resolve('value'), 'then', { value: () => { throw new Error('then'); } });

  class Hostile {
    @TrackEvent('Proxy Result')
    proxy(): unknown {
      return throwingProxy;
    }
    @TrackEvent('Lying Promise')
    lying(): unknown {
      return lyingPromise;
    }
    @TrackEvent('Errored', { properties: () => { throw revoked(); } })
    errored(): Observable<never> {
      return new Observable((subscriber) => subscriber.error(new Error('upstream')));
    }
  }

  it('the caller gets the very value, and the call is still recorded', async () => {
    const h = fuzzAnalytics();
    const subject = bindTracking(new Hostile(), h.analytics);
    try {
      expect(subject.proxy()).toBe(throwingProxy);
      expect(subject.lying()).toBe(lyingPromise);
      await expect(lastValueFrom(subject.errored())).rejects.toThrow('upstream');
      const { payloads, drops } = await h.settle();
      expect(payloads.map((p) => (JSON.parse(p) as { event: string }).event).sort()).toEqual(['Backend Error', 'Errored', 'Lying Promise', 'Proxy Result']);
      expect(drops).toEqual([]);
      expect(h.logger.lines).toContain("warn @TrackEvent() on Hostile.errored: the 'properties' extractor threw a value that cannot be read; recorded without that field");
    } finally {
      await h.analytics.shutdown();
    }
  });
});

describe('resolveOptions', () => {
  const KEY = 'mixed-up-id:MixedUpSecretValue0123456789abcdef';
  const problems = (options: unknown): readonly string[] => {
    try {
      resolveOptions(options as JitsuAnalyticsOptions);
    } catch (error) {
      expect(error).toBeInstanceOf(AnalyticsConfigError);
      return (error as AnalyticsConfigError).problems;
    }
    throw new Error('expected an AnalyticsConfigError');
  };

  it('a circular table name, a getter that throws, a revoked proxy: an AnalyticsConfigError each', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(problems({ tables: { custom: cyclic } })).toEqual([expect.stringMatching(/^tables\.custom: got an object, expected a table name/)]);
    expect(problems(throwingGetter(() => new Error('getter'), 'batchSize'))).toEqual(['options: reading them threw Error: getter; expected plain values']);
    expect(problems({ retry: revoked() })[0]).toMatch(/^options: reading them threw TypeError: /);
    expect(problems({ writeKey: KEY, batchSize: throwingGetter(revoked) })).toEqual([expect.stringMatching(/^batchSize: got an object/)]);
  });

  it("never quotes the write key's secret, whole or cut short, from another option it was mixed up into", () => {
    const found = problems({ writeKey: KEY, jitsuUrl: KEY, protocol: KEY, tables: { custom: KEY } });
    expect(found).toEqual([
      'protocol: got "[REDACTED]…", expected one of \'next\', \'classic\'',
      // Not address-shaped, so not quoted at all (it may be a key: this one is).
      "jitsuUrl: got a value of 46 characters that is not a URL (not shown: it may be a key given to the wrong option), expected an http(s) URL such as 'http://localhost:8080'",
      'tables.custom: got "[REDACTED]", expected a table name of letters, digits and _ (not starting with a digit, at most 63 characters)',
    ]);
  });
});

describe('SQL fingerprints', () => {
  it('lose credentials written outside literals, which spacing would hide from the event scrubber', () => {
    expect(fingerprintSql("SELECT * FROM t WHERE note = '' postgres://app:Pa55word123@db:5432/x ''")).not.toContain('Pa55word123');
    expect(fingerprintSql('SELECT * FROM t WHERE owner = bob.smith@example.com')).not.toContain('bob.smith');
    expect(fingerprintSql('SELECT eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl-xyz FROM t')).not.toContain('c2lnbmF0dXJl');
  });

  it('apply scrubEmbeddedCredentials to code and quoted names once read, a rule set that only removes what cannot be SQL', () => {
    expect(scrubEmbeddedCredentials('redis://app:Pa55word123@cache:6379 for eve.l@example.org eyJa.eyJb.sig_1')).toBe(
      'redis://app:[REDACTED]@cache:6379 for [REDACTED]@example.org [REDACTED_JWT]',
    );
    // What the prose rules would take for a scheme and its credential, or a key and its value.
    expect(scrubEmbeddedCredentials('SELECT token FROM sessions WHERE password = $1')).toBe('SELECT token FROM sessions WHERE password = $1');
  });

  it('are unchanged for ordinary statements, sensitive column names and placeholders included', () => {
    expect(fingerprintSql('UPDATE users SET password = $1, token = ? WHERE id = $2')).toBe('UPDATE users SET password = ?, token = ? WHERE id = ?');
    expect(fingerprintSql("SELECT token FROM sessions WHERE email = 'bob@example.com'")).toBe('SELECT token FROM sessions WHERE email = ?');
  });
});
