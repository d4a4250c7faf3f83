import {
  buildClassicBatchBody,
  buildNextBatchBody,
  CLASSIC_TABLE_FIELD,
  spliceTableName,
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
    expect(parsed[1]).toEqual({ [CLASSIC_TABLE_FIELD]: 'payment_events', ...JSON.parse(batch[1].json) });
  });

  it('reports non-object events individually', () => {
    const built = buildClassicBatchBody([raw('x', 'null'), toQueuedEvent(sampleEvent('email', 3))]);
    expect(built.invalid).toEqual([{ messageId: 'x', reason: expect.stringContaining('not a serialised JSON object') }]);
    expect(JSON.parse(built.body)).toHaveLength(1);
  });
});

describe('spliceTableName', () => {
  it('adds the table as the first member', () => {
    expect(spliceTableName('{"a":1}', 'api_events')).toBe('{"__JITSU_TABLE_NAME":"api_events","a":1}');
  });

  it('handles an empty object and surrounding whitespace', () => {
    expect(JSON.parse(spliceTableName('{}', 't')!)).toEqual({ [CLASSIC_TABLE_FIELD]: 't' });
    expect(JSON.parse(spliceTableName('  { }  ', 't')!)).toEqual({ [CLASSIC_TABLE_FIELD]: 't' });
    expect(JSON.parse(spliceTableName('\n{"b":[1,{"c":"}"}]}\n', 't')!)).toEqual({ [CLASSIC_TABLE_FIELD]: 't', b: [1, { c: '}' }] });
  });

  it('JSON-escapes the table name', () => {
    const spliced = spliceTableName('{"a":1}', 'we"ird\\name\n');
    expect(JSON.parse(spliced!)).toEqual({ [CLASSIC_TABLE_FIELD]: 'we"ird\\name\n', a: 1 });
  });

  it('lets an existing member win, as JSON parsers keep the last duplicate', () => {
    expect(JSON.parse(spliceTableName('{"__JITSU_TABLE_NAME":"own"}', 'routed')!)[CLASSIC_TABLE_FIELD]).toBe('own');
  });

  it('refuses anything that is not an object', () => {
    for (const json of ['', '[]', '"{}"', '42', 'null', '{', '}', 'x{}']) {
      expect(spliceTableName(json, 't')).toBeUndefined();
    }
  });
});
