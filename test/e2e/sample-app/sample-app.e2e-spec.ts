import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FakeJitsuServer } from '../../fake-jitsu/fake-jitsu-server.js';
import { ensureSampleAppBuilt } from './support/build-freshness.js';
import { type EventRow, jitsuRows, type RowsByTable, signatures, warehouseRows } from './support/event-rows.js';
import { EXPECTED_REQUESTS, SECRETS } from './support/expected-traffic.js';
import { commands, everySampleAppCommand, readReadme, requestBlock, requestOf } from './support/readme-requests.js';
import { type Run, runSampleApp } from './support/run-sample-app.js';

/**
 * The sample app end to end, as a newcomer meets it: the BUILT app (`dist/sample-app/main.js`,
 * rebuilt first when older than the sources) runs as a real process, the README's block of curl
 * commands runs against it as written, SIGTERM stops it, and every expected event must then be
 * in the warehouse tables with the right fields, none missing, none extra. The same run against
 * the fake Jitsu server must deliver the same events.
 */
const readme = readReadme();
const block = requestBlock(readme);
const TRACKED = EXPECTED_REQUESTS.filter((r) => r.api !== undefined);
/** The kinds a request's handlers record besides its API Call (database queries are checked apart). */
const REQUEST_TABLES = ['authentication_events', 'payment_events', 'email_events', 'file_operation_events', 'external_api_events', 'backend_error_events', 'custom_events'];

const rowsOf = (run: Run, table: string): EventRow[] => run.rows.get(table) ?? [];

/** The run into the SQLite warehouse: checked field by field, then compared with the Jitsu run. */
let run: Run;

beforeAll(async () => {
  const curl = spawnSync('curl', ['--version']);
  if (curl.error) throw new Error("These tests run the README's curl commands: install curl (apt-get install curl)");
  await ensureSampleAppBuilt();
  run = await runSampleApp(block, {}, (dataDir) => warehouseRows(join(dataDir, 'analytics.sqlite')));
}, 240_000);

describe("the README's requests", () => {
  it('are exactly the requests this test expects, and include every other request the README makes to the app', () => {
    const made = commands(block).map(requestOf).filter((r) => r !== undefined);
    expect(made.map((r) => `${r.method} ${r.target}`)).toEqual(EXPECTED_REQUESTS.map((r) => r.request));
    const blockCommands = new Set(commands(block));
    const elsewhere = everySampleAppCommand(readme).filter((c) => !blockCommands.has(c));
    expect(elsewhere).toEqual([]);
  });
});

describe('the sample app writing to its SQLite warehouse', () => {
  it('says in one startup line where events go, and on SIGTERM exits having delivered everything', () => {
    expect(run.log).toMatch(/events go to the SQL warehouse sqlite:\/.*\/analytics\.sqlite/);
    expect(run.exit.signal === 'SIGTERM' || run.exit.code === 0).toBe(true);
    expect(run.log).not.toMatch(/undelivered|dropped|ERROR/);
  });

  it('records one API Call per tracked request, in order, with its route template, status, handler and user', () => {
    const api = rowsOf(run, 'api_events');
    expect(api.map((r) => `${r.method} ${r.path}`)).toEqual(TRACKED.map((r) => r.request.replace(/\?.*$/, '')));
    api.forEach((row, i) => {
      const want = TRACKED[i]!.api!;
      expect(row).toMatchObject({
        event: 'API Call',
        event_category: 'backend',
        event_action: 'api_request',
        route: want.route,
        status_code: want.status,
        controller: want.controller,
        handler: want.handler,
        user_id: want.userId,
        service_name: 'sample-app',
        environment: 'development',
        user_agent: expect.stringMatching(/^curl\//),
      });
      expect(row.duration_ms).toEqual(expect.any(Number));
      expect(row.duration_ms as number).toBeGreaterThan(0);
      expect(row.request_id).toEqual(expect.any(String));
    });
    expect(new Set(api.map((r) => r.request_id)).size).toBe(api.length);
  });

  it("records each request's business events and errors with the right fields, tied to it by request id, and nothing else", () => {
    const api = rowsOf(run, 'api_events');
    const requestIds = new Set(api.map((r) => r.request_id));
    TRACKED.forEach((expected, i) => {
      const requestId = api[i]!.request_id;
      const recorded = REQUEST_TABLES.flatMap((table) => rowsOf(run, table).filter((r) => r.request_id === requestId).map((row) => ({ table, row })));
      expect(recorded).toHaveLength(expected.others.length);
      for (const want of expected.others) {
        const match = recorded.filter((r) => r.table === want.table && Object.entries(want.fields).every(([k, v]) => r.row[k] === v));
        expect({ request: expected.request, ...want, matches: match.length }).toEqual({ request: expected.request, ...want, matches: 1 });
      }
    });
    for (const table of REQUEST_TABLES) {
      const unrelated = rowsOf(run, table).filter((r) => !requestIds.has(r.request_id));
      // Only the library's own connection events happen outside a request.
      expect(unrelated.map((r) => r.event).filter((e) => e !== 'Database Connection')).toEqual([]);
    }
    const viewed = rowsOf(run, 'custom_events').find((r) => r.event === 'Product Viewed')!;
    expect(JSON.parse(viewed.properties as string)).toEqual({ product_id: 2, price: 149.5, currency: 'USD', in_stock: true });
  });

  it('records every query as a fingerprint, within its request or at startup, and leaves out the health check', () => {
    const queries = rowsOf(run, 'database_events');
    const requestIds = new Set(rowsOf(run, 'api_events').map((r) => r.request_id));
    expect(queries.length).toBeGreaterThan(TRACKED.length);
    for (const q of queries) {
      expect(q).toMatchObject({ event: 'Database Query', query_success: 1, query_fingerprint: expect.any(String), query_type: expect.any(String) });
      expect(q.request_id === null || requestIds.has(q.request_id)).toBe(true);
    }
    expect(queries.filter((q) => q.query_fingerprint === 'SELECT ?')).toEqual([]);
    const register = rowsOf(run, 'api_events')[0]!;
    expect(queries.filter((q) => q.request_id === register.request_id && q.query_type === 'INSERT' && q.query_table === 'users')).toHaveLength(1);
  });

  it('samples system performance with plausible figures', () => {
    const samples = rowsOf(run, 'system_performance_events');
    expect(samples.length).toBeGreaterThanOrEqual(1);
    for (const s of samples) {
      expect(s.memory_rss_bytes as number).toBeGreaterThan(10 * 1024 * 1024);
      expect(s.heap_used_bytes as number).toBeLessThanOrEqual(s.heap_total_bytes as number);
      expect(s.event_loop_delay_p99_ms as number).toBeGreaterThanOrEqual(s.event_loop_delay_p50_ms as number);
    }
  });

  it("lets no password, card number, e-mail address or token from the requests reach any table", () => {
    // The login answered a token, which the later requests used (the payments' user is the demo user's).
    expect(run.token).toMatch(/^[\w-]{40,}$/);
    const everything = JSON.stringify([...run.rows.values()]);
    for (const secret of [...SECRETS, run.token]) expect({ secret, found: everything.includes(secret) }).toEqual({ secret, found: false });
  });
});

describe('the sample app sending to Jitsu (the fake Jitsu server)', () => {
  let fake: FakeJitsuServer;
  let jitsu: Run;
  beforeAll(async () => {
    fake = await FakeJitsuServer.start();
    jitsu = await runSampleApp(block, { JITSU_URL: fake.url, JITSU_WRITE_KEY: fake.writeKey }, () => jitsuRows(fake.events()));
  }, 120_000);
  afterAll(() => fake?.stop());

  it('says so at startup, without the key, and delivers everything before exiting', () => {
    expect(jitsu.log).toContain(`events go to Jitsu at ${new URL(fake.url).origin}`);
    expect(jitsu.log).not.toContain(fake.writeKey.split(':')[1]);
    expect(jitsu.exit.signal === 'SIGTERM' || jitsu.exit.code === 0).toBe(true);
    expect(jitsu.log).not.toMatch(/undelivered|dropped|ERROR/);
    expect(fake.duplicates()).toBe(0);
  });

  it('delivers the same set of events as the warehouse run', () => {
    expect(signatures(jitsu.rows)).toEqual(signatures(run.rows));
    expect(rowsOf(jitsu, 'api_events')).toHaveLength(TRACKED.length);
    expect(rowsOf(jitsu, 'system_performance_events').length).toBeGreaterThanOrEqual(1);
  });
});
