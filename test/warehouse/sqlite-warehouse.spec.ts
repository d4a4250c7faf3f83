import { jest } from '@jest/globals';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryError } from '../../lib/transports/delivery-error.js';
import { createWarehouseTransport } from '../../lib/transports/warehouse/warehouse.transport.js';
import { sampleEvent, toQueuedEvent } from '../support/sample-events.js';
import { describeWarehouseAcceptance } from './warehouse-acceptance.js';

const dir = mkdtempSync(join(tmpdir(), 'jitsu-wh-sqlite-'));
let databases = 0;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fileOf = (url: string) => url.slice('sqlite:'.length);

function withDb<T>(url: string, use: (db: Database.Database) => T): T {
  const db = new Database(fileOf(url));
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/**
 * The transport's inserts as the driver sees them: each batch insert is one transaction (its rows
 * run one by one inside it, all local), each single-row insert an autocommitted statement.
 */
function countInserts(onInsert?: (n: number) => void): () => number {
  const probe = new Database(':memory:');
  const Statement = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Database.Statement;
  probe.close();
  const run = Statement.run;
  let inserts = 0;
  jest.spyOn(Statement, 'run').mockImplementation(function (this: Database.Statement, ...params: unknown[]) {
    if (this.source === 'BEGIN' || (this.source.startsWith('INSERT') && !this.database.inTransaction)) {
      inserts++;
      onInsert?.(inserts);
    }
    return run.apply(this, params);
  });
  return () => inserts;
}

describeWarehouseAcceptance('SQLite', {
  freshUrl: async () => `sqlite:${join(dir, `db-${++databases}.sqlite`)}`,
  query: async (url, sql) => withDb(url, (db) => db.prepare(sql).all() as Record<string, unknown>[]),
  exec: async (url, sql) => withDb(url, (db) => void db.exec(sql)),
  columns: async (url, table) =>
    withDb(url, (db) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name)),
  countInserts,
});

describe('SQLite specifics', () => {
  const signal = new AbortController().signal;

  it('creates missing parent directories and opens the file in WAL mode', async () => {
    const file = join(dir, 'nested', 'deeper', 'analytics.sqlite');
    const transport = createWarehouseTransport({ url: `sqlite:${file}` });
    expect(existsSync(file)).toBe(false);
    expect(await transport.send([toQueuedEvent(sampleEvent('email', 1))], signal)).toEqual({});
    await transport.close();
    withDb(`sqlite:${file}`, (db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT email_success, recipient_domain FROM email_events').get()).toEqual({
        email_success: 1,
        recipient_domain: 'example.org',
      });
    });
  });

  // The second case's batch is the first of its kind: its table is made under the lock, which is
  // no reason to reject its events either.
  it.each([
    ['a locked database', 'file', 3, 'file_operation_events', 4],
    ['a lock met while creating a table', 'email', 2, 'email_events', 2],
  ] as const)('reports %s as retryable and delivers the same batch once the lock is gone', async (_case, kind, size, table, rows) => {
    const url = `sqlite:${join(dir, `locked-${kind}.sqlite`)}`;
    const transport = createWarehouseTransport({ url });
    const batch = Array.from({ length: size }, (_, i) => toQueuedEvent(sampleEvent(kind, i + 1)));
    try {
      expect(await transport.send([toQueuedEvent(sampleEvent('file', 0))], signal)).toEqual({});
      const other = new Database(fileOf(url));
      other.exec('BEGIN IMMEDIATE');
      try {
        const failed = transport.send(batch, signal);
        await expect(failed).rejects.toBeInstanceOf(DeliveryError);
        await expect(failed).rejects.toMatchObject({ retryable: true, message: expect.stringMatching(/SQLITE_BUSY/) });
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect(await transport.send(batch, signal)).toEqual({});
    } finally {
      await transport.close();
    }
    withDb(url, (db) => expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: rows }));
  });

  it('reports a database file that cannot be opened as retryable', async () => {
    const blocker = join(dir, 'not-a-directory');
    writeFileSync(blocker, 'x');
    const transport = createWarehouseTransport({ url: `sqlite:${join(blocker, 'analytics.sqlite')}` });
    await expect(transport.send([toQueuedEvent(sampleEvent('api', 1))], signal)).rejects.toMatchObject({
      name: 'DeliveryError',
      retryable: true,
    });
    // A failed open is not kept: once the path can be created, the next send opens it.
    rmSync(blocker);
    expect(await transport.send([toQueuedEvent(sampleEvent('api', 1))], signal)).toEqual({});
    await transport.close();
    withDb(`sqlite:${join(blocker, 'analytics.sqlite')}`, (db) => expect(db.prepare('SELECT count(*) AS n FROM api_events').get()).toEqual({ n: 1 }));
  });


  // Only a failure for a data reason makes a row bad: a lock met halfway through the search is the
  // database's, and rejecting the rows tried under it would lose good events.
  it('reports a lock met while isolating a bad event as retryable, rejecting no good event', async () => {
    const url = `sqlite:${join(dir, 'locked-search.sqlite')}`;
    withDb(url, (db) => db.exec(`CREATE TABLE signup_funnel (message_id TEXT PRIMARY KEY, event TEXT CHECK (event <> 'Poisoned'))`));
    const batch = [0, 1, 2, 3].map((i) =>
      toQueuedEvent({ ...sampleEvent('custom', i), JITSU_TABLE_NAME: 'signup_funnel', ...(i === 3 ? { event: 'Poisoned' } : {}) }),
    );
    const transport = createWarehouseTransport({ url });
    const other = new Database(fileOf(url));
    try {
      // The whole batch fails on the bad event; the lock is taken as the search begins.
      countInserts((n) => n === 2 && other.exec('BEGIN IMMEDIATE'));
      const failed = transport.send(batch, signal);
      await expect(failed).rejects.toBeInstanceOf(DeliveryError);
      await expect(failed).rejects.toMatchObject({ retryable: true, message: expect.stringMatching(/SQLITE_BUSY/) });
      jest.restoreAllMocks();
      other.exec('ROLLBACK');

      expect(await transport.send(batch, signal)).toEqual({ rejected: [{ messageId: batch[3]!.messageId, reason: expect.stringMatching(/^Insert failed: .*CHECK constraint/i) }] });
    } finally {
      jest.restoreAllMocks();
      other.close();
      await transport.close();
    }
    withDb(url, (db) => expect(db.prepare('SELECT count(*) AS n FROM signup_funnel').get()).toEqual({ n: 3 }));
  });

  it('close lets a send under way finish first: when it resolves, the send has landed', async () => {
    const url = `sqlite:${join(dir, 'close-while-sending.sqlite')}`;
    const transport = createWarehouseTransport({ url });
    let outcome: unknown;
    const sending = transport.send([toQueuedEvent(sampleEvent('api', 1))], signal).then((result) => (outcome = result));
    await transport.close();
    expect(outcome).toEqual({});
    await sending;
    withDb(url, (db) => expect(db.prepare('SELECT count(*) AS n FROM api_events').get()).toEqual({ n: 1 }));
  });

  // An open handle keeps writing into a deleted file's inode: every event would count as sent
  // and be unreadable. Deleting or rotating the file is what users do to reset or archive it.
  it('writes to the file the url names after that file was deleted or rotated away', async () => {
    const file = join(dir, 'replaced.sqlite');
    const url = `sqlite:${file}`;
    const transport = createWarehouseTransport({ url });
    const ids = (path: string) =>
      withDb(`sqlite:${path}`, (db) => (db.prepare('SELECT message_id AS id FROM api_events ORDER BY id').all() as { id: string }[]).map((r) => r.id));
    const events = [1, 2, 3].map((i) => toQueuedEvent(sampleEvent('api', i)));
    try {
      expect(await transport.send([events[0]!], signal)).toEqual({});
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      expect(await transport.send([events[1]!], signal)).toEqual({});
      expect(ids(file)).toEqual([events[1]!.messageId]);

      const rotated = join(dir, 'replaced.1.sqlite');
      renameSync(file, rotated);
      expect(await transport.send([events[2]!], signal)).toEqual({});
      expect(ids(file)).toEqual([events[2]!.messageId]);
      expect(ids(rotated)).toEqual([events[1]!.messageId]);
    } finally {
      await transport.close();
    }
  });

  it('works on an in-memory database', async () => {
    const transport = createWarehouseTransport({ url: 'sqlite::memory:' });
    const batch = [toQueuedEvent(sampleEvent('system', 1)), { ...toQueuedEvent(sampleEvent('system', 2)), json: '{' }];
    expect(await transport.send(batch, signal)).toEqual({
      rejected: [{ messageId: batch[1]!.messageId, reason: 'Event is not valid JSON' }],
    });
    await transport.close();
  });
});
