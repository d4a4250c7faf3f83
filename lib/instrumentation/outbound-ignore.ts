import { describeValue } from '../options/describe-value.js';
import { CALL_PATTERN_EXAMPLES, type CallPattern, callMatches, callSubject, parseCallPattern, patternProblem } from './call-patterns.js';

/**
 * `outboundHttp.ignore`: whether a call is never recorded, asked with its host (lower-cased, an
 * IPv6 address without brackets), its port when the URL names one, and its path without query
 * string. Asked on every outbound request, so the patterns are compiled once.
 */
export type OutboundIgnore = (host: string, port: string | undefined, path: string) => boolean;

const NEVER: OutboundIgnore = () => false;

/** The predicate, or the problems with the patterns (each naming its index). */
export function compileOutboundIgnore(patterns: unknown, optionName: string): { matches: OutboundIgnore; problems: string[] } {
  if (patterns === undefined || patterns === null) return { matches: NEVER, problems: [] };
  if (!Array.isArray(patterns)) {
    return { matches: NEVER, problems: [`${optionName}: got ${describeValue(patterns, 'type')}, expected an array of call patterns (${CALL_PATTERN_EXAMPLES}) or RegExps`] };
  }
  const problems: string[] = [];
  const rules: CallPattern[] = [];
  const regexps: RegExp[] = [];
  patterns.forEach((pattern: unknown, i) => {
    if (pattern instanceof RegExp) {
      // A global or sticky RegExp keeps lastIndex between test() calls; a stateless copy cannot.
      regexps.push(new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')));
      return;
    }
    const parsed = parseCallPattern(pattern);
    if (typeof parsed === 'string') problems.push(patternProblem(`${optionName}[${i}]`, pattern, `${parsed} or a RegExp`));
    else rules.push(parsed);
  });
  if (rules.length === 0 && regexps.length === 0) return { matches: NEVER, problems };
  return {
    problems,
    matches: (host, port, path) => {
      const name = host.toLowerCase();
      if (rules.some((rule) => callMatches(rule, name, port, path))) return true;
      if (regexps.length === 0) return false;
      const subject = callSubject(name, port, path);
      return regexps.some((regexp) => regexp.test(subject));
    },
  };
}
