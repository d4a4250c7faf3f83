import fc from 'fast-check';
import { type SqlClassification, classifySql } from '../../lib/privacy/sql-classify.js';
import { classifySql as reExported } from '../../lib/privacy/sql-fingerprint.js';

const SEED = 3_306;

describe('classifySql', () => {
  it.each<[string, SqlClassification]>([
    // SELECT: first table after FROM or JOIN at the statement's own level
    ['SELECT * FROM users', { queryType: 'SELECT', table: 'users' }],
    ['select id from public.users where id = 1', { queryType: 'SELECT', table: 'public.users' }],
    ['SELECT "User"."id" FROM "public"."User" "User"', { queryType: 'SELECT', table: 'public.User' }],
    ['SELECT `id` FROM `shop`.`order items`', { queryType: 'SELECT', table: 'shop.order items' }],
    ['SELECT [id] FROM [dbo].[Users]', { queryType: 'SELECT', table: 'dbo.Users' }],
    ['SELECT * FROM "we""ird"', { queryType: 'SELECT', table: 'we"ird' }],
    ['SELECT (SELECT max(x) FROM inner_t) AS m FROM outer_t', { queryType: 'SELECT', table: 'outer_t' }],
    ['SELECT * FROM (SELECT * FROM a) sub JOIN b ON b.id = sub.id', { queryType: 'SELECT', table: 'b' }],
    ['SELECT * FROM ONLY parent_t', { queryType: 'SELECT', table: 'parent_t' }],
    ['SELECT 1', { queryType: 'SELECT' }],
    ['SELECT now()', { queryType: 'SELECT' }],
    ['SELECT * FROM generate_series(1, 3)', { queryType: 'SELECT' }],
    ['SELECT * FROM unnest($1) u JOIN items i ON i.id = u.id', { queryType: 'SELECT', table: 'items' }],
    ['SELECT * FROM t FOR UPDATE', { queryType: 'SELECT', table: 't' }],
    ['(SELECT a FROM t1) UNION (SELECT a FROM t2)', { queryType: 'SELECT', table: 't1' }],
    ['/* app:42 */ -- hint\n  ((SELECT * FROM wrapped))', { queryType: 'SELECT', table: 'wrapped' }],
    // INSERT and upserts
    ['INSERT INTO orders (a) VALUES (1)', { queryType: 'INSERT', table: 'orders' }],
    ['insert into "public"."orders" values ($1) on conflict (id) do update set a = excluded.a', { queryType: 'INSERT', table: 'public.orders' }],
    ['INSERT IGNORE INTO logs SET a = 1', { queryType: 'INSERT', table: 'logs' }],
    ['INSERT OR REPLACE INTO kv VALUES (?, ?)', { queryType: 'INSERT', table: 'kv' }],
    ['INSERT logs VALUES (1)', { queryType: 'INSERT', table: 'logs' }],
    ['REPLACE INTO kv VALUES (1)', { queryType: 'INSERT', table: 'kv' }],
    ['UPSERT INTO kv VALUES (1)', { queryType: 'INSERT', table: 'kv' }],
    ['INSERT INTO archive SELECT * FROM live', { queryType: 'INSERT', table: 'archive' }],
    ['MERGE INTO target t USING source s ON t.id = s.id WHEN MATCHED THEN DELETE', { queryType: 'MERGE', table: 'target' }],
    // UPDATE, DELETE
    ['UPDATE users SET a = 1 FROM other WHERE users.id = other.id', { queryType: 'UPDATE', table: 'users' }],
    ['UPDATE ONLY "Users" SET a = 1', { queryType: 'UPDATE', table: 'Users' }],
    ['UPDATE LOW_PRIORITY IGNORE t SET a = 1', { queryType: 'UPDATE', table: 't' }],
    ['DELETE FROM sessions WHERE id IN (SELECT id FROM expired)', { queryType: 'DELETE', table: 'sessions' }],
    ['DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id', { queryType: 'DELETE', table: 't1' }],
    ['DELETE QUICK FROM t', { queryType: 'DELETE', table: 't' }],
    // CTEs: the main statement decides
    ['WITH recent AS (SELECT * FROM orders) SELECT * FROM recent', { queryType: 'SELECT', table: 'recent' }],
    ['WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r', { queryType: 'SELECT', table: 'r' }],
    ['WITH a AS (SELECT 1), b AS MATERIALIZED (SELECT 2) INSERT INTO dest SELECT * FROM a', { queryType: 'INSERT', table: 'dest' }],
    ['WITH gone AS (DELETE FROM carts RETURNING id) UPDATE stats SET n = n + 1', { queryType: 'UPDATE', table: 'stats' }],
    ['WITH x AS (SELECT 1)', { queryType: 'OTHER' }],
    // DDL
    ['CREATE TABLE IF NOT EXISTS "analytics"."events" (id int)', { queryType: 'CREATE', table: 'analytics.events' }],
    ['CREATE TEMP TABLE scratch AS SELECT * FROM src', { queryType: 'CREATE', table: 'scratch' }],
    ['CREATE UNIQUE INDEX idx_email ON users (email)', { queryType: 'CREATE', table: 'users' }],
    ['CREATE INDEX CONCURRENTLY idx ON public.users USING btree (email)', { queryType: 'CREATE', table: 'public.users' }],
    ['CREATE VIEW v AS SELECT * FROM t', { queryType: 'CREATE' }],
    ['ALTER TABLE ONLY users ADD COLUMN age int', { queryType: 'ALTER', table: 'users' }],
    ['DROP TABLE IF EXISTS old_t CASCADE', { queryType: 'DROP', table: 'old_t' }],
    ['DROP INDEX idx', { queryType: 'DROP' }],
    ['TRUNCATE logs', { queryType: 'TRUNCATE', table: 'logs' }],
    ['TRUNCATE TABLE ONLY public.logs RESTART IDENTITY', { queryType: 'TRUNCATE', table: 'public.logs' }],
    // transactions and session statements
    ['BEGIN', { queryType: 'BEGIN' }],
    ['begin transaction isolation level serializable', { queryType: 'BEGIN' }],
    ['START TRANSACTION READ ONLY', { queryType: 'BEGIN' }],
    ['START REPLICA', { queryType: 'OTHER' }],
    ['COMMIT', { queryType: 'COMMIT' }],
    ['END', { queryType: 'COMMIT' }],
    ['ROLLBACK TO SAVEPOINT sp1', { queryType: 'ROLLBACK' }],
    ['ABORT', { queryType: 'ROLLBACK' }],
    ['SAVEPOINT typeorm_1', { queryType: 'SAVEPOINT' }],
    ['RELEASE SAVEPOINT typeorm_1', { queryType: 'RELEASE' }],
    ['SET search_path TO public', { queryType: 'SET' }],
    ['SHOW server_version', { queryType: 'SHOW' }],
    ['PRAGMA journal_mode = WAL', { queryType: 'PRAGMA' }],
    ['CALL refresh_stats(1)', { queryType: 'CALL' }],
    // EXPLAIN keeps its own type and reports the explained statement's table
    ['EXPLAIN SELECT * FROM t', { queryType: 'EXPLAIN', table: 't' }],
    ['EXPLAIN (ANALYZE, FORMAT JSON) UPDATE t SET a = 1', { queryType: 'EXPLAIN', table: 't' }],
    ['EXPLAIN QUERY PLAN SELECT * FROM sqlite_t', { queryType: 'EXPLAIN', table: 'sqlite_t' }],
    ['EXPLAIN ANALYZE VERBOSE INSERT INTO t VALUES (1)', { queryType: 'EXPLAIN', table: 't' }],
    // everything else
    ['VACUUM', { queryType: 'OTHER' }],
    ['VALUES (1)', { queryType: 'OTHER' }],
    ['', { queryType: 'OTHER' }],
    ['   -- only a comment', { queryType: 'OTHER' }],
    ["'SELECT * FROM t'", { queryType: 'OTHER' }],
  ])('%j → %j', (sql, expected) => {
    expect(classifySql(sql)).toEqual(expected);
  });

  it('is re-exported from sql-fingerprint', () => {
    expect(reExported).toBe(classifySql);
  });

  it('returns OTHER for non-strings instead of throwing', () => {
    for (const value of [undefined, null, 42, {}, []]) expect(classifySql(value as unknown as string)).toEqual({ queryType: 'OTHER' });
  });

  it('survives deep nesting and long chains without recursion trouble', () => {
    expect(classifySql(`${'EXPLAIN '.repeat(8_000)}SELECT * FROM t`)).toEqual({ queryType: 'EXPLAIN', table: 't' });
    expect(classifySql(`${'('.repeat(30_000)}SELECT * FROM t`)).toEqual({ queryType: 'SELECT', table: 't' });
    expect(classifySql(`WITH ${'c AS (SELECT 1), '.repeat(2_000)}d AS (SELECT 2) DELETE FROM t`)).toEqual({ queryType: 'DELETE', table: 't' });
  });

  it('never throws and only reports known query types (property)', () => {
    const known = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'SET', 'SHOW', 'PRAGMA', 'CALL', 'EXPLAIN', 'OTHER']);
    const words = fc.constantFrom('SELECT', 'WITH', 'EXPLAIN', 'INSERT', 'INTO', 'FROM', 'JOIN', '(', ')', 't', '"q"', '.', ',', "'x'", 'UPDATE', 'TABLE', 'IF', 'EXISTS');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(words, { maxLength: 30 }).map((w) => w.join(' '))), (sql) => {
        const { queryType, table } = classifySql(sql);
        expect(known.has(queryType)).toBe(true);
        if (table !== undefined) expect(table.length).toBeGreaterThan(0);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
