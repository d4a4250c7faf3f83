import { escapeRegExp } from '../options/escape-reg-exp.js';

/** Whether a statement is on the `ignore` list; see `DatabaseOptions.ignore` for the matching rules. */
export type QueryMatcher = (sql: string) => boolean;

const NEVER: QueryMatcher = () => false;

/**
 * Runs on every query, so strings are compiled once into case-insensitive patterns where any run
 * of whitespace matches any other: the SQL is tested as it is, never copied or normalised.
 */
export function queryMatcher(patterns: ReadonlyArray<string | RegExp>): QueryMatcher {
  if (patterns.length === 0) return NEVER;
  const compiled = patterns.map((p) =>
    typeof p === 'string'
      ? new RegExp(p.trim().split(/\s+/).map(escapeRegExp).join('\\s+'), 'i')
      : // A /g or /y pattern keeps lastIndex between test() calls and would skip every other match.
        p.global || p.sticky
        ? new RegExp(p.source, p.flags.replace(/[gy]/g, ''))
        : p,
  );
  return (sql) => compiled.some((r) => r.test(sql));
}
