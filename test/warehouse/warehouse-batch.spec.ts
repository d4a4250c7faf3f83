import { bisect, planBatch, sliceGroup } from '../../lib/transports/warehouse/warehouse-batch.js';
import { MissingDriverError, loadDriver } from '../../lib/transports/warehouse/warehouse-dialect.js';
import { tableSchema } from '../../lib/transports/warehouse/warehouse-schema.js';
import { sampleEvent, toQueuedEvent } from '../support/sample-events.js';

const RECEIVED = '2025-02-01T00:00:00.000Z';

describe('planBatch', () => {
  it('groups rows per table in arrival order and rejects unusable events before any SQL', () => {
    const api = [1, 2].map((i) => toQueuedEvent(sampleEvent('api', i)));
    const email = toQueuedEvent(sampleEvent('email', 1));
    const badTable = { ...toQueuedEvent(sampleEvent('api', 3)), table: 'x; DROP TABLE y' };
    const badJson = { ...toQueuedEvent(sampleEvent('email', 2)), json: 'not json' };
    const schemaFor = (table: string) => tableSchema(table);

    const plan = planBatch([api[0]!, email, badTable, api[1]!, badJson], schemaFor, RECEIVED);

    expect(plan.groups.map((g) => [g.schema.table, g.messageIds])).toEqual([
      ['api_events', api.map((e) => e.messageId)],
      ['email_events', [email.messageId]],
    ]);
    expect(plan.groups[0]!.rows[1]![0]).toBe(api[1]!.messageId);
    expect(plan.rejected).toEqual([
      { messageId: badTable.messageId, reason: expect.stringMatching(/^Invalid table name/) },
      { messageId: badJson.messageId, reason: 'Event is not valid JSON' },
    ]);
    expect(plan.rejected[0]!.reason).not.toContain('DROP');
  });

  it('drops a table whose every event was rejected', () => {
    const onlyBad = { ...toQueuedEvent(sampleEvent('file', 1)), json: '[]' };
    expect(planBatch([onlyBad], (t) => tableSchema(t), RECEIVED).groups).toEqual([]);
  });
});

describe('bisect', () => {
  /** Runs `bisect` over `size` rows of which those in `bad` fail: the ranges tried, and the rows found bad. */
  async function search(size: number, bad: readonly number[]) {
    const tried: string[] = [];
    const found: number[] = [];
    await bisect(0, size, async (start, end) => {
      tried.push(`${start}-${end}`);
      const fails = bad.some((i) => i >= start && i < end);
      if (fails && end - start === 1) found.push(start);
      return !fails;
    });
    return { tried, found };
  }

  it('tries everything at once when nothing is bad', async () => {
    expect(await search(8, [])).toEqual({ tried: ['0-8'], found: [] });
  });

  it('halves the failing ranges only, and splits a right half known to fail without trying it whole', async () => {
    // 0-4 landed, so 4-8 holds the fault; 4-5 landed, so 5-6 is the bad row.
    expect(await search(8, [5])).toEqual({ tried: ['0-8', '0-4', '4-6', '4-5', '5-6', '6-8'], found: [5] });
  });

  it('needs at most 2·log2(n)+1 attempts for one bad row of a power of two, fewer the later it is', async () => {
    const counts = await Promise.all([0, 100, 255].map(async (at) => (await search(256, [at])).tried.length));
    expect(counts).toEqual([17, 14, 10]);
  });

  it('finds every bad row of an odd-sized range, in order, and settles a single row with one attempt', async () => {
    expect((await search(13, [12, 0, 6, 7])).found).toEqual([0, 6, 7, 12]);
    expect((await search(13, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])).found).toHaveLength(13);
    expect(await search(1, [0])).toEqual({ tried: ['0-1'], found: [0] });
  });

  it('stops at the first attempt that throws', async () => {
    const failure = new Error('connection lost');
    let attempts = 0;
    const attempt = async () => {
      if (++attempts === 3) throw failure;
      return false;
    };
    await expect(bisect(0, 8, attempt)).rejects.toBe(failure);
    expect(attempts).toBe(3);
  });
});

describe('sliceGroup', () => {
  it('keeps rows and message ids aligned', () => {
    const api = [1, 2, 3, 4].map((i) => toQueuedEvent(sampleEvent('api', i)));
    const [group] = planBatch(api, (t) => tableSchema(t), RECEIVED).groups;
    const slice = sliceGroup(group!, 1, 3);
    expect(slice.schema).toBe(group!.schema);
    expect(slice.messageIds).toEqual([api[1]!.messageId, api[2]!.messageId]);
    expect(slice.rows.map((row) => row[0])).toEqual(slice.messageIds);
  });
});

describe('loadDriver', () => {
  it('turns a missing optional driver into an install hint', async () => {
    const load = () => import('a-driver-that-is-not-installed' as string);
    await expect(loadDriver('pg', 'PostgreSQL', load)).rejects.toThrow(MissingDriverError);
    await expect(loadDriver('pg', 'PostgreSQL', load)).rejects.toThrow("needs the 'pg' package: npm install pg");
  });

  it('passes other load failures through', async () => {
    const failure = new Error('native binding failed');
    await expect(loadDriver('pg', 'PostgreSQL', () => Promise.reject(failure))).rejects.toBe(failure);
  });
});
