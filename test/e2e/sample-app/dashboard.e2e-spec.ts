import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { DashboardSummary } from '../../../sample-app/dashboard/dashboard-summary.js';
import { ensureSampleAppBuilt, REPO_ROOT } from './support/build-freshness.js';
import { EXPECTED_REQUESTS } from './support/expected-traffic.js';
import { readReadme, requestBlock, runBlock } from './support/readme-requests.js';
import { SampleAppProcess } from './support/sample-app-process.js';
import { warehouseFigures, type WarehouseFigures } from './support/warehouse-expectations.js';

/**
 * The dashboard at /analytics after the README's traffic: its summary and every panel of the
 * page, loaded in headless Chromium, must hold the numbers the warehouse holds (computed here
 * with plain SQL). The screenshot is kept in test/artifacts/dashboard.png.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT = join(REPO_ROOT, 'test', 'artifacts', 'dashboard.png');
const TRACKED = EXPECTED_REQUESTS.filter((r) => r.api !== undefined).length;

function chromiumAvailable(): boolean {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return true;
  } catch {
    if (process.env.CI) throw new Error(`The dashboard test needs Chromium under CI, and ${CHROMIUM} is missing (apt-get install chromium)`);
    process.stderr.write(`Dashboard browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)\n`);
    return false;
  }
}
const withChromium = chromiumAvailable();

let dataDir: string;
let app: SampleAppProcess;
let figures: WarehouseFigures;

interface PipelineHealth {
  info: { analytics: { queued: number; inFlight: number } };
}

/** Waits until the app has delivered every queued event and the warehouse holds every API call. */
async function settled(): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const health = (await (await fetch(`${app.url}/health`)).json()) as PipelineHealth;
    const { queued, inFlight } = health.info.analytics;
    if (queued === 0 && inFlight === 0) {
      try {
        if (warehouseFigures(join(dataDir, 'analytics.sqlite')).requests === TRACKED) return;
      } catch {
        // The warehouse file appears with the first delivered batch.
      }
    }
    if (Date.now() > deadline) throw new Error(`the warehouse did not receive the ${TRACKED} API calls in time:\n${app.log}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  await ensureSampleAppBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'sample-app-dashboard-'));
  // Deliver within 50 ms, and no System Performance samples: the numbers must hold still while compared.
  app = await SampleAppProcess.start({ DATA_DIR: dataDir, ANALYTICS_BATCH_TIMEOUT: '50', ANALYTICS_SYSTEM_INTERVAL_MS: '3600000' });
  const run = await runBlock(requestBlock(readReadme()), app.url);
  if (run.exitCode !== 0) throw new Error(`the README's requests failed:\n${run.stderr}`);
  await settled();
  figures = warehouseFigures(join(dataDir, 'analytics.sqlite'));
}, 240_000);

afterAll(async () => {
  await app?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the dashboard, served by the sample app', () => {
  it('serves its page, its script and chart.js itself, with no third-party URL', async () => {
    const page = await fetch(`${app.url}/analytics`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect([...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1])).toEqual(['/analytics/chart.umd.min.js', '/analytics/dashboard.js']);
    expect(html).not.toMatch(/https?:\/\//);
    const chartFile = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
    expect(await (await fetch(`${app.url}/analytics/chart.umd.min.js`)).text()).toBe(readFileSync(chartFile, 'utf8'));
    const script = await fetch(`${app.url}/analytics/dashboard.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toBe(readFileSync(join(REPO_ROOT, 'sample-app', 'dashboard', 'public', 'dashboard.js'), 'utf8'));
  });

  it('summarises exactly what the warehouse holds', async () => {
    const summary = (await (await fetch(`${app.url}/analytics/api/summary`)).json()) as DashboardSummary;
    expect(summary.source).toEqual({ warehouse: join(dataDir, 'analytics.sqlite'), exists: true, destination: 'this warehouse' });
    expect(Object.fromEntries(summary.tables.map((t) => [t.table, t.rows]))).toEqual(figures.tables);
    expect(summary.errors).toMatchObject({ requests: figures.requests, failed: figures.failed, serverErrors: figures.serverErrors, rate: figures.failed / figures.requests });
    expect(Object.fromEntries(summary.routes.map(({ route, ...stats }) => [route, stats]))).toEqual(figures.routes);
    const perMinute = summary.traffic.reduce((sum, p) => sum + p.requests, 0);
    expect(perMinute).toBe(figures.requests);
  });

  it('records nothing about its own requests', async () => {
    for (let i = 0; i < 5; i++) await (await fetch(`${app.url}/analytics/api/summary`)).arrayBuffer();
    await (await fetch(`${app.url}/analytics`)).arrayBuffer();
    await settled();
    expect(warehouseFigures(join(dataDir, 'analytics.sqlite')).tables).toEqual(figures.tables);
  });
});

if (withChromium) {
  describe('the dashboard in headless Chromium', () => {
    let browser: Browser;
    let page: Page;
    const requested: string[] = [];
    const problems: string[] = [];

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      page.on('request', (r) => requested.push(r.url()));
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${app.url}/analytics`);
      await page.waitForSelector('body[data-generated-at]', { timeout: 15_000 });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
    });

    const cells = (table: string) =>
      page.$$eval(`#${table} tbody tr`, (rows) =>
        rows.map((row) => ({
          key: row.getAttribute('data-key') ?? '',
          values: [...row.querySelectorAll('td')].map((td) => (td.hasAttribute('data-value') ? Number(td.getAttribute('data-value')) : td.textContent)),
        })),
      );
    const chartData = (id: string) =>
      page.evaluate((canvas) => {
        const chart = (globalThis as unknown as { Chart: { getChart(id: string): { data: { labels: string[]; datasets: Array<{ label: string; data: unknown[] }> } } } }).Chart.getChart(canvas);
        return { labels: chart.data.labels, datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })) };
      }, id);

    it('loads from the app alone, without errors', () => {
      expect(problems).toEqual([]);
      expect(requested.filter((url) => !url.startsWith(app.url))).toEqual([]);
    });

    it('shows the request totals and error rate', async () => {
      expect(await page.textContent('#tile-requests')).toBe(String(figures.requests));
      expect(await page.textContent('#tile-failed')).toBe(String(figures.failed));
      expect(await page.textContent('#tile-server-errors')).toBe(String(figures.serverErrors));
      expect(Number(await page.getAttribute('#tile-error-rate', 'data-value'))).toBeCloseTo(figures.failed / figures.requests, 10);
    });

    it('charts requests per minute and latency per route', async () => {
      const traffic = await chartData('traffic-chart');
      const sum = (values: unknown[]) => values.reduce<number>((s, v) => s + Number(v), 0);
      expect(sum(traffic.datasets[0]!.data) + sum(traffic.datasets[1]!.data)).toBe(figures.requests);
      expect(sum(traffic.datasets[1]!.data)).toBe(figures.failed);
      expect(traffic.labels).toEqual(figures.minutes.map((m) => m.slice(11)));
      const at = (route: string, p: 'p50' | 'p95' | 'p99') => figures.minutes.map((m) => figures.routeMinutes[route]![m]?.[p] ?? null);

      const everyRoute = await chartData('latency-chart');
      expect(Object.fromEntries(everyRoute.datasets.map((d) => [d.label, d.data]))).toEqual(
        Object.fromEntries(Object.keys(figures.routes).map((route) => [route, at(route, 'p95')])),
      );
      const route = 'POST /api/payment/process';
      await page.selectOption('#route-select', route);
      const oneRoute = await chartData('latency-chart');
      expect(oneRoute.datasets).toEqual((['p50', 'p95', 'p99'] as const).map((p) => ({ label: p, data: at(route, p) })));
    });

    it('fills the route, table, error, payment and query panels with the warehouse numbers', async () => {
      const routes = await cells('routes-table');
      expect(Object.fromEntries(routes.map((r) => [r.key, r.values.slice(1)]))).toEqual(
        Object.fromEntries(Object.entries(figures.routes).map(([k, s]) => [k, [s.requests, s.failed, s.p50, s.p95, s.p99]])),
      );
      expect(Object.fromEntries((await cells('tables-table')).map((r) => [r.key, r.values[1]]))).toEqual(figures.tables);
      expect(Object.fromEntries((await cells('error-sources-table')).map((r) => [r.key, r.values[1]]))).toEqual(figures.errorSources);
      expect(Object.fromEntries((await cells('payments-table')).map((r) => [r.key, r.values[1]]))).toEqual(figures.payments);
      expect((await chartData('payments-chart')).datasets[0]!.data).toEqual([figures.payments.approved, figures.payments.declined]);

      const queries = await cells('queries-table');
      expect(queries).toHaveLength(Math.min(10, Object.keys(figures.queries).length));
      for (const q of queries) {
        const want = figures.queries[q.key]!;
        expect(q.values.slice(1)).toEqual([want.count, Math.round(want.avgMs * 100) / 100, want.maxMs, want.failed]);
      }
      const slowestShown = Math.min(...queries.map((q) => q.values[3] as number));
      const hidden = Object.entries(figures.queries).filter(([f]) => !queries.some((q) => q.key === f));
      expect(hidden.filter(([, s]) => s.maxMs > slowestShown)).toEqual([]);
    });

    it('lists the most recent events, newest first', async () => {
      const recent = await cells('recent-table');
      expect(recent).toHaveLength(25);
      expect(recent[0]!.key.endsWith(figures.newestTimestamp)).toBe(true);
      const times = recent.map((r) => r.key.slice(r.key.indexOf(':') + 1));
      expect(times).toEqual([...times].sort().reverse());
    });

    it('saves a screenshot of the whole page', async () => {
      await page.selectOption('#route-select', '');
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      const png = await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(20_000);
    });
  });
}
