import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request as undiciRequest } from 'undici';
import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import { compileOutboundIgnore } from '../../lib/instrumentation/outbound-ignore.js';
import { resolveOutboundHttpOptions } from '../../lib/instrumentation/outbound-http-options.js';
import { freePort } from '../support/server-process.js';
import { calls, errorsOf, outboundTracking } from './outbound-tracking.js';

describe('outboundHttp.ignore patterns', () => {
  const ignored = (patterns: unknown[]) => {
    const { matches, problems } = compileOutboundIgnore(patterns, 'outboundHttp.ignore');
    expect(problems).toEqual([]);
    return matches;
  };

  it.each([
    // pattern, host, port, path, ignored
    ['169.254.169.254', '169.254.169.254', undefined, '/latest/meta-data/iam', true],
    ['169.254.169.254', '169.254.169.25', undefined, '/', false],
    ['Metadata.Google.Internal', 'metadata.google.internal', undefined, '/computeMetadata/v1/token', true],
    ['metadata.google.internal', 'METADATA.google.internal', undefined, '/', true],
    ['*.ingest.sentry.io', 'o1.ingest.sentry.io', undefined, '/api/1/envelope/', true],
    ['*.ingest.sentry.io', 'ingest.sentry.io', undefined, '/api/1/envelope/', false],
    ['*.ingest.sentry.io', 'evil-ingest.sentry.io', undefined, '/', false],
    ['localhost:4318', 'localhost', '4318', '/v1/traces', true],
    ['localhost:4318', 'localhost', '4317', '/v1/traces', false],
    ['localhost:4318', 'localhost', undefined, '/v1/traces', false],
    ['localhost', 'localhost', '4318', '/v1/traces', true],
    ['localhost:4318/v1/*', 'localhost', '4318', '/v1/metrics', true],
    ['localhost:4318/v1/*', 'localhost', '4318', '/v2/metrics', false],
    ['api.example.com/health', 'api.example.com', undefined, '/health/', true],
    ['api.example.com/health', 'api.example.com', undefined, '/healthz', false],
    ['api.example.com/users/:id/ping', 'api.example.com', undefined, '/users/42/ping', true],
    ['api.example.com/users/:id/ping', 'api.example.com', undefined, '/users/42/orders', false],
    ['[FD00:EC2::254]', 'fd00:ec2::254', undefined, '/latest/api/token', true],
    ['[fd00:0ec2:0::254]', 'fd00:ec2::254', undefined, '/latest/api/token', true],
    ['[::1]:9000/internal/*', '::1', '9000', '/internal/x', true],
    ['[::1]:9000/internal/*', '::1', '9000', '/public', false],
    ['/health', 'api.example.com', '8080', '/health/', true],
    ['/health', 'localhost', undefined, '/v1/health', false],
  ])('%s: %s port %s %s → %s', (pattern, host, port, path, expected) => {
    expect(ignored([pattern])(host, port, path)).toBe(expected);
  });

  it('tests a RegExp against host, port and path, an IPv6 host in brackets, without lastIndex carried over', () => {
    const matches = ignored([/^\[::1\]:9000\/internal\//, /\/v1\/traces$/g]);
    expect(matches('::1', '9000', '/internal/x')).toBe(true);
    expect(matches('::1', '9001', '/internal/x')).toBe(false);
    expect([1, 2, 3].map(() => matches('collector', '4318', '/v1/traces'))).toEqual([true, true, true]);
    expect(matches('collector', '4318', '/v1/traces/x')).toBe(false);
  });

  it('ignores nothing by default', () => {
    const { matches, problems } = compileOutboundIgnore(undefined, 'outboundHttp.ignore');
    expect(problems).toEqual([]);
    expect(matches('localhost', undefined, '/')).toBe(false);
    expect(resolveOutboundHttpOptions({ enabled: true }).ignore('localhost', undefined, '/')).toBe(false);
  });

  it('refuses what is not a call pattern, naming each one', () => {
    let error: unknown;
    try {
      resolveOutboundHttpOptions({ enabled: true, ignore: ['https://api.example.com/health', 'localhost', 42, 'api.example.com/v1/*/x', '', '::1', '[fd00::zz]', '[1:2:3:4:5:6:7:8:9]:80'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AnalyticsConfigError);
    expect((error as AnalyticsConfigError).problems).toEqual([
      expect.stringMatching(/^outboundHttp\.ignore\[0\]: got "https:\/\/api\.example\.com\/health", expected a host with an optional port and path, or a path \(.*\) or a RegExp$/),
      expect.stringMatching(/^outboundHttp\.ignore\[2\]: got number 42, expected a host/),
      expect.stringMatching(/^outboundHttp\.ignore\[3\]: got "api\.example\.com\/v1\/\*\/x", expected '\*' only at the end/),
      expect.stringMatching(/^outboundHttp\.ignore\[4\]: got "", expected a host/),
      expect.stringMatching(/^outboundHttp\.ignore\[5\]: got "::1", expected a host/),
      `outboundHttp.ignore[6]: got "[fd00::zz]", expected a host with an optional port and path, or a path ('api.example.com', '*.sentry.io', 'localhost:4318/v1/*', '/health') or a RegExp`,
      `outboundHttp.ignore[7]: got "[1:2:3:4:5:6:7:8:9]:80", expected a valid IPv6 address in brackets (e.g. '[fd00::1]:8080') or a RegExp`,
    ]);
    expect(() => resolveOutboundHttpOptions({ ignore: 'localhost' })).toThrow(/outboundHttp\.ignore: got "localhost", expected an array of call patterns/);
  });
});

describe('outboundHttp.ignore and endpoints on real calls', () => {
  let api: http.Server;
  let apiPort: number;
  beforeAll(async () => {
    api = http.createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiPort = (api.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => api.close(resolve)));

  const { running } = outboundTracking();
  const base = () => `http://127.0.0.1:${apiPort}`;
  const httpGet = (url: string) =>
    new Promise<number>((resolve, reject) => {
      http.get(url, (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0))).on('error', reject);
    });

  it('records no call to an ignored host or path through fetch, undici or node:http, and still records the others', async () => {
    const wa = running({ outboundHttp: { enabled: true, ignore: [`127.0.0.1:${apiPort}/health`, /\/v1\/traces$/] } });
    await (await fetch(`${base()}/health?full=1`)).text();
    await (await undiciRequest(`${base()}/v1/traces`, { method: 'POST', body: '{}' })).body.text();
    expect(await httpGet(`${base()}/health`)).toBe(200);
    await (await fetch(`${base()}/v1/charges`)).text();
    expect(await httpGet(`${base()}/v1/traces/other`)).toBe(200);
    expect((await calls(wa)).map((e) => [e.properties.http_method, e.properties.endpoint])).toEqual([
      ['GET', '/v1/charges'],
      ['GET', '/v1/traces/other'],
    ]);
  });

  it('records neither an External API Call nor a Backend Error for an ignored call that fails', async () => {
    const closedPort = await freePort();
    const wa = running({ outboundHttp: { enabled: true, ignore: [`127.0.0.1:${closedPort}`] } });
    const unfiltered = running({ outboundHttp: { enabled: true } });
    await expect(fetch(`http://127.0.0.1:${closedPort}/latest/meta-data`)).rejects.toThrow();
    await expect(httpGet(`http://127.0.0.1:${closedPort}/latest/meta-data`)).rejects.toThrow(/ECONNREFUSED/);
    expect(await calls(wa)).toEqual([]);
    expect(await errorsOf(wa)).toEqual([]);
    // The same calls, seen by an instance that ignores nothing.
    expect((await calls(unfiltered)).map((e) => e.properties.success)).toEqual([false, false]);
    expect(await errorsOf(unfiltered)).toHaveLength(2);
  });

  it('records a call under the endpoint template it matches, through fetch and node:http', async () => {
    const wa = running({ outboundHttp: { enabled: true, endpoints: [`127.0.0.1:${apiPort}/users/:id/orders`, '/files/*'] } });
    await (await fetch(`${base()}/users/8812/orders?page=2`)).text();
    expect(await httpGet(`${base()}/files/2026/11/report-8812.pdf`)).toBe(200);
    expect(await httpGet(`${base()}/users/8812`)).toBe(200);
    expect((await calls(wa)).map((e) => e.properties.endpoint)).toEqual(['/users/:id/orders', '/files/*', '/users/8812']);
    expect(await wa.payload()).not.toContain('report-8812');
  });
});
