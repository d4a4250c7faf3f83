import { OptionReader } from '../options/option-reader.js';
import { compileOutboundEndpoints, type OutboundEndpoint } from './outbound-endpoints.js';
import { compileOutboundIgnore, type OutboundIgnore } from './outbound-ignore.js';
import { type ServiceNameMap, serviceNameMap } from './service-names.js';

/** `outboundHttp`: `External API Call` events for requests the application makes. */
export interface OutboundHttpOptions {
  /**
   * Track calls made with the global `fetch`, undici and `node:http`/`https` clients, and on Node
   * 22.17+/24.2+ `node:http2` ones (gRPC clients included). Default false.
   */
  enabled?: boolean | string;
  /**
   * Service names by host: `{ 'api.stripe.com': 'stripe', '*.sendgrid.net': 'sendgrid',
   * 'localhost:4000': 'inventory' }`. A key with a port matches that port only; `*.` matches any
   * subdomain; an IPv6 address goes in brackets (`'[fd00::1]:8080'`). Hosts not listed are reported
   * as the host name itself. Default {}.
   */
  services?: Record<string, string>;
  /**
   * Calls never recorded, neither as `External API Call` nor as `Backend Error`: telemetry
   * exporters, cloud metadata endpoints, the app's own health pings. A string is a host as in
   * `services` (`'169.254.169.254'`, `'*.ingest.sentry.io'`, `'localhost:4318'`, or `'[fd00:ec2::254]'`),
   * optionally followed by a path pattern as in `api.exclude` (`'localhost:4318/v1/*'`), or a path
   * pattern alone for every host (`'/health'`); a RegExp is tested
   * against `host[:port]/path` without the query string (`metadata.google.internal/computeMetadata/v1/`).
   * Default [] (nothing ignored).
   */
  ignore?: ReadonlyArray<string | RegExp>;
  /**
   * Endpoint templates: a call whose path matches one is recorded with the template as its
   * `endpoint` instead of its concrete path, so ids do not make a row each:
   * `['api.github.com/repos/:owner/:repo/issues/:number', '/v1/customers/:id']` (a pattern
   * without host applies to every host; the first match wins). Default [] (concrete paths).
   */
  endpoints?: readonly string[];
}

export interface ResolvedOutboundHttpOptions {
  enabled: boolean;
  services: ServiceNameMap;
  ignore: OutboundIgnore;
  endpoint: OutboundEndpoint;
}

/** Throws `AnalyticsConfigError` naming every bad field. */
export function resolveOutboundHttpOptions(raw: unknown): ResolvedOutboundHttpOptions {
  const read = new OptionReader('outboundHttp');
  const o = read.object(raw, ['enabled', 'services', 'ignore', 'endpoints']);
  const enabled = read.bool('enabled', o.enabled, false);
  const services: Record<string, string> = {};
  if (o.services !== undefined && o.services !== null) {
    if (typeof o.services !== 'object' || Array.isArray(o.services)) {
      read.problem('services', o.services, `an object of host → service name, e.g. { 'api.stripe.com': 'stripe' }`);
    } else {
      for (const [host, name] of Object.entries(o.services)) {
        if (typeof name !== 'string' || name.trim() === '') read.problem(`services[${JSON.stringify(host)}]`, name, 'a non-empty service name');
        else services[host] = name;
      }
    }
  }
  const serviceNames = serviceNameMap(services, (host) =>
    read.problem('services', host, `host keys such as 'api.stripe.com', '*.stripe.com', 'localhost:4000' or '[fd00::1]:8080'`),
  );
  const ignore = compileOutboundIgnore(o.ignore, 'outboundHttp.ignore');
  const endpoints = compileOutboundEndpoints(o.endpoints, 'outboundHttp.endpoints');
  read.problems.push(...ignore.problems, ...endpoints.problems);
  read.throwIfAny();
  return { enabled, services: serviceNames, ignore: ignore.matches, endpoint: endpoints.template };
}
