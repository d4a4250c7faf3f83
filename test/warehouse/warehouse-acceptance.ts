import { jest } from '@jest/globals';
import type { AnalyticsEvent } from '../../lib/events/analytics-event.interface.js';
import { COMMON_FIELDS, EVENT_CATALOG, type EventKindSpec, type FieldType } from '../../lib/events/event-catalog.js';
import { DEFAULT_TABLES, resolveTableNames } from '../../lib/events/table-router.js';
import { DeliveryError } from '../../lib/transports/delivery-error.js';
import type { QueuedEvent } from '../../lib/transports/transport.interface.js';
import { createWarehouseTransport, type WarehouseTransport } from '../../lib/transports/warehouse/warehouse.transport.js';
import { SAMPLE_KINDS, sampleEvent, toQueuedEvent } from '../support/sample-events.js';

/** How the shared acceptance tests reach one kind of database from the outside. */
export interface WarehouseHarness {
  /** The url of a new, empty database. */
  freshUrl(): Promise<string>;
  query(url: string, sql: string): Promise<Record<string, unknown>[]>;
  exec(url: string, sql: string): Promise<void>;
  columns(url: string, table: string): Promise<string[]>;
  /**
   * Counts, from now until the test ends, the inserts the transport makes: each one a round trip
   * to a remote database. `onInsert` runs just before each, with the count so far.
   */
  countInserts(onInsert?: (n: number) => void): () => number;
}

type ColumnKind = FieldType | 'timestamp' | 'json';

const ENVELOPE_COLUMNS = ['message_id', 'timestamp', 'received_at', 'event', 'user_id', 'anonymous_id'];
const TOTAL_EVENTS = 10_000;
const BATCH_SIZE = 500;

/** Driver values in one comparable form: booleans from 0/1, BIGINT text to numbers, JSON parsed. */
function canonical(value: unknown, kind: ColumnKind): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'boolean':
      return value === true || value === 1;
    case 'integer':
    case 'real':
      return Number(value);
    case 'timestamp':
      return new Date(value as string | Date).toISOString();
    case 'json':
      return typeof value === 'string' ? JSON.parse(value) : value;
    case 'text':
      return value;
  }
}

function columnKinds(spec?: EventKindSpec): Record<string, ColumnKind> {
  return { timestamp: 'timestamp', received_at: 'timestamp', properties: 'json', context: 'json', ...spec?.fields };
}

function canonicalRow(row: Record<string, unknown>, spec?: EventKindSpec): Record<string, unknown> {
  const kinds = columnKinds(spec);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, canonical(v, kinds[k] ?? 'text')]));
}

/** The row a sample event should become, worked out from the catalog rather than the transport. */
function expectedRow(event: AnalyticsEvent, spec?: EventKindSpec): Record<string, unknown> {
  const props = event.properties;
  const typed = [...Object.keys(COMMON_FIELDS), ...Object.keys(spec?.fields ?? {})];
  const leftover = Object.fromEntries(Object.entries(props).filter(([k, v]) => !typed.includes(k) && v !== undefined));
  const userId = spec && 'user_id' in spec.fields ? (props.user_id ?? event.userId) : event.userId;
  return {
    message_id: event.messageId,
    timestamp: event.timestamp,
    event: event.event,
    user_id: userId ?? null,
    anonymous_id: event.anonymousId ?? null,
    ...Object.fromEntries(typed.map((k) => [k, props[k] ?? null])),
    properties: leftover,
    context: event.context,
  };
}

const signal = () => new AbortController().signal;

export function describeWarehouseAcceptance(name: string, harness: WarehouseHarness): void {
  describe(`warehouse destination on ${name}`, () => {
    const transports: WarehouseTransport[] = [];
    const open = (url: string, tables = DEFAULT_TABLES) => {
      const transport = createWarehouseTransport({ url, tables });
      transports.push(transport);
      return transport;
    };
    const count = async (url: string, table: string) =>
      Number((await harness.query(url, `SELECT count(*) AS n FROM ${table}`))[0]!.n);

    const storedIds = async (url: string, table: string) =>
      (await harness.query(url, `SELECT message_id FROM ${table}`)).map((r) => r.message_id as string).sort();

    afterEach(async () => {
      jest.restoreAllMocks();
      await Promise.all(transports.splice(0).map((t) => t.close()));
    });

    it('stores 10,000 mixed events once each with typed columns, and re-sending adds nothing', async () => {
      const url = await harness.freshUrl();
      const transport = open(url);
      const events = Array.from({ length: TOTAL_EVENTS }, (_, n) => sampleEvent(SAMPLE_KINDS[n % SAMPLE_KINDS.length]!, Math.floor(n / SAMPLE_KINDS.length)));
      const batches: QueuedEvent[][] = [];
      for (let start = 0; start < events.length; start += BATCH_SIZE) {
        batches.push(events.slice(start, start + BATCH_SIZE).map(toQueuedEvent));
      }

      // Throughput is not measured here (timed tests fail on a loaded machine): this checks what is stored.
      const before = Date.now();
      for (const batch of batches) expect(await transport.send(batch, signal())).toEqual({});

      for (const spec of EVENT_CATALOG) {
        const ofKind = events.filter((e) => e.JITSU_TABLE_NAME === spec.table);
        expect(await count(url, spec.table)).toBe(ofKind.length);
        const samples = [ofKind[0]!, ofKind[1]!, ofKind[7]!, ofKind.at(-1)!];
        const ids = samples.map((e) => `'${e.messageId}'`).join(', ');
        const rows = await harness.query(url, `SELECT * FROM ${spec.table} WHERE message_id IN (${ids})`);
        expect(rows).toHaveLength(samples.length);
        for (const event of samples) {
          const row = canonicalRow(rows.find((r) => r.message_id === event.messageId)!, spec);
          expect(row).toMatchObject(expectedRow(event, spec));
          expect(Date.parse(row.received_at as string)).toBeGreaterThanOrEqual(before - 1000);
        }
      }

      for (const batch of batches) expect(await transport.send(batch, signal())).toEqual({});
      const again = open(url);
      expect(await again.send(batches[3]!, signal())).toEqual({});
      for (const spec of EVENT_CATALOG) {
        expect(await count(url, spec.table)).toBe(events.filter((e) => e.JITSU_TABLE_NAME === spec.table).length);
      }

      const expected = new Map<string, number[]>();
      for (const e of events.filter((e) => e.JITSU_TABLE_NAME === 'api_events')) {
        const durations = expected.get(e.properties.route as string) ?? [];
        durations.push(e.properties.duration_ms as number);
        expected.set(e.properties.route as string, durations);
      }
      const averages = await harness.query(url, 'SELECT route, avg(duration_ms) AS avg FROM api_events GROUP BY route');
      expect(averages).toHaveLength(expected.size);
      for (const { route, avg } of averages) {
        const durations = expected.get(route as string)!;
        expect(Number(avg)).toBeCloseTo(durations.reduce((a, b) => a + b, 0) / durations.length, 9);
      }
    });

    it('creates a custom table from JITSU_TABLE_NAME with the common columns and JSON', async () => {
      const url = await harness.freshUrl();
      const event = { ...sampleEvent('custom', 4), JITSU_TABLE_NAME: 'signup_funnel' };
      expect(await open(url).send([toQueuedEvent(event)], signal())).toEqual({});

      const columns = await harness.columns(url, 'signup_funnel');
      expect([...columns].sort()).toEqual([...ENVELOPE_COLUMNS, ...Object.keys(COMMON_FIELDS), 'properties', 'context'].sort());
      const [row] = await harness.query(url, 'SELECT * FROM signup_funnel');
      expect(canonicalRow(row!)).toMatchObject(expectedRow(event));
      expect(canonicalRow(row!).properties).toEqual({ plan: 'pro', step: 1, referrer: 'newsletter' });
    });

    it('gives renamed tables their typed columns (tables option)', async () => {
      const url = await harness.freshUrl();
      const event = { ...sampleEvent('api', 2), JITSU_TABLE_NAME: 'http_calls' };
      await open(url, resolveTableNames({ api: 'http_calls' })).send([toQueuedEvent(event)], signal());
      const [row] = await harness.query(url, 'SELECT route, status_code, properties FROM http_calls');
      expect(canonicalRow(row!, EVENT_CATALOG[0])).toEqual({
        route: event.properties.route,
        status_code: event.properties.status_code,
        properties: {},
      });
    });

    it('keeps unknown properties in JSON and coerces or preserves wrong-typed values', async () => {
      const url = await harness.freshUrl();
      const api = sampleEvent('api', 9);
      api.properties = { ...api.properties, status_code: '404', duration_ms: 'slow', brand_new_field: { nested: [1, 2] } };
      const db = sampleEvent('database', 9);
      db.properties = { ...db.properties, query_success: 'true', query_duration_ms: '12.5' };
      expect(await open(url).send([api, db].map(toQueuedEvent), signal())).toEqual({});

      const [apiRow] = await harness.query(url, 'SELECT status_code, duration_ms, properties FROM api_events');
      expect(canonicalRow(apiRow!, EVENT_CATALOG[0])).toEqual({
        status_code: 404,
        duration_ms: null,
        properties: { duration_ms: 'slow', brand_new_field: { nested: [1, 2] } },
      });
      const [dbRow] = await harness.query(url, 'SELECT query_success, query_duration_ms, properties FROM database_events');
      expect(canonicalRow(dbRow!, EVENT_CATALOG[1])).toEqual({ query_success: true, query_duration_ms: 12.5, properties: {} });
    });

    it('rejects only the event with an invalid table name, and injects nothing', async () => {
      const url = await harness.freshUrl();
      await harness.exec(url, 'CREATE TABLE y (id INTEGER)');
      const good = [sampleEvent('api', 1), sampleEvent('error', 1)].map(toQueuedEvent);
      const bad = { ...toQueuedEvent(sampleEvent('api', 2)), table: 'x; DROP TABLE y' };

      const result = await open(url).send([good[0]!, bad, good[1]!], signal());
      expect(result).toEqual({ rejected: [{ messageId: bad.messageId, reason: expect.stringMatching(/Invalid table name/) }] });
      expect(await count(url, 'api_events')).toBe(1);
      expect(await count(url, 'backend_error_events')).toBe(1);
      expect(await count(url, 'y')).toBe(0);
    });

    it('isolates events that fail for a data reason and lands the rest', async () => {
      const url = await harness.freshUrl();
      // A table someone else made, with a constraint our rows cannot meet.
      await harness.exec(url, 'CREATE TABLE signup_funnel (message_id TEXT PRIMARY KEY, mandatory TEXT NOT NULL)');
      const funnel = [1, 2].map((i) => toQueuedEvent({ ...sampleEvent('custom', i), JITSU_TABLE_NAME: 'signup_funnel' }));
      const api = [1, 2, 3].map((i) => toQueuedEvent(sampleEvent('api', i)));

      const result = await open(url).send([api[0]!, funnel[0]!, api[1]!, funnel[1]!, api[2]!], signal());
      expect(result.rejected?.map((r) => r.messageId).sort()).toEqual(funnel.map((e) => e.messageId).sort());
      for (const rejection of result.rejected!) expect(rejection.reason).toMatch(/Insert failed: .*(NOT NULL|not-null)/);
      expect(await count(url, 'api_events')).toBe(3);
      expect(await count(url, 'signup_funnel')).toBe(0);
    });

    // A table of our own with a constraint someone added: the event named POISON breaks it.
    const POISON = 'Poisoned';
    const poisonable = (url: string) =>
      harness.exec(url, `CREATE TABLE signup_funnel (message_id TEXT PRIMARY KEY, event TEXT CHECK (event <> '${POISON}'))`);
    const funnelEvent = (i: number, bad = false) =>
      toQueuedEvent({ ...sampleEvent('custom', i), JITSU_TABLE_NAME: 'signup_funnel', ...(bad ? { event: POISON } : {}) });

    // One statement per row would take 256 round trips on a remote database and outlast the send deadline.
    it('finds the one bad event of 256 in a logarithmic number of inserts and stores the others once', async () => {
      const url = await harness.freshUrl();
      await poisonable(url);
      const batch = Array.from({ length: 256 }, (_, i) => funnelEvent(i, i === 137));
      const inserts = harness.countInserts();

      const result = await open(url).send(batch, signal());

      expect(result).toEqual({ rejected: [{ messageId: batch[137]!.messageId, reason: expect.stringMatching(/^Insert failed: .*check constraint/i) }] });
      expect(inserts()).toBeLessThanOrEqual(2 * Math.log2(batch.length) + 2);
      expect(await storedIds(url, 'signup_funnel')).toEqual(batch.filter((_, i) => i !== 137).map((e) => e.messageId).sort());
    });

    it('isolates several bad events, first and last and neighbours included, beside a table that is fine', async () => {
      const url = await harness.freshUrl();
      await poisonable(url);
      const badAt = new Set([0, 17, 18, 39]);
      const funnel = Array.from({ length: 40 }, (_, i) => funnelEvent(i, badAt.has(i)));
      const api = [1, 2, 3].map((i) => toQueuedEvent(sampleEvent('api', i)));

      const result = await open(url).send([...funnel.slice(0, 20), ...api, ...funnel.slice(20)], signal());

      const bad = funnel.filter((_, i) => badAt.has(i));
      expect(result.rejected?.map((r) => r.messageId)).toEqual(bad.map((e) => e.messageId));
      for (const rejection of result.rejected!) expect(rejection.reason).toMatch(/^Insert failed: .*check constraint/i);
      expect(await storedIds(url, 'signup_funnel')).toEqual(funnel.filter((_, i) => !badAt.has(i)).map((e) => e.messageId).sort());
      expect(await storedIds(url, 'api_events')).toEqual(api.map((e) => e.messageId).sort());
    });

    it('stops the search retryably when the send is aborted, and the retry stores each good event once', async () => {
      const url = await harness.freshUrl();
      await poisonable(url);
      const batch = Array.from({ length: 64 }, (_, i) => funnelEvent(i, i === 50));
      const transport = open(url);
      const abort = new AbortController();
      harness.countInserts((n) => n === 4 && abort.abort());

      await expect(transport.send(batch, abort.signal)).rejects.toMatchObject({ name: 'DeliveryError', retryable: true });
      expect(await transport.send(batch, signal())).toEqual({ rejected: [{ messageId: batch[50]!.messageId, reason: expect.any(String) }] });
      expect(await storedIds(url, 'signup_funnel')).toEqual(batch.filter((_, i) => i !== 50).map((e) => e.messageId).sort());
    });

    it('adds the catalog columns an older table lacks and fills them', async () => {
      const url = await harness.freshUrl();
      await harness.exec(url, 'CREATE TABLE api_events (message_id TEXT PRIMARY KEY, event TEXT, route TEXT)');
      const event = sampleEvent('api', 3);
      expect(await open(url).send([toQueuedEvent(event)], signal())).toEqual({});

      expect(await harness.columns(url, 'api_events')).toEqual(
        expect.arrayContaining(['handler', 'controller', 'status_code', 'duration_ms', 'properties', 'context']),
      );
      const [row] = await harness.query(url, 'SELECT route, handler, status_code FROM api_events');
      expect(canonicalRow(row!, EVENT_CATALOG[0])).toEqual({
        route: event.properties.route,
        handler: event.properties.handler,
        status_code: event.properties.status_code,
      });
    });

    it("leaves an application's own table alone: events meant for it are rejected, and it gains no column", async () => {
      const url = await harness.freshUrl();
      await harness.exec(url, 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL)');
      const event = { ...sampleEvent('custom', 1), JITSU_TABLE_NAME: 'users' };
      const result = await open(url).send([toQueuedEvent(event)], signal());
      expect(result).toEqual({ rejected: [{ messageId: event.messageId, reason: expect.stringContaining('users exists and is not an analytics table') }] });
      expect((await harness.columns(url, 'users')).sort()).toEqual(['email', 'id']);
    });

    it('refuses to send after close, and treats an already aborted send as retryable', async () => {
      const url = await harness.freshUrl();
      const aborted = new AbortController();
      aborted.abort();
      const transport = open(url);
      await expect(transport.send([toQueuedEvent(sampleEvent('api', 1))], aborted.signal)).rejects.toMatchObject({
        name: 'DeliveryError',
        retryable: true,
      });
      expect(await transport.send([toQueuedEvent(sampleEvent('api', 1))], signal())).toEqual({});
      await transport.close();
      const afterClose = transport.send([toQueuedEvent(sampleEvent('api', 2))], signal());
      await expect(afterClose).rejects.toBeInstanceOf(DeliveryError);
      await expect(afterClose).rejects.toMatchObject({ retryable: false, dropReason: 'closed' });
      expect(await count(url, 'api_events')).toBe(1);
    });
  });
}
