import { normalisePath, pathPatternRegExp } from '../http/path-patterns.js';
import { describeValue } from '../options/describe-value.js';

/**
 * An outbound call pattern, as `outboundHttp.ignore` and `outboundHttp.endpoints` take them: a
 * host (`api.example.com`, `*.example.com` for its subdomains as in `services`, `[IPv6]`) with an
 * optional `:port`, then an optional path pattern as `api.exclude` has them (`/v1/*`,
 * `/users/:id`); or, with no host, a path pattern alone for calls to any host.
 */
export interface CallPattern {
  /** Lower-cased; `.suffix` for `*.suffix`; undefined for any host. */
  host?: string;
  suffix: boolean;
  /** Only URLs that name this port match; a pattern without one matches any port. */
  port?: string;
  /** Tested against the normalised path; undefined for any path. */
  path?: RegExp;
  /** The path pattern as written, normalised (`/repos/:owner/:repo`). */
  template?: string;
}

const CALL_PATTERN = /^(?:(?:(\*\.)?([a-z0-9.-]+)|\[([0-9a-f:.]+)\])(?::(\d{1,5}))?)?(\/.*)?$/i;

export const CALL_PATTERN_EXAMPLES = `'api.example.com', '*.sentry.io', 'localhost:4318/v1/*', '/health'`;

/** The pattern, or why `text` is refused (after `got <text>, `). */
export function parseCallPattern(text: unknown): CallPattern | string {
  const parts = typeof text === 'string' ? CALL_PATTERN.exec(text.trim()) : null;
  if (!parts || (parts[2] === undefined && parts[3] === undefined && parts[5] === undefined)) {
    return `expected a host with an optional port and path, or a path (${CALL_PATTERN_EXAMPLES})`;
  }
  const [, wildcard, name, ipv6, port, path] = parts;
  const address = ipv6 === undefined ? undefined : canonicalIpv6(ipv6);
  if (address === null) return `expected a valid IPv6 address in brackets (e.g. '[fd00::1]:8080')`;
  const host = wildcard ? `.${name}` : (name ?? address);
  const pattern: CallPattern = { host: host?.toLowerCase(), suffix: wildcard !== undefined, port };
  if (path !== undefined) {
    const compiled = pathPatternRegExp(path);
    if (typeof compiled === 'string') return compiled;
    pattern.path = compiled;
    pattern.template = normalisePath(path);
  }
  return pattern;
}

/** As a URL's `hostname` gives it (`FD00:0::1` → `fd00::1`, so the two compare equal), without brackets; null when it is none. */
function canonicalIpv6(address: string): string | null {
  try {
    return new URL(`http://[${address}]`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

/** `host` lower-cased, an IPv6 address without brackets; `port` when the URL names one; `path` without query. */
export function callMatches(pattern: CallPattern, host: string, port: string | undefined, path: string): boolean {
  if (pattern.port !== undefined && pattern.port !== port) return false;
  if (pattern.host !== undefined && (pattern.suffix ? !host.endsWith(pattern.host) : host !== pattern.host)) return false;
  return !pattern.path || pattern.path.test(normalisePath(path));
}

/** What a RegExp pattern is tested against: `host[:port]/path`, an IPv6 host in brackets. */
export function callSubject(host: string, port: string | undefined, path: string): string {
  return `${host.includes(':') ? `[${host}]` : host}${port ? `:${port}` : ''}${path}`;
}

/** `optionName[i]: got <value>, <why>`. */
export function patternProblem(option: string, value: unknown, why: string): string {
  return `${option}: got ${describeValue(value)}, ${why}`;
}
