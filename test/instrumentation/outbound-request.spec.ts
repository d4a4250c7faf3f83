import { resolveOutboundHttpOptions } from '../../lib/instrumentation/outbound-http-options.js';
import { clientRequestTarget, http2Target, pathOnly, undiciTarget } from '../../lib/instrumentation/outbound-request.js';
import { serviceName, serviceNameMap } from '../../lib/instrumentation/service-names.js';
import { MARKER_HEADER, MARKER_VALUE } from '../../lib/transports/jitsu/request-marker.js';

const SERVICES = {
  'api.stripe.com': 'stripe',
  '*.sendgrid.net': 'sendgrid',
  'localhost:4000': 'inventory',
  localhost: 'local',
  '*.internal:8443': 'mesh',
};
const rules = resolveOutboundHttpOptions({ services: SERVICES });
const { services } = rules;

describe('service names', () => {
  it.each([
    ['api.stripe.com', undefined, 'stripe'],
    ['API.Stripe.com', undefined, 'stripe'],
    ['eu.api.sendgrid.net', undefined, 'sendgrid'],
    ['sendgrid.net', undefined, 'sendgrid.net'],
    ['localhost', '4000', 'inventory'],
    ['localhost', '5000', 'local'],
    ['orders.internal', '8443', 'mesh'],
    ['orders.internal', '9000', 'orders.internal'],
    ['example.org', undefined, 'example.org'],
  ])('%s (port %s) is %s', (host, port, expected) => {
    expect(serviceName(services, host, port)).toBe(expected);
  });
});

describe('service name maps', () => {
  it('name a host by its most specific wildcard, whatever the order of the keys', () => {
    const map = serviceNameMap({ '*.example.com': 'example', '*.api.example.com': 'example-api' });
    expect(serviceName(map, 'v2.api.example.com')).toBe('example-api');
    expect(serviceName(map, 'www.example.com')).toBe('example');
  });

  it('match keys written with capitals', () => {
    const map = serviceNameMap({ 'API.Stripe.com': 'stripe', '*.SendGrid.net': 'sendgrid', 'LocalHost:4000': 'inventory' });
    expect(serviceName(map, 'api.stripe.com')).toBe('stripe');
    expect(serviceName(map, 'eu.sendgrid.net')).toBe('sendgrid');
    expect(serviceName(map, 'localhost', '4000')).toBe('inventory');
  });

  it('name an IPv6 host written in brackets, however the address is spelt, its port apart from the address', () => {
    const map = serviceNameMap({ '[FD00:0:0::1]:8080': 'mesh', '[fd00::2]': 'cache', '[::1]:4000': 'local' });
    expect(serviceName(map, 'fd00::1', '8080')).toBe('mesh');
    expect(serviceName(map, 'fd00::1', '8081')).toBe('fd00::1');
    expect(serviceName(map, 'fd00::2', '6379')).toBe('cache');
    // `::1:4000` is an address of its own, not `[::1]:4000`.
    expect(serviceName(map, '::1:4000')).toBe('::1:4000');
    expect(serviceName(map, '::1', '4000')).toBe('local');
  });
});

describe('outbound request targets', () => {
  it('pathOnly drops query and fragment and never returns an empty path', () => {
    expect(pathOnly('/v1/charges?customer=cus_1')).toBe('/v1/charges');
    expect(pathOnly('/a#frag')).toBe('/a');
    expect(pathOnly('?x=1')).toBe('/');
    expect(pathOnly(undefined)).toBe('/');
  });

  it('reads an undici request, naming the service from origin host and port', () => {
    expect(undiciTarget({ origin: 'http://localhost:4000', path: '/items?page=2', method: 'PUT', headers: [] }, rules)).toEqual({
      service: 'inventory',
      endpoint: '/items',
      method: 'PUT',
    });
    expect(undiciTarget({ origin: new URL('https://[::1]:9000'), path: '/x', method: 'GET' }, rules)?.service).toBe('::1');
  });

  it('skips requests carrying the Jitsu transport marker, in every header shape undici publishes', () => {
    for (const headers of [
      ['content-type', 'application/json', MARKER_HEADER, MARKER_VALUE],
      [MARKER_HEADER, Buffer.from(MARKER_VALUE)],
      `content-type: application/json\r\n${MARKER_HEADER}: ${MARKER_VALUE}\r\n`,
    ]) {
      expect(undiciTarget({ origin: 'http://jitsu:8080', path: '/api/s/s2s/batch', method: 'POST', headers }, rules)).toBeUndefined();
    }
  });

  it('returns undefined for an unreadable undici origin instead of throwing', () => {
    expect(undiciTarget({ origin: 'not a url', path: '/' }, rules)).toBeUndefined();
  });

  it('never keeps the credential of a webhook or bot URL in the endpoint, from undici or from http', () => {
    const secret = 'Xq8vNz4tLp2Rk7Ws9Yb3Hc1M';
    expect(undiciTarget({ origin: 'https://hooks.slack.com', path: `/services/T0/B0/${secret}`, method: 'POST' }, rules)?.endpoint).toBe('/services/T0/B0/[REDACTED]');
    const request = { host: 'api.telegram.org', path: `/bot61234:${secret}/sendMessage?chat_id=1`, method: 'POST', getHeader: () => undefined };
    expect(clientRequestTarget(request, rules)?.endpoint).toBe('/bot[REDACTED]/sendMessage');
  });

  it("skips a proxy tunnel's CONNECT, from undici or from http: the request sent through it is the call", () => {
    expect(undiciTarget({ origin: 'http://proxy.corp:3128', path: 'api.stripe.com:443', method: 'CONNECT', headers: [] }, rules)).toBeUndefined();
    const connect = { host: 'proxy.corp', path: 'api.stripe.com:443', method: 'CONNECT', getHeader: () => undefined };
    expect(clientRequestTarget(connect, rules)).toBeUndefined();
    expect(clientRequestTarget({ ...connect, method: 'GET', path: '/v1/charges' }, rules)?.endpoint).toBe('/v1/charges');
  });

  it('reads the target of a request sent to a forward proxy in absolute form, from undici or from http', () => {
    const secret = 'Xq8vNz4tLp2Rk7Ws9Yb3Hc1M';
    expect(undiciTarget({ origin: 'http://proxy.corp:3128', path: 'http://localhost:4000/stock?sku=1', method: 'GET' }, rules)).toEqual({
      service: 'inventory',
      endpoint: '/stock',
      method: 'GET',
    });
    const request = { host: 'proxy.corp', path: `https://hooks.slack.com/services/T0/B0/${secret}?x=1`, method: 'POST', getHeader: () => 'hooks.slack.com' };
    expect(clientRequestTarget(request, rules)).toEqual({ service: 'hooks.slack.com', endpoint: '/services/T0/B0/[REDACTED]', method: 'POST' });
    expect(clientRequestTarget({ ...request, path: 'HTTP://[::1]:4000/' }, rules)).toEqual({ service: '::1', endpoint: '/', method: 'POST' });
    // Not a URL after all: read as a path, on the connection's host.
    expect(clientRequestTarget({ ...request, path: 'http://exa mple.com/x' }, rules)?.service).toBe('proxy.corp');
  });

  it('reads a ClientRequest, with the port from its Host header', () => {
    const headers: Record<string, string> = { host: 'localhost:4000' };
    const request = { host: 'localhost', path: '/stock?sku=1', method: 'DELETE', getHeader: (name: string) => headers[name] };
    expect(clientRequestTarget(request, rules)).toEqual({ service: 'inventory', endpoint: '/stock', method: 'DELETE' });
    headers[MARKER_HEADER] = MARKER_VALUE;
    expect(clientRequestTarget(request, rules)).toBeUndefined();
  });

  it('reads an HTTP/2 stream from its pseudo-headers, the port from its authority', () => {
    const headers = { ':method': 'POST', ':authority': 'localhost:4000', ':path': '/stock?sku=1', ':scheme': 'http' };
    expect(http2Target(headers, rules)).toEqual({ service: 'inventory', endpoint: '/stock', method: 'POST' });
    expect(http2Target({ ':path': `/services/T0/B0/${'x'.repeat(24)}`, ':authority': 'hooks.slack.com' }, rules)).toEqual({
      service: 'hooks.slack.com',
      endpoint: '/services/T0/B0/[REDACTED]',
      method: 'GET',
    });
    expect(http2Target({ ':authority': '[::1]:50051', ':path': '/pkg.Svc/Call' }, rules)?.service).toBe('::1');
    expect(http2Target({ host: 'api.stripe.com', ':path': '/v1' }, rules)?.service).toBe('stripe');
    expect(http2Target({ ...headers, [MARKER_HEADER]: MARKER_VALUE }, rules)).toBeUndefined();
    expect(http2Target({ ...headers, ':method': 'CONNECT' }, rules)).toBeUndefined();
    expect(http2Target({ ':path': '/no-authority' }, rules)).toBeUndefined();
    expect(http2Target({ ':authority': 'exa mple.com', ':path': '/' }, rules)).toBeUndefined();
  });
});

describe('ignored calls', () => {
  const ignoring = resolveOutboundHttpOptions({ services: SERVICES, ignore: ['api.stripe.com/v1/health', 'localhost:4000', '[::1]'] });

  it('gives no target for a call outboundHttp.ignore names, from any client, and one for the calls beside it', () => {
    expect(undiciTarget({ origin: 'https://api.stripe.com', path: '/v1/health?x=1', method: 'GET' }, ignoring)).toBeUndefined();
    expect(undiciTarget({ origin: 'https://api.stripe.com', path: '/v1/charges', method: 'GET' }, ignoring)?.service).toBe('stripe');
    const headers: Record<string, string> = { host: 'localhost:4000' };
    const request = { host: 'localhost', path: '/stock', method: 'GET', getHeader: (name: string) => headers[name] };
    expect(clientRequestTarget(request, ignoring)).toBeUndefined();
    headers.host = 'localhost:4001';
    expect(clientRequestTarget(request, ignoring)?.service).toBe('local');
    expect(http2Target({ ':authority': 'localhost:4000', ':path': '/pkg.Svc/Call' }, ignoring)).toBeUndefined();
    expect(http2Target({ ':authority': '[::1]:50051', ':path': '/pkg.Svc/Call' }, ignoring)).toBeUndefined();
    expect(http2Target({ ':authority': 'api.stripe.com', ':path': '/v1/health' }, ignoring)).toBeUndefined();
  });

  it('reads a call sent to a proxy in absolute form by its target, for ignoring as for naming', () => {
    expect(undiciTarget({ origin: 'http://proxy.corp:3128', path: 'https://api.stripe.com/v1/health', method: 'GET' }, ignoring)).toBeUndefined();
    const viaProxy = { host: 'proxy.corp', path: 'http://localhost:4000/stock', method: 'GET', getHeader: () => 'localhost:4000' };
    expect(clientRequestTarget(viaProxy, ignoring)).toBeUndefined();
    expect(clientRequestTarget({ ...viaProxy, path: 'http://localhost:4001/stock' }, ignoring)?.service).toBe('local');
  });
});

describe('endpoint templates', () => {
  const templated = resolveOutboundHttpOptions({
    services: SERVICES,
    endpoints: ['api.github.com/repos/:owner/:repo/issues/:number', 'localhost:4000/stock/:sku', '/v1/customers/:id', '/v1/customers/:id/*'],
  });

  it('records a call that matches a template under the template, from any client, and the others under their path', () => {
    expect(undiciTarget({ origin: 'https://api.github.com', path: '/repos/acme/app/issues/123?page=2', method: 'GET' }, templated)).toEqual({
      service: 'api.github.com',
      endpoint: '/repos/:owner/:repo/issues/:number',
      method: 'GET',
    });
    expect(undiciTarget({ origin: 'https://api.github.com', path: '/repos/acme/app/pulls/7', method: 'GET' }, templated)?.endpoint).toBe('/repos/acme/app/pulls/7');
    const headers: Record<string, string> = { host: 'localhost:4000' };
    const request = { host: 'localhost', path: '/stock/SKU-991', method: 'GET', getHeader: (name: string) => headers[name] };
    expect(clientRequestTarget(request, templated)).toEqual({ service: 'inventory', endpoint: '/stock/:sku', method: 'GET' });
    headers.host = 'localhost:4001';
    expect(clientRequestTarget(request, templated)?.endpoint).toBe('/stock/SKU-991');
    expect(http2Target({ ':authority': 'api.stripe.com', ':path': '/v1/customers/cus_Nff8x/' }, templated)?.endpoint).toBe('/v1/customers/:id');
    // The first match wins: the longer template comes second and takes what the first leaves.
    expect(http2Target({ ':authority': 'api.stripe.com', ':path': '/v1/customers/cus_Nff8x/sources/src_1' }, templated)?.endpoint).toBe('/v1/customers/:id/*');
  });

  it('refuses a pattern that names no path to record the calls as', () => {
    expect(() => resolveOutboundHttpOptions({ endpoints: ['api.github.com', '/repos/:owner/*/x', 7] })).toThrow(
      [
        'Invalid nestjs-jitsu-analytics configuration:',
        `  - outboundHttp.endpoints[0]: got "api.github.com", expected a path to record the calls as (e.g. 'api.github.com/repos/:owner/:repo')`,
        `  - outboundHttp.endpoints[1]: got "/repos/:owner/*/x", expected '*' only at the end of the pattern (e.g. '/internal/*')`,
        `  - outboundHttp.endpoints[2]: got number 7, expected a host with an optional port and path, or a path ('api.example.com', '*.sentry.io', 'localhost:4318/v1/*', '/health')`,
      ].join('\n'),
    );
    expect(() => resolveOutboundHttpOptions({ endpoints: '/v1/customers/:id' })).toThrow(/outboundHttp\.endpoints: got "\/v1\/customers\/:id", expected an array of path patterns/);
  });
});
