import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../../support/postgres.js';
import { ensureSampleAppBuilt } from './support/build-freshness.js';
import { signatures, warehouseRows } from './support/event-rows.js';
import { EXPECTED_REQUESTS } from './support/expected-traffic.js';
import { readReadme, requestBlock } from './support/readme-requests.js';
import { type Run, runSampleApp } from './support/run-sample-app.js';
import { SampleAppProcess } from './support/sample-app-process.js';

/**
 * With `DATABASE_URL` the sample app keeps its own data in PostgreSQL: the README's requests must
 * answer as they do on SQLite, and every query of the PostgreSQL DataSource is recorded. The
 * cluster is started at module load (one per file, as the other PostgreSQL specs do); without
 * the binaries those tests are not registered, after a printed line (never under CI).
 */
const server = await startPostgres();
afterAll(async () => server?.stop());

const TRACKED = EXPECTED_REQUESTS.filter((r) => r.api !== undefined);

if (server) {
  describe('the sample app on PostgreSQL (DATABASE_URL)', () => {
    let run: Run;
    beforeAll(async () => {
      await ensureSampleAppBuilt();
      run = await runSampleApp(requestBlock(readReadme()), { DATABASE_URL: server.url }, (dataDir) => warehouseRows(join(dataDir, 'analytics.sqlite')));
    }, 240_000);

    it('answers every request as on SQLite, with the same business events', () => {
      const api = run.rows.get('api_events') ?? [];
      expect(api.map((r) => [r.method, r.route, r.status_code])).toEqual(TRACKED.map((t) => [t.request.split(' ')[0], t.api!.route, t.api!.status]));
      const business = signatures(run.rows).filter((line) => !line.startsWith('database_events') && !line.startsWith('custom_events'));
      for (const table of ['authentication_events', 'payment_events', 'email_events', 'file_operation_events', 'external_api_events', 'backend_error_events']) {
        const expected = EXPECTED_REQUESTS.flatMap((r) => r.others).filter((o) => o.table === table);
        expect({ table, rows: business.filter((line) => line.startsWith(`${table} `)).length }).toEqual({ table, rows: expected.length });
      }
    });

    it("records the PostgreSQL DataSource's queries, with positional parameters fingerprinted", () => {
      const queries = run.rows.get('database_events') ?? [];
      expect(queries.length).toBeGreaterThan(TRACKED.length);
      expect(queries.filter((q) => q.query_type === 'INSERT' && q.query_table === 'payments')).toHaveLength(2);
      for (const q of queries) expect(q.query_fingerprint).not.toMatch(/\$\d/);
      const connected = (run.rows.get('custom_events') ?? []).filter((r) => r.event === 'Database Connection');
      expect(connected.map((r) => JSON.parse(r.properties as string).db_type)).toContain('postgres');
    });
  });
}

describe('the sample app with an unreachable DATABASE_URL', () => {
  it('stops at startup with the database error and exit code 1, instead of serving without its data', async () => {
    await ensureSampleAppBuilt();
    const started = SampleAppProcess.start({ DATABASE_URL: 'postgres://sample:secret-pw@127.0.0.1:1/shop', DATA_DIR: join(tmpdir(), 'sample-app-unreachable') });
    await expect(started).rejects.toThrow(/exited \(code 1\) before listening[\s\S]*ECONNREFUSED/);
    await expect(started.catch((e: Error) => e.message)).resolves.not.toContain('secret-pw');
  }, 60_000);
});
