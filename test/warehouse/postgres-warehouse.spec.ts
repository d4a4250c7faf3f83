import { jest } from '@jest/globals';
import pg from 'pg';
import { createServer } from 'node:net';
import { DeliveryError } from '../../lib/transports/delivery-error.js';
import { createWarehouseTransport } from '../../lib/transports/warehouse/warehouse.transport.js';
import { startPostgres } from '../support/postgres.js';
import { stallingProxy } from './stalling-proxy.js';
import { sampleEvent, toQueuedEvent } from '../support/sample-events.js';
import { postgresFixture, WAITING_INSERT } from './postgres-fixture.js';
import { describeWarehouseAcceptance } from './warehouse-acceptance.js';

// Registration needs to know whether a cluster exists, so the one shared cluster of this file is
// started at module load (Jest ESM allows top-level await) and stopped in afterAll.
const server = await startPostgres();
afterAll(async () => server?.stop());

const signal = () => new AbortController().signal;
const { withClient, databaseUrl, freshUrl, count, statementWaitingOnLock, whileLocked } = postgresFixture(server);

/** The INSERT statements the transport's pool sends, each one a round trip. */
function countInserts(onInsert?: (n: number) => void): () => number {
  const query = pg.Client.prototype.query;
  let inserts = 0;
  jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const [config] = args as [string | { text?: string } | undefined];
    const text = typeof config === 'string' ? config : config?.text;
    if (text?.startsWith('INSERT')) {
      inserts++;
      onInsert?.(inserts);
    }
    return (query as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
  return () => inserts;
}

if (server) {
  describeWarehouseAcceptance('PostgreSQL', {
    freshUrl,
    query: (url, sql) => withClient(url, async (c) => (await c.query(sql)).rows),
    exec: (url, sql) => withClient(url, async (c) => void (await c.query(sql))),
    columns: (url, table) =>
      withClient(url, async (c) =>
        (
          await c.query<{ column_name: string }>(
            'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
            [table],
          )
        ).rows.map((r) => r.column_name),
      ),
    countInserts,
  });

  describe('PostgreSQL specifics', () => {
    it('fails a send retryably while the server is down and delivers the same batch once when it is back', async () => {
      const url = await freshUrl();
      const transport = createWarehouseTransport({ url });
      try {
        expect(await transport.send([toQueuedEvent(sampleEvent('payment', 0))], signal())).toEqual({});
        const batch = [1, 2, 3, 4].map((i) => toQueuedEvent(sampleEvent('payment', i)));

        await server!.pause();
        try {
          const failed = transport.send(batch, signal());
          await expect(failed).rejects.toBeInstanceOf(DeliveryError);
          await expect(failed).rejects.toMatchObject({ retryable: true });
        } finally {
          await server!.resume();
        }

        expect(await transport.send(batch, signal())).toEqual({});
        expect(await transport.send(batch, signal())).toEqual({});
        expect(await count(url, 'payment_events')).toBe(5);
      } finally {
        await transport.close();
      }
    });

    /** `error_message` is a TEXT column; `note` lands in the JSONB `properties`, `source` in JSONB `context`. */
    const storedError = (url: string, messageId: string) =>
      withClient(url, async (c) => {
        const sql =
          "SELECT error_message, properties->>'note' AS note, context->>'source' AS source FROM backend_error_events WHERE message_id = $1";
        return (await c.query(sql, [messageId])).rows;
      });

    it('stores NUL characters, which PostgreSQL refuses, as U+FFFD in text and JSON columns', async () => {
      const url = await freshUrl();
      const event = sampleEvent('error', 2);
      event.properties = { ...event.properties, error_message: 'broken\u0000text', note: 'also\u0000broken' };
      event.context = { ...event.context, source: '\u0000' };
      const transport = createWarehouseTransport({ url });
      try {
        const batch = [sampleEvent('error', 1), event, sampleEvent('error', 3)].map(toQueuedEvent);
        expect(await transport.send(batch, signal())).toEqual({});
        expect(await storedError(url, event.messageId)).toEqual([
          { error_message: 'broken\ufffdtext', note: 'also\ufffdbroken', source: '\ufffd' },
        ]);
        expect(await count(url, 'backend_error_events')).toBe(3);
      } finally {
        await transport.close();
      }
    });

    it('stores unpaired surrogates as U+FFFD in text and JSON columns and keeps valid pairs', async () => {
      const url = await freshUrl();
      const event = sampleEvent('error', 2);
      const unpaired = 'high \ud800, low \udc00, pair \ud83d\ude00';
      event.properties = { ...event.properties, error_message: unpaired, note: unpaired };
      event.context = { ...event.context, source: '\udbff' };
      const transport = createWarehouseTransport({ url });
      try {
        expect(await transport.send([toQueuedEvent(event)], signal())).toEqual({});
        const repaired = 'high \ufffd, low \ufffd, pair \ud83d\ude00';
        expect(await storedError(url, event.messageId)).toEqual([{ error_message: repaired, note: repaired, source: '\ufffd' }]);
      } finally {
        await transport.close();
      }
    });

    it('still rejects a timestamp past year 9999, and a NUL event isolated from the same batch lands repaired', async () => {
      const url = await freshUrl();
      const farFuture = sampleEvent('error', 1);
      farFuture.timestamp = new Date(Date.UTC(10_000, 0, 1)).toISOString();
      const withNul = sampleEvent('error', 2);
      withNul.properties = { ...withNul.properties, error_message: 'broken\u0000text', note: '\u0000' };
      const transport = createWarehouseTransport({ url });
      try {
        const result = await transport.send([farFuture, withNul, sampleEvent('error', 3)].map(toQueuedEvent), signal());
        expect(result).toEqual({ rejected: [{ messageId: farFuture.messageId, reason: expect.stringMatching(/^Insert failed: 22/) }] });
        expect(await storedError(url, withNul.messageId)).toEqual([{ error_message: 'broken\ufffdtext', note: '\ufffd', source: null }]);
        expect(await count(url, 'backend_error_events')).toBe(2);
      } finally {
        await transport.close();
      }
    });

    it('survives its connection being terminated mid-insert: the send fails retryably, nothing stops the process', async () => {
      const url = await freshUrl();
      const transport = createWarehouseTransport({ url });
      try {
        expect(await transport.send([toQueuedEvent(sampleEvent('payment', 0))], signal())).toEqual({});
        await withClient(url, async (locker) => {
          await locker.query('BEGIN');
          await locker.query('LOCK TABLE payment_events IN ACCESS EXCLUSIVE MODE');
          const sending = transport.send([toQueuedEvent(sampleEvent('payment', 1))], signal());
          sending.catch(() => undefined);
          await statementWaitingOnLock(url, 'INSERT');
          await locker.query(`SELECT pg_terminate_backend(pid) FROM (${WAITING_INSERT}) AS waiting`);
          await expect(sending).rejects.toMatchObject({ retryable: true });
          await locker.query('ROLLBACK');
        });
        // The pool replaced the dead connection: the next send lands.
        expect(await transport.send([toQueuedEvent(sampleEvent('payment', 2))], signal())).toEqual({});
      } finally {
        await transport.close();
      }
    });

    // Without a bound, a statement on a connection gone silent waits for TCP to give up (many
    // minutes): each such send holds a pooled client, and the pool stays exhausted long after the
    // database is reachable again.
    it('fails a send on a connection gone silent within its request timeout, and recovers on a fresh one', async () => {
      const proxy = await stallingProxy(server!.port);
      const url = new URL(await freshUrl());
      url.port = String(proxy.port);
      const transport = createWarehouseTransport({ url: url.toString(), requestTimeoutMs: 300 });
      try {
        expect(await transport.send([toQueuedEvent(sampleEvent('email', 0))], signal())).toEqual({});
        proxy.stall();
        const outcome = await Promise.race([
          transport.send([toQueuedEvent(sampleEvent('email', 1))], signal()).then(
            () => 'sent',
            (error: DeliveryError) => (error.retryable ? 'retryable failure' : error.message),
          ),
          new Promise((resolve) => setTimeout(resolve, 10_000, 'still waiting after 10 s')),
        ]);
        expect(outcome).toBe('retryable failure');
        expect(await transport.send([toQueuedEvent(sampleEvent('email', 1))], signal())).toEqual({});
        expect(await count(url.toString(), 'email_events')).toBe(2);
      } finally {
        await transport.close();
        await proxy.close();
      }
    }, 20_000);

    it('gives up on a lock held past the request timeout with a retryable failure, and lands the batch once the lock is gone', async () => {
      const url = await freshUrl();
      const transport = createWarehouseTransport({ url, requestTimeoutMs: 300 });
      const batch = [toQueuedEvent(sampleEvent('file', 1))];
      try {
        expect(await transport.send([toQueuedEvent(sampleEvent('file', 0))], signal())).toEqual({});
        await whileLocked(url, 'file_operation_events', async () => {
          await expect(transport.send(batch, signal())).rejects.toMatchObject({ retryable: true, message: expect.stringMatching(/timeout/) });
        });
        expect(await transport.send(batch, signal())).toEqual({});
        expect(await count(url, 'file_operation_events')).toBe(2);
      } finally {
        await transport.close();
      }
    });

    // 500 rows is a full chunk: its statement is prepared under a name of its table's own.
    it('lands a full chunk for each of two tables in one batch with one insert per table', async () => {
      const url = await freshUrl();
      const api = Array.from({ length: 500 }, (_, i) => toQueuedEvent(sampleEvent('api', i)));
      const errors = Array.from({ length: 500 }, (_, i) => toQueuedEvent(sampleEvent('error', i)));
      const transport = createWarehouseTransport({ url });
      try {
        const inserts = countInserts();
        expect(await transport.send([...api, ...errors], signal())).toEqual({});
        expect(inserts()).toBe(2);
        expect(await count(url, 'api_events')).toBe(500);
        expect(await count(url, 'backend_error_events')).toBe(500);
      } finally {
        jest.restoreAllMocks();
        await transport.close();
      }
    });

    // Two instances starting at once both create the table: the one that loses the race must go
    // on with the table the other made, not reject its events.
    it('creates a table another client is creating at the same moment without rejecting any event', async () => {
      const url = await freshUrl();
      const transport = createWarehouseTransport({ url });
      const batch = [1, 2].map((i) => toQueuedEvent(sampleEvent('api', i)));
      try {
        await withClient(url, async (other) => {
          await other.query('BEGIN');
          await other.query('CREATE TABLE api_events (message_id TEXT PRIMARY KEY)');
          const sending = transport.send(batch, signal());
          await statementWaitingOnLock(url, 'CREATE TABLE');
          await other.query('COMMIT');
          expect(await sending).toEqual({});
        });
        expect(await count(url, 'api_events')).toBe(2);
      } finally {
        await transport.close();
      }
    });

    it('rejects an event its table cannot take without quoting the refused value', async () => {
      // A table made elsewhere (Jitsu's bulker infers user_id as a number from numeric ids).
      const url = await freshUrl();
      await withClient(url, (c) => c.query('CREATE TABLE custom_events (message_id text PRIMARY KEY, user_id bigint)'));
      const event = sampleEvent('custom', 1);
      event.userId = 'acct-Zq81-private';
      const transport = createWarehouseTransport({ url });
      try {
        const result = await transport.send([toQueuedEvent(event)], signal());
        expect(result.rejected).toEqual([{ messageId: event.messageId, reason: 'Insert failed: 22P02: invalid input syntax for type bigint: "?"' }]);
      } finally {
        await transport.close();
      }
    });

    // Class 28: the credentials are wrong, which no retry mends. The pipeline announces that drop
    // with its own reason, so that it reads as a configuration error rather than an outage.
    it('drops a batch for a role the server does not know as unauthorized, without retrying or leaking the password', async () => {
      const url = new URL(await freshUrl());
      url.username = 'no_such_role';
      url.password = 'Sup3r-Secret-pw';
      const transport = createWarehouseTransport({ url: url.toString() });
      try {
        const failed = transport.send([toQueuedEvent(sampleEvent('api', 1))], signal());
        await expect(failed).rejects.toBeInstanceOf(DeliveryError);
        await expect(failed).rejects.toMatchObject({ retryable: false, dropReason: 'unauthorized', message: expect.stringMatching(/28000/) });
        await expect(failed).rejects.not.toMatchObject({ message: expect.stringContaining('Sup3r-Secret-pw') });
      } finally {
        await transport.close();
      }
    });

    // The driver's messages are not ours to vouch for: one that quotes the connection settings
    // must not carry the password into the failure, which is logged and reported in health.
    it("masks the password in a driver failure that quotes it", async () => {
      const url = new URL(await freshUrl());
      url.password = 'Sup3r-Secret-pw';
      const transport = createWarehouseTransport({ url: url.toString() });
      jest.spyOn(pg.Client.prototype, 'query').mockImplementation(() => {
        throw Object.assign(new Error('connection to postgres://postgres:Sup3r-Secret-pw@127.0.0.1 failed'), { code: '08006' });
      });
      try {
        const failed = transport.send([toQueuedEvent(sampleEvent('api', 1))], signal());
        await expect(failed).rejects.toMatchObject({ retryable: true, message: expect.stringContaining('postgres:***@127.0.0.1') });
        await expect(failed).rejects.not.toMatchObject({ message: expect.stringContaining('Sup3r-Secret-pw') });
      } finally {
        jest.restoreAllMocks();
        await transport.close();
      }
    });

    it('drops a batch for a database that does not exist without retrying or leaking the password', async () => {
      const url = new URL(databaseUrl('no_such_database'));
      url.password = 'Sup3r-Secret-pw';
      const transport = createWarehouseTransport({ url: url.toString() });
      try {
        const failed = transport.send([toQueuedEvent(sampleEvent('api', 1))], signal());
        await expect(failed).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/3D000/) });
        await expect(failed).rejects.not.toMatchObject({ message: expect.stringContaining('Sup3r-Secret-pw') });
      } finally {
        await transport.close();
      }
    });
  });
}

describe('PostgreSQL unreachable', () => {
  it('throws a retryable DeliveryError whose message does not contain the password', async () => {
    const port = await closedPort();
    const transport = createWarehouseTransport({ url: `postgres://app:Sup3r-Secret-pw@127.0.0.1:${port}/analytics` });
    try {
      const failed = transport.send([toQueuedEvent(sampleEvent('api', 1))], signal());
      await expect(failed).rejects.toBeInstanceOf(DeliveryError);
      await expect(failed).rejects.toMatchObject({ retryable: true, message: expect.stringMatching(/ECONNREFUSED/) });
      const error = (await failed.catch((e: unknown) => e)) as Error;
      expect(`${error.message} ${error.stack}`).not.toContain('Sup3r-Secret-pw');
    } finally {
      await transport.close();
    }
  });
});

/** A port nothing listens on: bound once to learn a free number, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
