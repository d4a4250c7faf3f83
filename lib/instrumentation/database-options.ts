import { describeValue } from '../options/describe-value.js';
import { OptionReader } from '../options/option-reader.js';
import type { SqlDialect } from '../privacy/sql-dialect.js';
import { type QueryMatcher, queryMatcher } from './query-matcher.js';

/**
 * `database`: how automatically timed queries (the TypeORM subscriber) are recorded. The TypeORM
 * module's own options, when given, override these field by field.
 */
export interface DatabaseOptions {
  /** Queries that take at least this long (ms) are always recorded, whatever `sampleRate`. Default 1000. */
  slowQueryMs?: number | string;
  /**
   * Share (0 to 1) of the other successful queries that is recorded; each recorded sampled event
   * carries `sample_rate` so counts can be scaled back. Failed queries are always recorded. Default 1.
   */
  sampleRate?: number | string;
  /**
   * Queries never recorded. A string ignores every statement that contains it (case-insensitive,
   * runs of whitespace read as one space), e.g. `'"migrations"'`; a RegExp is tested against the
   * SQL as TypeORM sent it, e.g. `/^SELECT 1$/i` for health checks. Default [] (nothing ignored).
   */
  ignore?: ReadonlyArray<string | RegExp>;
  /**
   * How the SQL given to `trackDbQuery`/`timeDbQuery` is read for its fingerprint (where a
   * literal or a comment ends). Default 'unknown': read under every dialect's rules, so a part
   * they disagree on becomes one `?`. A TypeORM DataSource's own type always decides for its queries.
   */
  dialect?: SqlDialect;
}

export interface ResolvedDatabaseOptions {
  slowQueryMs: number;
  sampleRate: number;
  ignore: QueryMatcher;
  dialect: SqlDialect;
}

const DIALECTS: readonly SqlDialect[] = ['mysql', 'postgres', 'sqlite', 'mssql', 'unknown'];

export const DEFAULT_SLOW_QUERY_MS = 1000;
const DATABASE_KEYS = ['slowQueryMs', 'sampleRate', 'ignore', 'dialect'];

/**
 * Validates `base` (the core's `database` group) with `override` (e.g. the TypeORM module's
 * options) on top. `group` names the option in messages. Throws `AnalyticsConfigError`.
 */
export function resolveDatabaseOptions(base: unknown, override?: unknown, group = 'database'): ResolvedDatabaseOptions {
  const read = new OptionReader(group);
  const merged = { ...new OptionReader('database', read.problems).object(base, DATABASE_KEYS), ...setFields(read.object(override, DATABASE_KEYS)) };
  const slowQueryMs = read.number('slowQueryMs', merged.slowQueryMs, DEFAULT_SLOW_QUERY_MS, { min: 0 });
  const sampleRate = read.number('sampleRate', merged.sampleRate, 1, { min: 0, max: 1 });
  const dialect = read.oneOf('dialect', merged.dialect, DIALECTS, 'unknown');
  const patterns: Array<string | RegExp> = [];
  const ignore = merged.ignore;
  if (ignore !== undefined && ignore !== null) {
    if (!Array.isArray(ignore)) read.problem('ignore', ignore, 'an array of strings and regular expressions');
    else {
      ignore.forEach((p: unknown, i) => {
        if ((typeof p === 'string' && p.trim() !== '') || p instanceof RegExp) patterns.push(p);
        else read.problem(`ignore[${i}]`, p, `a non-empty string or a RegExp (got ${describeValue(p)})`);
      });
    }
  }
  read.throwIfAny();
  return { slowQueryMs, sampleRate, ignore: queryMatcher(patterns), dialect };
}

/** An override's field left `undefined` (`{ sampleRate: config.get('X') }` with X unset) keeps the base value. */
function setFields(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
