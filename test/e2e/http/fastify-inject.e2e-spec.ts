import { compileSources, type CompiledSources } from '../../support/compile-sources.js';
import { runScript } from '../../support/run-script.js';

interface Served {
  way: 'inject' | 'lambda';
  request: { method: string; url: string };
  status: number;
  api: Array<Record<string, unknown>>;
}

/**
 * Requests Fastify serves without a socket have a response that emits 'finish' while its
 * `writableFinished` stays false: they were recorded as 499 (never completed).
 */
describe("Fastify's inject() and @fastify/aws-lambda (fixture/inject-requests.ts, in its own process)", () => {
  let compiled: CompiledSources;
  let served: Served[];

  beforeAll(async () => {
    compiled = await compileSources('test/e2e/http/fixture/inject-requests.ts', ['lib', 'test/e2e/http/fixture', 'test/support']);
    const { code, stdout } = await runScript(compiled.entry, [], 30_000);
    expect(code).toBe(0);
    served = JSON.parse(stdout) as Served[];
  }, 60_000);
  afterAll(() => compiled?.remove());

  it.each(['inject', 'lambda'])('%s: each request recorded once, with the status it answered', (way) => {
    const mine = served.filter((s) => s.way === way);
    expect(mine.map(({ request, status }) => [request.method, request.url, status])).toEqual([
      ['GET', '/api/users/5', 200],
      ['POST', '/api/users', 201],
      ['DELETE', '/api/users/5', 204],
      ['GET', '/api/users/missing/7', 404],
      ['GET', '/api/users/boom', 500],
      ['GET', '/api/users/stream', 200],
      ['GET', '/api/users/raw', 202],
    ]);
    for (const { request, status, api } of mine) {
      expect(api).toHaveLength(1);
      expect(api[0]).toMatchObject({ method: request.method, path: request.url, status_code: status });
      expect(api[0].duration_ms).toBeGreaterThanOrEqual(0);
    }
  });

  it('lambda: the client address and user agent the gateway passed on', () => {
    const api = served.filter((s) => s.way === 'lambda').map((s) => s.api[0]);
    for (const properties of api) expect(properties).toMatchObject({ ip_address: '203.0.113.0', user_agent: 'lambda-test' });
  });
});
