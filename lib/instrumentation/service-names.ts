/**
 * The `service` of an External API Call: a configured name for the host, else the host itself.
 * Lookups run on every outbound request, so the map is split once into exact and suffix tables.
 */
export interface ServiceNameMap {
  /** `host` and `host:port` keys, lower-cased. */
  readonly exact: ReadonlyMap<string, string>;
  /** From `*.stripe.com` keys: suffix `.stripe.com`, longest first. */
  readonly suffixes: ReadonlyArray<SuffixRule>;
}

interface SuffixRule {
  readonly suffix: string;
  readonly port?: string;
  readonly name: string;
}

export function serviceNameMap(services: Readonly<Record<string, string>>): ServiceNameMap {
  const exact = new Map<string, string>();
  const suffixes: SuffixRule[] = [];
  for (const [host, name] of Object.entries(services)) {
    const key = host.toLowerCase();
    if (!key.startsWith('*.')) {
      exact.set(key, name);
      continue;
    }
    const [suffix, port] = key.slice(1).split(':');
    suffixes.push(port === undefined ? { suffix, name } : { suffix, port, name });
  }
  suffixes.sort((a, b) => b.suffix.length - a.suffix.length);
  return { exact, suffixes };
}

/** `hostname` without port; `port` when the URL names one. A `host:port` key wins over a `host` key. */
export function serviceName(map: ServiceNameMap, hostname: string, port?: string): string {
  const host = hostname.toLowerCase();
  if (port) {
    const withPort = map.exact.get(`${host}:${port}`);
    if (withPort !== undefined) return withPort;
  }
  const named = map.exact.get(host);
  if (named !== undefined) return named;
  for (const rule of map.suffixes) {
    if (host.endsWith(rule.suffix) && (rule.port === undefined || rule.port === port)) return rule.name;
  }
  return host;
}
