import { type CallPattern, callMatches, parseCallPattern } from './call-patterns.js';

/**
 * The `service` of an External API Call: a configured name for the host, else the host itself.
 * Lookups run on every outbound request, so the map is split once into exact and suffix tables.
 */
export interface ServiceNameMap {
  /** By lower-cased host (an IPv6 address without brackets). */
  readonly hosts: ReadonlyMap<string, string>;
  /** By `host port`, for keys that name a port. */
  readonly hostPorts: ReadonlyMap<string, string>;
  /** From `*.stripe.com` keys, the longest suffix first. */
  readonly suffixes: ReadonlyArray<SuffixRule>;
}

interface SuffixRule {
  /** A `*.suffix` key, with its port if it names one. */
  readonly pattern: CallPattern;
  readonly name: string;
}

/**
 * `services` as lookup tables. A key that is not a host (`api.stripe.com`, `*.stripe.com`,
 * `localhost:4000`, `[fd00::1]:8080`) is left out and handed to `refused`.
 */
export function serviceNameMap(services: Readonly<Record<string, string>>, refused: (key: string) => void = () => undefined): ServiceNameMap {
  const hosts = new Map<string, string>();
  const hostPorts = new Map<string, string>();
  const suffixes: SuffixRule[] = [];
  for (const [key, name] of Object.entries(services)) {
    const pattern = parseCallPattern(key);
    if (typeof pattern === 'string' || pattern.host === undefined || pattern.path !== undefined) {
      refused(key);
      continue;
    }
    const { host, port } = pattern;
    if (pattern.suffix) suffixes.push({ pattern, name });
    else if (port === undefined) hosts.set(host, name);
    else hostPorts.set(`${host} ${port}`, name);
  }
  suffixes.sort((a, b) => b.pattern.host!.length - a.pattern.host!.length);
  return { hosts, hostPorts, suffixes };
}

/** `hostname` without port; `port` when the URL names one. A `host:port` key wins over a `host` key. */
export function serviceName(map: ServiceNameMap, hostname: string, port?: string): string {
  const host = hostname.toLowerCase();
  if (port) {
    const withPort = map.hostPorts.get(`${host} ${port}`);
    if (withPort !== undefined) return withPort;
  }
  const named = map.hosts.get(host);
  if (named !== undefined) return named;
  for (const rule of map.suffixes) {
    if (callMatches(rule.pattern, host, port, '/')) return rule.name;
  }
  return host;
}
