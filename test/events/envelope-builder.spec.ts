import { EnvelopeBuilder, invalidDraft, LIBRARY } from '../../lib/events/envelope-builder.js';
import type { EventDraft } from '../../lib/events/event-draft.interface.js';
import { Sanitizer } from '../../lib/events/sanitize.js';

const AT = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
const AT_ISO = '2026-01-02T03:04:05.006Z';

/** A builder without a core: a scrubber that is easy to see through, and the warnings it reports. */
function builder(defaults: { serviceName?: string; environment?: string } = {}) {
  const scrubbed: string[] = [];
  const scrub = (text: string) => (scrubbed.push(text), text.replaceAll('secret', '[X]'));
  const sanitizer = new Sanitizer({ isSensitiveKey: (key) => key === 'password', scrub, maxStringLength: 1000, maxDepth: 8, maxArrayLength: 1000, maxEntries: 1000 });
  const warnings: Array<[string, string]> = [];
  const envelopes = new EnvelopeBuilder(sanitizer, defaults, scrub, { warn: (kind, message) => warnings.push([kind, message]) });
  return { envelopes, scrubbed, warnings };
}

const draft = (extra: Partial<EventDraft> = {}): EventDraft => ({ event: 'Order Placed', table: 'custom_events', properties: {}, ...extra });

describe('invalidDraft', () => {
  it('accepts a named event for a valid table', () => {
    expect(invalidDraft(draft())).toBeUndefined();
  });

  it.each([
    ['an empty name', draft({ event: '  ' }), 'event name must be a non-empty string, got an empty string'],
    ['a name that is not text', draft({ event: 42 as unknown as string }), 'event name must be a non-empty string, got number'],
    ['a name past Jitsu’s limit', draft({ event: 'x'.repeat(129) }), 'event name is 129 characters; Jitsu accepts at most 128'],
    ['a table name with a dash', draft({ table: 'my-table' }), 'table name "my-table" is not a valid table name (letters, digits and _)'],
    ['a table name starting with a digit', draft({ table: '1st_events' }), 'table name "1st_events" is not a valid table name (letters, digits and _)'],
  ])('refuses %s', (_, d, problem) => {
    expect(invalidDraft(d)).toBe(problem);
  });
});

describe('EnvelopeBuilder.parts', () => {
  it('scrubs the name, cuts it back to 128 characters, and scrubs each name only once', () => {
    const { envelopes, scrubbed } = builder();
    const event = `secret ${'n'.repeat(125)}`; // 132 characters after scrubbing
    const first = envelopes.parts(draft({ event }), 'id-1', AT, undefined);
    const second = envelopes.parts(draft({ event }), 'id-2', AT, undefined);
    expect(first.name).toBe(`[X] ${'n'.repeat(124)}`);
    expect(first.nameJson).toBe(JSON.stringify(first.name));
    expect(second.name).toBe(first.name);
    expect(scrubbed.filter((text) => text === event)).toHaveLength(1);
  });

  it.each([
    ['no timestamp', undefined, AT_ISO],
    ['epoch milliseconds', AT - 6, '2026-01-02T03:04:05.000Z'],
    ['a Date', new Date(0), '1970-01-01T00:00:00.000Z'],
    ['an ISO string', '2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000Z'],
  ])('formats %s as ISO 8601', (_, timestamp, iso) => {
    const { envelopes, warnings } = builder();
    expect(envelopes.parts(draft({ timestamp }), 'id', AT, undefined).timestamp).toBe(iso);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['an unparsable string', 'yesterday', 'string'],
    ['a number past what a Date holds', 9e15, 'number'],
    ['an object', {}, 'object'],
  ])('uses the time of recording for %s, and warns', (_, timestamp, type) => {
    const { envelopes, warnings } = builder();
    expect(envelopes.parts(draft({ timestamp }), 'id', AT, undefined).timestamp).toBe(AT_ISO);
    expect(warnings).toEqual([['invalid_timestamp', `an event's timestamp is not a valid date (${type}); the current time was used`]]);
  });

  it('scrubs text ids, writes numeric ones as text, and falls back to the request’s ids', () => {
    const { envelopes } = builder();
    const facts = { requestId: 'req-1', userId: 'request-user', anonymousId: 'request-anon' };
    expect(envelopes.parts(draft({ userId: 'secret-7', anonymousId: 12n }), 'id', AT, facts)).toMatchObject({ userId: '[X]-7', anonymousId: '12' });
    expect(envelopes.parts(draft({ userId: 42, anonymousId: Number.NaN }), 'id', AT, facts)).toMatchObject({ userId: '42', anonymousId: 'request-anon' });
    expect(envelopes.parts(draft({ userId: '', anonymousId: { id: 1 } }), 'id', AT, facts)).toMatchObject({ userId: 'request-user', anonymousId: 'request-anon' });
    expect(envelopes.parts(draft(), 'id', AT, undefined)).toMatchObject({ userId: undefined, anonymousId: undefined });
  });
});

describe('EnvelopeBuilder.event', () => {
  it('builds the track event with the envelope’s defaults under the caller’s properties', () => {
    const { envelopes } = builder({ serviceName: 'orders', environment: 'test' });
    const d = draft({ properties: { password: 'hunter2', event_category: 7, environment: 'mine' }, context: { ip: '10.0.0.0', userAgent: 'secret-agent' }, userId: 5 });
    const parts = envelopes.parts(d, 'id-1', AT, { requestId: 'req-1' });
    expect(JSON.stringify(envelopes.event(d, parts, { requestId: 'req-1' }))).toBe(JSON.stringify({
      type: 'track',
      event: 'Order Placed',
      messageId: 'id-1',
      timestamp: AT_ISO,
      properties: { password: '[REDACTED]', event_category: 'backend', environment: 'mine', event_action: 'custom', request_id: 'req-1', service_name: 'orders' },
      context: { library: LIBRARY, ip: '10.0.0.0', userAgent: '[X]-agent' },
      JITSU_TABLE_NAME: 'custom_events',
      userId: '5',
    }));
  });

  it('keeps the caller’s request_id and service_name over the request’s and the envelope’s', () => {
    const { envelopes } = builder({ serviceName: 'orders' });
    const facts = { requestId: 'req-1' };
    const d = draft({ properties: { request_id: 'mine', service_name: 'billing' } });
    const event = envelopes.event(d, envelopes.parts(d, 'id-1', AT, facts), facts);
    expect(event.properties).toMatchObject({ request_id: 'mine', service_name: 'billing' });
  });
});
