import { describeValue } from '../options/describe-value.js';
import { escapeRegExp } from '../options/escape-reg-exp.js';

/**
 * `api.exclude`: compiled once at bootstrap into one predicate over request paths. A string
 * pattern is a path where a final `*` matches any rest (also across `/`) and a `:name` segment
 * matches one non-empty segment; everything else is literal. Both sides are compared without query
 * string and trailing slash, so `'/health'` also matches `/health/` and `/health?full=1`.
 * Wildcards are allowed only where they cannot overlap (one at the end, parameters as whole
 * segments): the compiled expression then never backtracks, whatever path a client sends.
 */
export type PathPredicate = (path: string) => boolean;

const NEVER: PathPredicate = () => false;
const PARAM_SEGMENT = /^:[A-Za-z_][A-Za-z0-9_]*$/;

/** Returns the predicate, or the problems with the patterns (each naming its index). */
export function compilePathPatterns(patterns: unknown, optionName: string): { matches: PathPredicate; problems: string[] } {
  if (patterns === undefined || patterns === null) return { matches: NEVER, problems: [] };
  if (!Array.isArray(patterns)) {
    return { matches: NEVER, problems: [`${optionName}: expected an array of path patterns ('/health', '/internal/*') or RegExps, got ${typeof patterns}`] };
  }
  const problems: string[] = [];
  const regexps: RegExp[] = [];
  patterns.forEach((pattern: unknown, i) => {
    if (pattern instanceof RegExp) {
      // A global or sticky RegExp keeps lastIndex between test() calls; a stateless copy cannot.
      regexps.push(new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')));
    } else if (typeof pattern === 'string' && pattern.startsWith('/')) {
      const compiled = pathPatternRegExp(pattern);
      if (compiled instanceof RegExp) regexps.push(compiled);
      else problems.push(`${optionName}[${i}]: got ${describeValue(pattern)}, ${compiled}`);
    } else {
      problems.push(`${optionName}[${i}]: got ${describeValue(pattern, 'type')}, expected a path starting with '/' (e.g. '/health' or '/internal/*') or a RegExp`);
    }
  });
  if (regexps.length === 0) return { matches: NEVER, problems };
  return {
    problems,
    matches: (path) => {
      const normalised = normalisePath(path);
      for (const regexp of regexps) if (regexp.test(normalised)) return true;
      return false;
    },
  };
}

/** The path without query string, fragment and trailing slash (`/` stays `/`). */
export function normalisePath(path: string): string {
  const end = path.search(/[?#]/);
  let out = end === -1 ? path : path.slice(0, end);
  while (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return out;
}

/** The RegExp a normalised path is tested with, or why the pattern is refused. */
export function pathPatternRegExp(pattern: string): RegExp | string {
  const path = normalisePath(pattern);
  const rest = path.endsWith('*');
  const body = rest ? path.slice(0, -1) : path;
  if (body.includes('*')) return `expected '*' only at the end of the pattern (e.g. '/internal/*')`;
  const segments = body.split('/').map((segment) => {
    if (!segment.includes(':')) return escapeRegExp(segment);
    return PARAM_SEGMENT.test(segment) ? '[^/]+' : undefined;
  });
  if (segments.includes(undefined)) return `expected each ':name' to be a whole segment (e.g. '/users/:id/avatar')`;
  // Case-insensitive, as Express routes: `/HEALTH` reaches the same handler as `/health`.
  return new RegExp(`^${segments.join('/')}${rest ? '.*' : ''}$`, 'i');
}
