import { normalisePath, pathPatternRegExp } from '../http/path-patterns.js';
import { describeValue } from '../options/describe-value.js';

/**
 * `outboundHttp.ignore`: whether a call is never recorded, asked with its host (lower-cased, an
 * IPv6 address without brackets), its port when the URL names one, and its path without query
 * string. Asked on every outbound request, so the patterns are compiled once.
 */
export type OutboundIgnore = (host: string, port: string | undefined, path: string) => boolean;

const NEVER: OutboundIgnore = () => false;

/**
 * `host`, `*.suffix` or `[IPv6]`, each with an optional `:port`, then optionally a path pattern as
 * `api.exclude` has them.
 */
const HOST_PATTERN = /^(?:(\*\.)?([a-z0-9.-]+)|\[([0-9a-f:.]+)\])(?::(\d{1,5}))?(\/.*)?$/i;

interface HostRule {
  /** The whole host, or `.suffix` for a `*.suffix` pattern (subdomains only, as in `services`). */
  host: string;
  suffix: boolean;
  port?: string;
  /** Tested against the normalised path, as `api.exclude` patterns are. */
  path?: RegExp;
}

/** The predicate, or the problems with the patterns (each naming its index). */
export function compileOutboundIgnore(patterns: unknown, optionName: string): { matches: OutboundIgnore; problems: string[] } {
  if (patterns === undefined || patterns === null) return { matches: NEVER, problems: [] };
  if (!Array.isArray(patterns)) {
    return { matches: NEVER, problems: [`${optionName}: got ${describeValue(patterns, 'type')}, expected an array of hosts ('169.254.169.254', '*.sentry.io', 'localhost:4318/v1/*') or RegExps`] };
  }
  const problems: string[] = [];
  const rules: HostRule[] = [];
  const regexps: RegExp[] = [];
  patterns.forEach((pattern: unknown, i) => {
    const option = `${optionName}[${i}]`;
    if (pattern instanceof RegExp) {
      // A global or sticky RegExp keeps lastIndex between test() calls; a stateless copy cannot.
      regexps.push(new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')));
      return;
    }
    const parts = typeof pattern === 'string' ? HOST_PATTERN.exec(pattern.trim()) : null;
    if (!parts) {
      problems.push(`${option}: got ${describeValue(pattern)}, expected a host with an optional port and path ('api.example.com', '*.sentry.io', 'localhost:4318/v1/*') or a RegExp`);
      return;
    }
    const [, wildcard, name, ipv6, port, path] = parts;
    const host = wildcard ? `.${name}` : (name ?? ipv6);
    const rule: HostRule = { host: host.toLowerCase(), suffix: wildcard !== undefined, port };
    if (path !== undefined) {
      const compiled = pathPatternRegExp(path);
      if (typeof compiled === 'string') {
        problems.push(`${option}: got ${describeValue(pattern)}, ${compiled}`);
        return;
      }
      rule.path = compiled;
    }
    rules.push(rule);
  });
  if (rules.length === 0 && regexps.length === 0) return { matches: NEVER, problems };
  return {
    problems,
    matches: (host, port, path) => {
      const name = host.toLowerCase();
      for (const rule of rules) {
        if (rule.port !== undefined && rule.port !== port) continue;
        if (rule.suffix ? !name.endsWith(rule.host) : name !== rule.host) continue;
        if (!rule.path || rule.path.test(normalisePath(path))) return true;
      }
      if (regexps.length === 0) return false;
      const subject = `${name.includes(':') ? `[${name}]` : name}${port ? `:${port}` : ''}${path}`;
      return regexps.some((regexp) => regexp.test(subject));
    },
  };
}
