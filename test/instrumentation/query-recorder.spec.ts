import { resolveDatabaseOptions, type DatabaseOptions } from '../../lib/instrumentation/database-options.js';
import { QueryRecorder } from '../../lib/instrumentation/query-recorder.js';
import type { SqlDialect } from '../../lib/privacy/sql-dialect.js';
import { wireAnalytics, type WireAnalytics } from './wire-analytics.js';

let wa: WireAnalytics;
afterEach(() => wa.analytics.shutdown());

/** A recorder whose "random" draws come from `draws`, in order. */
function recorder(options: DatabaseOptions, draws: number[] = [], dialect: SqlDialect = 'unknown'): QueryRecorder {
  wa = wireAnalytics();
  return new QueryRecorder(wa.analytics.core, resolveDatabaseOptions(undefined, options), dialect, () => draws.shift() ?? 0);
}

const recorded = async () => (await wa.events()).filter((e) => e.event === 'Database Query').map((e) => e.properties);

describe('QueryRecorder', () => {
  it('records type, table, fingerprint, duration (µs precision) and success', async () => {
    recorder({}).record({ sql: `SELECT * FROM "orders" WHERE id = 42`, durationMs: 1.23456789, success: true });
    expect(await recorded()).toEqual([
      expect.objectContaining({
        query_type: 'SELECT',
        query_table: 'orders',
        query_fingerprint: 'SELECT * FROM "orders" WHERE id = ?',
        query_duration_ms: 1.235,
        query_success: true,
      }),
    ]);
  });

  it('keeps sampled-out queries out, marks sampled ones with sample_rate, always keeps slow and failed ones', async () => {
    const r = recorder({ sampleRate: 0.25, slowQueryMs: 100 }, [0.1, 0.9]);
    r.record({ sql: 'SELECT 1 FROM a', durationMs: 1, success: true }); // draw 0.1 < 0.25: kept
    r.record({ sql: 'SELECT 2 FROM b', durationMs: 1, success: true }); // draw 0.9: dropped
    r.record({ sql: 'SELECT 3 FROM c', durationMs: 150, success: true }); // slow: kept, no draw
    r.record({ sql: 'SELECT 4 FROM d', durationMs: 1, success: false, error: { code: 'E1' } }); // failed: kept
    const events = await recorded();
    expect(events.map((p) => [p.query_table, p.sample_rate])).toEqual([
      ['a', 0.25],
      ['c', undefined],
      ['d', undefined],
    ]);
    expect(wa.analytics.stats().dropped).toEqual({});
  });

  it('always keeps a query that takes exactly slowQueryMs, and never a faster one at sampleRate 0, whatever the draw', async () => {
    const r = recorder({ sampleRate: 0, slowQueryMs: 100 }, [0, 0, 0]);
    r.record({ sql: 'SELECT 1 FROM at_threshold', durationMs: 100, success: true });
    r.record({ sql: 'SELECT 1 FROM just_under', durationMs: 99.999, success: true }); // draw 0 is not below 0
    r.record({ sql: 'SELECT 1 FROM fast', durationMs: 0, success: true });
    expect((await recorded()).map((p) => [p.query_table, p.sample_rate])).toEqual([['at_threshold', undefined]]);
  });

  it('drops a sampled query whose draw equals the rate: draws in [0, 1) keep exactly sampleRate of them', async () => {
    const r = recorder({ sampleRate: 0.5 }, [0.5, 0.4999]);
    r.record({ sql: 'SELECT 1 FROM a', durationMs: 1, success: true });
    r.record({ sql: 'SELECT 1 FROM b', durationMs: 1, success: true });
    expect((await recorded()).map((p) => [p.query_table, p.sample_rate])).toEqual([['b', 0.5]]);
  });

  it('records a duration the clock made negative, or one that is not a finite number, as 0', async () => {
    const r = recorder({});
    r.record({ sql: 'SELECT 1 FROM a', durationMs: -3.5, success: true });
    r.record({ sql: 'SELECT 1 FROM b', durationMs: Number.NaN, success: true });
    r.record({ sql: 'SELECT 1 FROM c', durationMs: Number.POSITIVE_INFINITY, success: true });
    expect((await recorded()).map((p) => [p.query_table, p.query_duration_ms])).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 0],
    ]);
  });

  it('ignores statements by substring (case and whitespace insensitive) or RegExp, including global ones', async () => {
    const r = recorder({ ignore: ['"typeorm_metadata"', /^select 1$/gi] });
    for (let i = 0; i < 2; i++) {
      r.record({ sql: 'SELECT 1', durationMs: 1, success: true });
      r.record({ sql: 'select   *\n FROM "TYPEORM_METADATA" where x = 1', durationMs: 1, success: true });
      r.record({ sql: 'SELECT 1 + 1 FROM users', durationMs: 1, success: true });
    }
    expect((await recorded()).map((p) => p.query_fingerprint)).toEqual(['SELECT ? + ? FROM users', 'SELECT ? + ? FROM users']);
  });

  it('records a failure as a failed query plus a Backend Error without the quoted value', async () => {
    recorder({}).record({
      sql: 'INSERT INTO users (email) VALUES ($1)',
      durationMs: 2,
      success: false,
      error: Object.assign(new Error(`Duplicate entry 'amy@corp.example' for key 'users.email'`), { code: 'ER_DUP_ENTRY' }),
    });
    const events = await wa.events();
    expect(events.map((e) => e.event)).toEqual(['Database Query', 'Backend Error']);
    expect(events[0].properties).toMatchObject({ query_success: false, error_code: 'ER_DUP_ENTRY', query_fingerprint: 'INSERT INTO users(email) VALUES (?)' });
    expect(events[1].properties).toMatchObject({
      error_source: 'database',
      error_name: 'Error',
      error_message: `Duplicate entry '?' for key 'users.email'`,
      error_code: 'ER_DUP_ENTRY',
      query_type: 'INSERT',
      query_table: 'users',
    });
    expect(events[1].properties.stack_fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(events)).not.toContain('amy');
  });

  it('still records a failed query and its Backend Error when nothing can be read from the driver error', async () => {
    const { proxy: unreadable, revoke } = Proxy.revocable({}, {});
    revoke();
    recorder({}).record({ sql: 'DELETE FROM sessions WHERE id = $1', durationMs: 1, success: false, error: unreadable });
    const events = await wa.events();
    expect(events.map((e) => [e.event, e.properties.query_table, e.properties.error_message])).toEqual([
      ['Database Query', 'sessions', undefined],
      ['Backend Error', 'sessions', 'query failed'],
    ]);
    expect(wa.analytics.stats().dropped).toEqual({});
  });

  it('reuses one classification for statements that differ only in numbers, never across identifiers', async () => {
    const r = recorder({});
    r.record({ sql: 'SELECT * FROM t1 WHERE "id" = 41 LIMIT 10', durationMs: 0, success: true });
    r.record({ sql: 'SELECT * FROM t1 WHERE "id" = 7 LIMIT 1', durationMs: 0, success: true });
    r.record({ sql: 'SELECT * FROM t2 WHERE "id" = 7 LIMIT 1', durationMs: 0, success: true });
    r.record({ sql: 'SELECT * FROM "Product_2" WHERE "id" = $1', durationMs: 0, success: true });
    expect((await recorded()).map((p) => [p.query_table, p.query_fingerprint])).toEqual([
      ['t1', 'SELECT * FROM t1 WHERE "id" = ? LIMIT ?'],
      ['t1', 'SELECT * FROM t1 WHERE "id" = ? LIMIT ?'],
      ['t2', 'SELECT * FROM t2 WHERE "id" = ? LIMIT ?'],
      ['Product_2', 'SELECT * FROM "Product_2" WHERE "id" = ?'],
    ]);
  });

  it('gives a statement repeated verbatim its own duration and outcome, and the next statement its own shape', async () => {
    const r = recorder({});
    const byId = 'SELECT * FROM a WHERE id = $1';
    r.record({ sql: byId, durationMs: 1, success: true });
    r.record({ sql: byId, durationMs: 2, success: false });
    r.record({ sql: 'UPDATE b SET x = $1', durationMs: 3, success: true });
    r.record({ sql: byId, durationMs: 4, success: true });
    expect((await recorded()).map((p) => [p.query_type, p.query_table, p.query_duration_ms, p.query_success])).toEqual([
      ['SELECT', 'a', 1, true],
      ['SELECT', 'a', 2, false],
      ['UPDATE', 'b', 3, true],
      ['SELECT', 'a', 4, true],
    ]);
  });

  it('stays correct past its statement cache size, and for statements too long to cache', async () => {
    const r = recorder({ ignore: ['skip_me'] });
    for (let i = 0; i < 600; i++) r.record({ sql: `SELECT c${i} FROM t${i}`, durationMs: 0, success: true });
    r.record({ sql: 'SELECT c0 FROM t0', durationMs: 0, success: true });
    const long = `SELECT ${'x, '.repeat(3000)}y FROM skip_me`;
    r.record({ sql: long, durationMs: 0, success: true });
    r.record({ sql: long, durationMs: 0, success: true });
    const events = await recorded();
    expect(events).toHaveLength(601);
    expect(events.at(-1)).toMatchObject({ query_table: 't0' });
  });

  it('reads statements by the dialect it was made for', async () => {
    const r = recorder({}, [], 'mysql');
    r.record({ sql: 'SELECT id FROM users WHERE pw_hash = MD5("hunter2") # customer LEAK note', durationMs: 1, success: true });
    r.record({ sql: "SELECT id FROM files WHERE dir = 'C:\\\\' AND owner = 'LEAK secret'", durationMs: 1, success: true });
    expect((await recorded()).map((p) => p.query_fingerprint)).toEqual(['SELECT id FROM users WHERE pw_hash = MD5(?)', 'SELECT id FROM files WHERE dir = ? AND owner = ?']);
    expect(await wa.payload()).not.toMatch(/hunter2|LEAK/);
  });

  it('reads a statement safely under every dialect when made without one', async () => {
    recorder({}).record({ sql: "SELECT id FROM files WHERE dir = 'C:\\' AND owner = 'LEAK secret'", durationMs: 1, success: true });
    expect((await recorded()).map((p) => p.query_fingerprint)).toEqual(['SELECT id FROM files WHERE dir = ?']);
    expect(await wa.payload()).not.toContain('LEAK');
  });

  it('does nothing for a disabled analytics instance', async () => {
    wa = wireAnalytics({ enabled: false });
    new QueryRecorder(wa.analytics.core, resolveDatabaseOptions(undefined)).record({ sql: 'SELECT 1', durationMs: 1, success: true });
    expect(await wa.events()).toEqual([]);
  });
});
