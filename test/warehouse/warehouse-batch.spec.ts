import { planBatch } from '../../lib/transports/warehouse/warehouse-batch.js';
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
