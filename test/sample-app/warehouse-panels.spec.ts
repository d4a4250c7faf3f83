import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createWarehouseTransport } from '../../lib/transports/warehouse/warehouse.transport.js';
import { RECENT_EVENTS_SHOWN, readPanels } from '../../sample-app/dashboard/warehouse-panels.js';
import { WarehouseReader } from '../../sample-app/dashboard/warehouse-reader.js';
import { type SampleKind, sampleEvent, toQueuedEvent } from '../support/sample-events.js';

/** The dashboard's SQL against a warehouse written by the real warehouse transport. */
const KINDS: SampleKind[] = ['api', 'database', 'payment', 'error', 'email', 'custom'];
const PER_KIND = 40;
const events = KINDS.flatMap((kind) => Array.from({ length: PER_KIND }, (_, i) => sampleEvent(kind, i)));
const props = (kind: SampleKind) => events.filter((e) => e.JITSU_TABLE_NAME === sampleEvent(kind, 0).JITSU_TABLE_NAME).map((e) => e.properties as Record<string, unknown>);

let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-panels-'));
  file = join(dir, 'analytics.sqlite');
  const transport = createWarehouseTransport({ url: `sqlite:${file}` });
  await transport.send(events.map(toQueuedEvent), new AbortController().signal);
  await transport.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function panels() {
  const db = new Database(file, { readonly: true });
  try {
    return readPanels(db);
  } finally {
    db.close();
  }
}

describe('the warehouse panels', () => {
  it('count the rows of every event table', () => {
    expect(panels().tables).toEqual(
      ['api_events', 'backend_error_events', 'custom_events', 'database_events', 'email_events', 'payment_events'].map((table) => ({ table, rows: PER_KIND })),
    );
  });

  it('group backend errors by source', () => {
    const want: Record<string, number> = {};
    for (const p of props('error')) want[p.error_source as string] = (want[p.error_source as string] ?? 0) + 1;
    expect(Object.fromEntries(panels().errors.bySource.map((s) => [s.source, s.count]))).toEqual(want);
  });

  it('split payments by outcome with their amounts per currency', () => {
    const want = { approved: { count: 0, amounts: {} as Record<string, number> }, declined: { count: 0, amounts: {} as Record<string, number> } };
    for (const p of props('payment')) {
      const side = p.payment_success ? want.approved : want.declined;
      side.count++;
      const currency = p.payment_currency as string;
      side.amounts[currency] = Math.round(((side.amounts[currency] ?? 0) + (p.payment_amount as number)) * 100) / 100;
    }
    expect(panels().payments).toEqual([
      { outcome: 'approved', ...want.approved },
      { outcome: 'declined', ...want.declined },
    ]);
  });

  it('rank queries by fingerprint with counts, durations and failures', () => {
    const queries = props('database');
    const durations = queries.map((q) => q.query_duration_ms as number);
    expect(panels().slowQueries).toEqual([
      {
        fingerprint: 'SELECT * FROM users WHERE id = ?',
        type: expect.any(String),
        table: expect.any(String),
        count: PER_KIND,
        avgMs: Math.round((durations.reduce((a, b) => a + b, 0) / durations.length) * 100) / 100,
        maxMs: Math.max(...durations),
        failed: queries.filter((q) => q.query_success === false).length,
      },
    ]);
  });

  it('list the newest events across tables, each described from its columns', () => {
    const recent = panels().recent;
    const newest = [...events].sort((a, b) => b.timestamp.localeCompare(a.timestamp)).slice(0, RECENT_EVENTS_SHOWN);
    expect(recent.map((e) => e.timestamp)).toEqual(newest.map((e) => e.timestamp));
    const api = recent.find((e) => e.table === 'api_events')!;
    expect(api.detail).toMatch(/^(GET|POST|PUT|DELETE) \/\S* → \d{3} in [\d.]+ ms$/);
  });

  it('feed the API panels from api_events', () => {
    const p = panels();
    expect(p.errors.requests).toBe(PER_KIND);
    expect(p.errors.failed).toBe(props('api').filter((a) => (a.status_code as number) >= 400).length);
    expect(p.routes.reduce((n, r) => n + r.requests, 0)).toBe(PER_KIND);
  });
});

describe('the warehouse reader', () => {
  it('answers an empty summary until the warehouse file exists, then reads it', () => {
    const missing = new WarehouseReader(join(dir, 'not-yet.sqlite'));
    const empty = missing.summary('this warehouse');
    expect(empty).toMatchObject({ source: { exists: false, destination: 'this warehouse' }, tables: [], recent: [], payments: [] });
    const reader = new WarehouseReader(file);
    try {
      expect(reader.summary('Jitsu').tables).toHaveLength(KINDS.length);
    } finally {
      reader.onApplicationShutdown();
    }
  });

  it('never writes: its connection is read-only', () => {
    const reader = new WarehouseReader(file);
    reader.summary('x');
    const db = (reader as unknown as { db: Database.Database }).db;
    expect(() => db.exec('DELETE FROM api_events')).toThrow(/readonly/);
    reader.onApplicationShutdown();
  });
});
