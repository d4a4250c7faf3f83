import pg from 'pg';
import type { TestPostgres } from '../support/postgres.js';
import { until } from '../support/until.js';

/** The sessions whose statement, starting with `statement`, waits on a lock another client holds. */
const waitingStatements = (statement: string) => `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '${statement}%'`;

/** An INSERT of the transport's waiting on a lock another client holds. */
export const WAITING_INSERT = waitingStatements('INSERT');

/**
 * Helpers around one spec file's cluster (from `startPostgres`, undefined when PostgreSQL is
 * missing: the helpers are then only ever called inside that file's `if (server)` blocks).
 */
export function postgresFixture(server: TestPostgres | undefined) {
  let schemas = 0;

  async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await use(client);
    } finally {
      await client.end();
    }
  }

  return {
    withClient,

    databaseUrl(name: string): string {
      const url = new URL(server!.url);
      url.pathname = `/${name}`;
      return url.toString();
    },

    /** A fresh schema made current through the startup `options`: cheaper than a database per test. */
    async freshUrl(): Promise<string> {
      const schema = `warehouse_${++schemas}`;
      await withClient(server!.url, (c) => c.query(`CREATE SCHEMA ${schema}`));
      const url = new URL(server!.url);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return url.toString();
    },

    count: (url: string, table: string): Promise<number> =>
      withClient(url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n)),

    /** Runs `body` while another client holds an exclusive lock on `table`, released afterwards. */
    whileLocked<T>(url: string, table: string, body: (locker: pg.Client) => Promise<T>): Promise<T> {
      return withClient(url, async (locker) => {
        await locker.query('BEGIN');
        await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
        try {
          return await body(locker);
        } finally {
          await locker.query('ROLLBACK');
        }
      });
    },

    /**
     * Resolves once a statement starting with `statement` (an INSERT, a CREATE TABLE) waits on a
     * lock. Polled from a client of its own, outside any transaction: inside one, PostgreSQL
     * shows the activity as it was at the transaction's first look.
     */
    statementWaitingOnLock(url: string, statement: string): Promise<void> {
      return withClient(url, async (watcher) => {
        let waiting = false;
        const poll = setInterval(() => void watcher.query(waitingStatements(statement)).then((r) => (waiting ||= r.rows.length > 0), () => undefined), 20);
        try {
          await until(() => waiting, `the ${statement} to wait on the lock`);
        } finally {
          clearInterval(poll);
        }
      });
    },
  };
}

/**
 * `promise`'s outcome (a rejection as its reason) if it settles within `ms`, otherwise a string
 * saying it did not: a test of "fails promptly" then fails by assertion, not by Jest's timeout.
 */
export async function outcomeWithin(ms: number, promise: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(resolve, ms, `still pending after ${ms} ms`)));
  try {
    return await Promise.race([promise.catch((error: unknown) => error), late]);
  } finally {
    clearTimeout(timer);
  }
}
