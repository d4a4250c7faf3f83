import { type ApiRow, apiPanels, MAX_MINUTES } from '../../sample-app/dashboard/api-panels.js';
import { latencyPercentiles, percentile } from '../../sample-app/dashboard/percentile.js';

const row = (minute: string, route: string | null, status: number, duration: number, method = 'GET'): ApiRow => ({
  method,
  route,
  path: route ?? '/nowhere',
  status_code: status,
  duration_ms: duration,
  timestamp: `${minute}:30.000Z`,
});

describe('percentiles', () => {
  it('are nearest-rank values of the sample', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([50, 95, 99, 100].map((p) => percentile(hundred, p))).toEqual([50, 95, 99, 100]);
    expect([50, 95, 99].map((p) => percentile([7], p))).toEqual([7, 7, 7]);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('sorts an unsorted sample and rounds to 0.1 ms', () => {
    expect(latencyPercentiles([30.04, 10.06, 20])).toEqual({ p50: 20, p95: 30, p99: 30 });
    expect(latencyPercentiles([])).toEqual({ p50: 0, p95: 0, p99: 0 });
  });
});

describe('the API panels', () => {
  const rows = [
    row('2026-01-01T10:00', '/a', 200, 10),
    row('2026-01-01T10:00', '/a', 500, 30),
    row('2026-01-01T10:01', '/a', 200, 20),
    row('2026-01-01T10:01', '/b/:id', 404, 5, 'POST'),
    row('2026-01-01T10:01', null, 404, 1),
    row('2026-01-01T10:01', null, 404, 3),
  ];

  it('counts requests and failures per minute, oldest first', () => {
    expect(apiPanels([...rows].reverse()).traffic).toEqual([
      { minute: '2026-01-01T10:00', requests: 2, failed: 1 },
      { minute: '2026-01-01T10:01', requests: 4, failed: 3 },
    ]);
  });

  it('computes per-route figures, grouping unmatched paths under one route, busiest first', () => {
    expect(apiPanels(rows).routes).toEqual([
      { route: 'GET /a', requests: 3, failed: 1, p50: 20, p95: 30, p99: 30 },
      { route: 'GET (unmatched)', requests: 2, failed: 2, p50: 1, p95: 3, p99: 3 },
      { route: 'POST /b/:id', requests: 1, failed: 1, p50: 5, p95: 5, p99: 5 },
    ]);
  });

  it('computes latency per route and minute', () => {
    const a = apiPanels(rows).latency.filter((p) => p.route === 'GET /a');
    expect(a).toEqual([
      { route: 'GET /a', minute: '2026-01-01T10:00', requests: 2, p50: 10, p95: 30, p99: 30 },
      { route: 'GET /a', minute: '2026-01-01T10:01', requests: 1, p50: 20, p95: 20, p99: 20 },
    ]);
  });

  it('gives the error rate over all requests, and zero without requests', () => {
    expect(apiPanels(rows).errors).toEqual({ requests: 6, failed: 4, serverErrors: 1, rate: 4 / 6 });
    expect(apiPanels([]).errors).toEqual({ requests: 0, failed: 0, serverErrors: 0, rate: 0 });
  });

  it(`charts at most the ${MAX_MINUTES} latest minutes`, () => {
    const many = Array.from({ length: MAX_MINUTES + 5 }, (_, i) => row(new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString().slice(0, 16), '/a', 200, i));
    const panels = apiPanels(many);
    expect(panels.traffic).toHaveLength(MAX_MINUTES);
    expect(panels.traffic[0]!.minute).toBe('2026-01-01T00:05');
    expect(new Set(panels.latency.map((p) => p.minute))).toEqual(new Set(panels.traffic.map((p) => p.minute)));
    expect(panels.routes[0]!.requests).toBe(MAX_MINUTES + 5);
  });
});
