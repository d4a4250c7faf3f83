import {
  buildClassicBatchBody,
  buildNextBatchBody,
  CLASSIC_TABLE_FIELD,
  spliceClassicMembers,
} from '../../../lib/transports/jitsu/batch-body.js';
import type { QueuedEvent } from '../../../lib/transports/transport.interface.js';
import { SAMPLE_KINDS, sampleEvent, toQueuedEvent } from '../../support/sample-events.js';

const queuedEvents = (count: number): QueuedEvent[] =>
  Array.from({ length: count }, (_, i) => toQueuedEvent(sampleEvent(SAMPLE_KINDS[i % SAMPLE_KINDS.length]!, i)));

function raw(messageId: string, json: string, table = 'custom_events'): QueuedEvent {
  return { messageId, table, json, bytes: Buffer.byteLength(json) };
}

describe('buildNextBatchBody', () => {
  it('wraps the stored JSON strings in {"batch":[...]}, each with the attempt\'s sentAt added', () => {
    const batch = queuedEvents(3);
    const sentAt = new Date('2026-11-28T01:02:03.456Z');
    const built = buildNextBatchBody(batch, sentAt);
    expect(built.eventCount).toBe(3);
    expect(built.invalid).toEqual([]);
    expect(JSON.parse(built.body)).toEqual({ batch: batch.map((e) => ({ ...JSON.parse(e.json), sentAt: '2026-11-28T01:02:03.456Z' })) });
    expect(built.body).toBe(`{"batch":[${batch.map((e) => `${e.json.slice(0, -1)},"sentAt":"2026-11-28T01:02:03.456Z"}`).join(',')}]}`);
    expect(built.payload.length).toBe(Buffer.byteLength(built.body));
  });

  it('keeps special characters intact', () => {
    const event = toQueuedEvent({ ...sampleEvent('custom', 1), event: 'Emoji 🚀 "quoted" \\ back\nline \u2028 sep', userId: 'ünï' });
    const parsed = JSON.parse(buildNextBatchBody([event]).body);
    expect(parsed.batch[0].event).toBe('Emoji 🚀 "quoted" \\ back\nline \u2028 sep');
    expect(parsed.batch[0].userId).toBe('ünï');
  });

  it('builds an empty batch', () => {
    expect(JSON.parse(buildNextBatchBody([]).body)).toEqual({ batch: [] });
  });

  it('reports events whose stored JSON is not an object instead of corrupting the batch', () => {
    const good = toQueuedEvent(sampleEvent('api', 1));
    const built = buildNextBatchBody([good, raw('bad-1', '[1,2]'), raw('bad-2', '"text"'), raw('bad-3', '')]);
    expect(built.eventCount).toBe(1);
    expect(built.invalid.map((i) => i.messageId)).toEqual(['bad-1', 'bad-2', 'bad-3']);
    expect(JSON.parse(built.body).batch).toEqual([{ ...JSON.parse(good.json), sentAt: expect.any(String) }]);
  });
});

describe('buildClassicBatchBody', () => {
  it('sends a JSON array with each event table in __JITSU_TABLE_NAME', () => {
    const batch = [toQueuedEvent(sampleEvent('api', 1)), toQueuedEvent(sampleEvent('payment', 2))];
    const built = buildClassicBatchBody(batch);
    const parsed = JSON.parse(built.body);
    expect(Array.isArray(parsed)).toBe(true);
    expect(parsed.map((e: Record<string, unknown>) => e[CLASSIC_TABLE_FIELD])).toEqual(['api_events', 'payment_events']);
    expect(parsed.map((e: { messageId: string }) => e.messageId)).toEqual(batch.map((e) => e.messageId));
    expect(parsed[1]).toEqual({ [CLASSIC_TABLE_FIELD]: 'payment_events', eventn_ctx: { event_id: batch[1].messageId }, ...JSON.parse(batch[1].json) });
  });

  // Classic stamps events lacking eventn_ctx.event_id with a fresh UUID on every receipt, and that
  // id is its dedup key (primary_key_fields, ClickHouse ORDER BY): a retried batch must carry ours.
  it('carries each messageId as eventn_ctx.event_id, Classic\'s dedup key, identical on every attempt', () => {
    const batch = [toQueuedEvent(sampleEvent('api', 1)), toQueuedEvent(sampleEvent('payment', 2))];
    const first = JSON.parse(buildClassicBatchBody(batch).body);
    expect(first.map((e: { eventn_ctx?: { event_id?: unknown } }) => e.eventn_ctx?.event_id)).toEqual(batch.map((e) => e.messageId));
    expect(buildClassicBatchBody(batch).body).toBe(JSON.stringify(first));
  });

  it('reports non-object events individually', () => {
    const built = buildClassicBatchBody([raw('x', 'null'), toQueuedEvent(sampleEvent('email', 3))]);
    expect(built.invalid).toEqual([{ messageId: 'x', reason: expect.stringContaining('not a serialised JSON object') }]);
    expect(JSON.parse(built.body)).toHaveLength(1);
  });
});

describe('spliceClassicMembers', () => {
  const ID = { eventn_ctx: { event_id: 'id-1' } };

  it('adds the table and the event id as the first members', () => {
    expect(spliceClassicMembers('{"a":1}', 'api_events', 'id-1')).toBe(
      '{"__JITSU_TABLE_NAME":"api_events","eventn_ctx":{"event_id":"id-1"},"a":1}',
    );
  });

  it('handles an empty object and surrounding whitespace', () => {
    expect(JSON.parse(spliceClassicMembers('{}', 't', 'id-1')!)).toEqual({ [CLASSIC_TABLE_FIELD]: 't', ...ID });
    expect(JSON.parse(spliceClassicMembers('  { }  ', 't', 'id-1')!)).toEqual({ [CLASSIC_TABLE_FIELD]: 't', ...ID });
    expect(JSON.parse(spliceClassicMembers('\n{"b":[1,{"c":"}"}]}\n', 't', 'id-1')!)).toEqual({ [CLASSIC_TABLE_FIELD]: 't', ...ID, b: [1, { c: '}' }] });
  });

  it('JSON-escapes the table name and the id', () => {
    const spliced = spliceClassicMembers('{"a":1}', 'we"ird\\name\n', 'i"d\\');
    expect(JSON.parse(spliced!)).toEqual({ [CLASSIC_TABLE_FIELD]: 'we"ird\\name\n', eventn_ctx: { event_id: 'i"d\\' }, a: 1 });
  });

  it('lets an existing member win, as JSON parsers keep the last duplicate', () => {
    const own = JSON.parse(spliceClassicMembers('{"__JITSU_TABLE_NAME":"own","eventn_ctx":{"event_id":"mine"}}', 'routed', 'id-1')!);
    expect(own).toEqual({ [CLASSIC_TABLE_FIELD]: 'own', eventn_ctx: { event_id: 'mine' } });
  });

  it('refuses anything that is not an object', () => {
    for (const json of ['', '[]', '"{}"', '42', 'null', '{', '}', 'x{}']) {
      expect(spliceClassicMembers(json, 't', 'id-1')).toBeUndefined();
    }
  });
});
