import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createAnalytics } from '../../lib/create-analytics.js';
import type { AnalyticsService } from '../../lib/analytics.service.js';
import { apiCallEvent, systemEvent } from '../../lib/events/event-builders.js';
import type { DroppedInfo } from '../../lib/pipeline/analytics-stats.interface.js';
import { FakeJitsuServer } from '../fake-jitsu/fake-jitsu-server.js';
import { startPostgres } from '../support/postgres.js';

/** Each destination through the whole pipeline, as a user configures it. */
const postgres = await startPostgres();
let fake: FakeJitsuServer;
let dir: string;
const running: AnalyticsService[] = [];

beforeAll(async () => {
  fake = await FakeJitsuServer.start();
  dir = await mkdtemp(join(tmpdir(), 'jitsu-dest-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.shutdown()));
  fake.reset();
});
afterAll(async () => {
  await fake.stop();
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
});

function start(options: Parameters<typeof createAnalytics>[0]) {
  const analytics = createAnalytics({ batchSize: 200, batchTimeout: 20, retry: { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 200 }, ...options }, { logger: false });
  const drops: DroppedInfo[] = [];
  analytics.on('dropped', (d) => drops.push(d));
  running.push(analytics);
  return { analytics, drops };
}

/** One of each of the nine kinds per round, through the public API. */
async function trackMixed(analytics: AnalyticsService, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    analytics.core.recordKind(apiCallEvent({ method: 'GET', path: `/users/${i}`, route: '/users/:id', statusCode: 200, durationMs: i % 10 }));
    await analytics.trackDbQuery(`SELECT * FROM users WHERE id = ${i}`, 1, true);
    await analytics.trackUserAuth('login', `u${i}`, true);
    await analytics.trackPayment('charge', i, 'usd', true);
    await analytics.trackEmailSend(`user${i}@example.com`, 'welcome', true);
    await analytics.trackFileOperation('upload', 'image/png', i, true);
    await analytics.trackExternalApiCall('stripe', '/v1/charges', 5, true);
    analytics.core.recordKind(systemEvent({ memoryRssBytes: 1, heapUsedBytes: 1, heapTotalBytes: 1, cpuPercent: 1, eventLoopDelayP50Ms: 1, eventLoopDelayP99Ms: 2, uptimeS: i }));
    await analytics.trackApiError(new Error(`boom ${i}`), { method: 'GET', route: { path: '/users/:id' } });
  }
}

const NINE_TABLES = ['api_events', 'database_events', 'authentication_events', 'payment_events', 'email_events', 'file_operation_events', 'external_api_events', 'system_performance_events', 'backend_error_events'];

describe('Jitsu Classic', () => {
  it('delivers a burst exactly once by event id, with the table in __JITSU_TABLE_NAME', async () => {
    const { analytics, drops } = start({ jitsuUrl: fake.url, writeKey: fake.classicToken, protocol: 'classic' });
    for (let i = 0; i < 3000; i++) analytics.track('Classic Event', { i }, { table: i % 2 ? 'odd_events' : 'even_events' });
    await analytics.flush();
    expect(drops).toEqual([]);
    expect(fake.requests.every((r) => r.path === '/api/v1/s2s/event' && r.status === 200)).toBe(true);
    expect(fake.acceptedIds().size).toBe(3000);
    expect(fake.duplicates()).toBe(0);
    expect(fake.eventsFor('odd_events')).toHaveLength(1500);
    expect(fake.events().every((e) => e.__JITSU_TABLE_NAME === (((e.properties as { i: number }).i % 2) ? 'odd_events' : 'even_events'))).toBe(true);
    // Classic deduplicates on eventn_ctx.event_id, and stamps a fresh one on events that lack it.
    expect(fake.events().every((e) => (e.eventn_ctx as { event_id?: unknown } | undefined)?.event_id === e.messageId)).toBe(true);
  });

  it('retries a Classic 503 like a Next one', async () => {
    fake.failNext(2, { status: 503 });
    const { analytics } = start({ jitsuUrl: fake.url, writeKey: fake.classicToken, protocol: 'classic' });
    for (let i = 0; i < 10; i++) analytics.track('Classic Retry', { i });
    await analytics.flush();
    expect(fake.acceptedIds().size).toBe(10);
    expect(analytics.stats().retried).toBe(2);
  });
});

describe('SQLite warehouse', () => {
  it('lands each of the nine kinds in its table, one row per event', async () => {
    const file = join(dir, 'analytics.sqlite');
    const { analytics, drops } = start({ destination: { type: 'warehouse', url: `sqlite:${file}` } });
    await trackMixed(analytics, 50);
    await analytics.flush();
    expect(drops).toEqual([]);
    const db = new Database(file, { readonly: true });
    try {
      for (const table of NINE_TABLES) expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 50 });
      const routes = db.prepare('SELECT route, avg(duration_ms) AS avg FROM api_events GROUP BY route').all();
      expect(routes).toEqual([{ route: '/users/:id', avg: 4.5 }]);
      expect(db.prepare(`SELECT recipient_domain FROM email_events LIMIT 1`).get()).toEqual({ recipient_domain: 'example.com' });
    } finally {
      db.close();
    }
  });
});

// startPostgres() printed why when it returns nothing (never under CI, where it throws instead).
if (postgres) describe('PostgreSQL warehouse', () => {
  it('retries while the database is down and delivers every event once it is back', async () => {
    const { analytics, drops } = start({ destination: { type: 'warehouse', url: postgres!.url } });
    await trackMixed(analytics, 5);
    await analytics.flush();
    await postgres!.pause();
    await trackMixed(analytics, 20);
    await new Promise((r) => setTimeout(r, 700));
    expect(analytics.stats().failed).toBeGreaterThan(0);
    await postgres!.resume();
    await analytics.flush();
    expect(drops).toEqual([]);
    const client = new pg.Client({ connectionString: postgres!.url });
    await client.connect();
    try {
      for (const table of NINE_TABLES) {
        const { rows } = await client.query(`SELECT count(*)::int AS n, count(DISTINCT message_id)::int AS d FROM ${table}`);
        expect(rows[0]).toEqual({ n: 25, d: 25 });
      }
    } finally {
      await client.end();
    }
  }, 30_000);
});
