import { buildRow, coerceValue } from '../../lib/transports/warehouse/warehouse-row.js';
import { tableSchema } from '../../lib/transports/warehouse/warehouse-schema.js';
import { sampleEvent, toQueuedEvent } from '../support/sample-events.js';

const RECEIVED = '2025-02-01T00:00:00.000Z';

function rowOf(table: string, event: object): Record<string, unknown> {
  const schema = tableSchema(table);
  const json = JSON.stringify(event);
  const result = buildRow({ messageId: 'm-1', table, json, bytes: json.length }, schema, RECEIVED);
  if (!result.ok) throw new Error(result.reason);
  return Object.fromEntries(schema.columns.map((c, i) => [c.name, result.values[i]]));
}

describe('coerceValue', () => {
  it.each([
    ['integer', 404, 404],
    ['integer', '404', 404],
    ['integer', ' -7 ', -7],
    ['real', 12.5, 12.5],
    ['real', '12.5', 12.5],
    ['real', '1e3', 1000],
    ['boolean', true, true],
    ['boolean', 'false', false],
    ['boolean', 'TRUE', true],
    ['boolean', 1, true],
    ['text', 'GET', 'GET'],
    ['text', 42, '42'],
    ['text', false, 'false'],
    ['integer', null, null],
  ] as const)('%s ← %j gives %j', (type, value, expected) => {
    expect(coerceValue(value, type)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['integer', 'abc'],
    ['integer', 12.5],
    ['integer', 2 ** 60],
    ['integer', '0x10'],
    ['real', 'fast'],
    ['real', 'Infinity'],
    ['real', ''],
    ['boolean', 'yes'],
    ['boolean', 2],
    ['text', { nested: true }],
    ['text', ['a']],
  ] as const)('%s ← %j cannot be stored losslessly', (type, value) => {
    expect(coerceValue(value, type)).toEqual({ ok: false });
  });
});

describe('buildRow', () => {
  it('maps the envelope and typed fields, leaving an empty JSON object when every property has a column', () => {
    const event = sampleEvent('api', 5);
    const row = rowOf('api_events', event);
    expect(row).toMatchObject({
      message_id: 'm-1',
      timestamp: event.timestamp,
      received_at: RECEIVED,
      event: 'API Call',
      user_id: event.userId,
      anonymous_id: null,
      event_category: 'backend',
      event_action: 'api_request',
      request_id: event.properties.request_id,
      route: event.properties.route,
      status_code: event.properties.status_code,
      duration_ms: event.properties.duration_ms,
    });
    expect(JSON.parse(row.properties as string)).toEqual({});
    expect(JSON.parse(row.context as string)).toEqual(event.context);
  });

  it('keeps unknown properties and values of the wrong type in the JSON column', () => {
    const event = sampleEvent('api', 1);
    event.properties = { ...event.properties, status_code: '503', duration_ms: 'slow', feature_flag: { beta: true } };
    const row = rowOf('api_events', event);
    expect(row.status_code).toBe(503);
    expect(row.duration_ms).toBeNull();
    expect(JSON.parse(row.properties as string)).toEqual({ duration_ms: 'slow', feature_flag: { beta: true } });
  });

  it('a typed property given as null is a NULL column and is not repeated in the JSON column', () => {
    const event = sampleEvent('api', 1);
    event.properties = { ...event.properties, status_code: null, route: undefined };
    const row = rowOf('api_events', event);
    expect(row.status_code).toBeNull();
    expect(JSON.parse(row.properties as string)).toEqual({});
  });

  it('takes the authenticated user from the property and falls back to the top-level userId', () => {
    const event = sampleEvent('authentication', 1);
    expect(rowOf('authentication_events', { ...event, userId: 'top' }).user_id).toBe(event.properties.user_id);
    const { user_id: _dropped, ...rest } = event.properties;
    expect(rowOf('authentication_events', { ...event, userId: 'top', properties: rest }).user_id).toBe('top');
  });

  it('normalises the timestamp to ISO 8601 UTC', () => {
    const event = { ...sampleEvent('system', 1), timestamp: '2025-01-15T14:00:00+02:00' };
    expect(rowOf('system_performance_events', event).timestamp).toBe('2025-01-15T12:00:00.000Z');
  });

  it.each([
    ['not json', '{', /not valid JSON/],
    ['an array', '[]', /not a JSON object/],
    ['bad properties', JSON.stringify({ ...sampleEvent('api', 1), properties: 'x' }), /properties are not a JSON object/],
    ['a bad timestamp', JSON.stringify({ ...sampleEvent('api', 1), timestamp: 'yesterday' }), /invalid timestamp/],
  ])('rejects an event that is %s', (_name, json, reason) => {
    const result = buildRow({ messageId: 'm', table: 'api_events', json, bytes: json.length }, tableSchema('api_events'), RECEIVED);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  // The message id is the key that makes a retried batch add nothing: rows without one would
  // collide with each other, and every one after the first would be skipped as already stored.
  it.each(['', undefined])('rejects an event whose messageId is %j', (messageId) => {
    const json = JSON.stringify(sampleEvent('api', 1));
    const queued = { messageId: messageId as string, table: 'api_events', json, bytes: json.length };
    expect(buildRow(queued, tableSchema('api_events'), RECEIVED)).toEqual({ ok: false, reason: 'Event has no messageId' });
  });

  it('round-trips a queued sample event of every kind', () => {
    const queued = toQueuedEvent(sampleEvent('payment', 3));
    const result = buildRow(queued, tableSchema(queued.table), RECEIVED);
    expect(result.ok).toBe(true);
  });
});
