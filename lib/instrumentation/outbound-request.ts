import { withoutPathCredentials } from '../privacy/credential-paths.js';
import { isJitsuTransportRequest, MARKER_HEADER } from '../transports/jitsu/request-marker.js';
import type { OutboundEndpoint } from './outbound-endpoints.js';
import type { OutboundIgnore } from './outbound-ignore.js';
import { type ServiceNameMap, serviceName } from './service-names.js';

/** How calls are named (`outboundHttp.services`, `endpoints`) and which are never recorded (`ignore`). */
export interface OutboundRules {
  services: ServiceNameMap;
  ignore: OutboundIgnore;
  endpoint: OutboundEndpoint;
}

/** What an External API Call says about the request, read when it starts. */
export interface OutboundTarget {
  service: string;
  endpoint: string;
  method: string;
}

/** The request object undici publishes on `undici:request:create` (undici 6 in Node's fetch, undici 7). */
export interface UndiciRequestLike {
  origin?: unknown;
  path?: unknown;
  method?: unknown;
  headers?: unknown;
}

/** The `ClientRequest` Node publishes on `http.client.request.start`. */
export interface ClientRequestLike {
  host?: unknown;
  path?: unknown;
  method?: unknown;
  getHeader?(name: string): unknown;
}

/**
 * undefined for the Jitsu transport's own requests, which must never be tracked, for proxy tunnels,
 * ignored calls and unreadable ones. Credentials in the path are redacted here, where the host is known:
 * the event's service may be a configured name that says nothing of it.
 */
export function undiciTarget(request: UndiciRequestLike, rules: OutboundRules): OutboundTarget | undefined {
  if (isTunnel(request.method) || isJitsuTransportRequest(request)) return undefined;
  let origin: URL;
  try {
    origin = new URL(String(request.origin));
  } catch {
    return undefined;
  }
  const place = absoluteTarget(request.path) ?? { host: unbracket(origin.hostname), port: origin.port || undefined, path: request.path };
  return targetAt(place, request.method, rules);
}

export function clientRequestTarget(request: ClientRequestLike, rules: OutboundRules): OutboundTarget | undefined {
  if (isTunnel(request.method)) return undefined;
  const header = (name: string) => (typeof request.getHeader === 'function' ? request.getHeader(name) : undefined);
  if (isJitsuTransportRequest({ headers: { [MARKER_HEADER]: header(MARKER_HEADER) } })) return undefined;
  const host = typeof request.host === 'string' ? request.host : undefined;
  if (!host) return undefined;
  const place = absoluteTarget(request.path) ?? { host: unbracket(host), port: portOf(header('host')), path: request.path };
  return targetAt(place, request.method, rules);
}

/** The request headers Node publishes on `http2.client.stream.created`: pseudo-headers included. */
export type Http2HeadersLike = Readonly<Record<string, unknown>>;

/** A `node:http2` client stream's request (gRPC clients' calls included), read from its pseudo-headers. */
export function http2Target(headers: Http2HeadersLike, rules: OutboundRules): OutboundTarget | undefined {
  const method = typeof headers[':method'] === 'string' ? headers[':method'] : 'GET';
  if (isTunnel(method) || isJitsuTransportRequest({ headers })) return undefined;
  const authority = headers[':authority'] ?? headers.host;
  if (typeof authority !== 'string' || authority === '') return undefined;
  let url: URL;
  try {
    url = new URL(`http://${authority}`);
  } catch {
    return undefined;
  }
  return targetAt({ host: unbracket(url.hostname), port: url.port || undefined, path: headers[':path'] }, method, rules);
}

/** Where a call goes, as read from one client or another. */
interface CallPlace {
  host: string;
  port: string | undefined;
  path: unknown;
}

function targetAt(place: CallPlace, method: unknown, rules: OutboundRules): OutboundTarget | undefined {
  const path = pathOnly(place.path);
  if (rules.ignore(place.host, place.port, path)) return undefined;
  return {
    service: serviceName(rules.services, place.host, place.port),
    endpoint: rules.endpoint(place.host, place.port, path) ?? withoutPathCredentials(place.host, path),
    method: typeof method === 'string' ? method : 'GET',
  };
}

/**
 * A request to a forward proxy names its target in absolute form (`GET http://api.stripe.com/v1/charges`):
 * axios and other `node:http` clients send calls through an `HTTP(S)_PROXY` so, and undici's
 * ProxyAgent without a tunnel. The call is to that target; the connection's host is the proxy.
 */
function absoluteTarget(path: unknown): CallPlace | undefined {
  if (typeof path !== 'string' || !/^https?:\/\//i.test(path)) return undefined;
  try {
    const url = new URL(path);
    return { host: unbracket(url.hostname), port: url.port || undefined, path: url.pathname + url.search };
  } catch {
    return undefined;
  }
}

/** `/v1/charges?customer=cus_1` → `/v1/charges`: query strings carry ids and tokens. */
export function pathOnly(path: unknown): string {
  if (typeof path !== 'string' || path === '') return '/';
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end) || '/';
}

/**
 * A proxy's `CONNECT` (undici's ProxyAgent and EnvHttpProxyAgent, tunnelling agents on node:http)
 * only opens the way: the request sent through the tunnel is published on its own, and counting
 * both would record each proxied call twice.
 */
function isTunnel(method: unknown): boolean {
  return typeof method === 'string' && method.toUpperCase() === 'CONNECT';
}

/** An explicit port in a Host header (`example.com:8443`, `[::1]:3000`); none when it is the default. */
function portOf(hostHeader: unknown): string | undefined {
  if (typeof hostHeader !== 'string') return undefined;
  const match = /:(\d{1,5})$/.exec(hostHeader);
  return match && !hostHeader.endsWith(']') ? match[1] : undefined;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
