import { type LexRules, type SqlDialect, readingsOf } from './sql-dialect.js';
import { MAX_SQL_INPUT, scanSql } from './sql-scanner.js';
import type { ScannedToken } from './sql-tokens.js';

/**
 * The tokens of `sql` under every reading of `dialect` (sql-dialect.ts). Where the readings
 * disagree (`'C:\'` closes in PostgreSQL and not in MySQL; `#` opens a comment in MySQL only), the
 * disputed stretch becomes a single `?`, and tokens are kept again from the first one on which all
 * readings agree in position, kind and text. A kept token is therefore code under every reading,
 * so no reading's literal can come out as a word. Linear: each distinct reading is scanned once
 * and the merge only moves forward.
 */
export function readSql(sql: string, dialect: SqlDialect): ScannedToken[] {
  const src = sql.length > MAX_SQL_INPUT ? sql.slice(0, MAX_SQL_INPUT) : sql;
  const readings = distinct(readingsOf(dialect), src).map((rules) => scanSql(src, rules));
  return readings.length === 1 ? readings[0] : agreed(readings);
}

/**
 * The readings that can differ on `src`: a rule whose trigger does not occur in it (a backslash,
 * `"`, `#`, `--`, a `\r` after `--`, `/*`) reads it like any other, so most statements need one
 * scan whatever the dialect.
 */
function distinct(readings: readonly LexRules[], src: string): LexRules[] {
  const backslash = src.includes('\\');
  const quote = src.includes('"');
  const hash = src.includes('#');
  const dashes = src.includes('--');
  const cr = dashes && src.includes('\r');
  const block = src.includes('/*');
  const seen = new Map<string, LexRules>();
  for (const rules of readings) {
    const effective: LexRules = {
      backslash: backslash ? rules.backslash : 'none',
      doubleQuotes: quote ? rules.doubleQuotes : 'name',
      hashComments: hash && rules.hashComments,
      dashCommentNeedsSpace: dashes && rules.dashCommentNeedsSpace,
      dashCommentEndsAtCr: cr && rules.dashCommentEndsAtCr,
      nestedComments: block && rules.nestedComments,
    };
    seen.set(Object.values(effective).join(), effective);
  }
  return [...seen.values()];
}

function agreed(readings: readonly ScannedToken[][]): ScannedToken[] {
  const out: ScannedToken[] = [];
  const at = readings.map(() => 0);
  let disputed = false;
  for (;;) {
    const heads = readings.map((tokens, k) => tokens[at[k]]);
    const ended = heads.filter((head) => head === undefined).length;
    if (ended === heads.length) return out;
    const first = heads[0];
    if (ended === 0 && heads.every((head) => same(head!, first!))) {
      out.push(first!);
      at.forEach((_, k) => at[k]++);
      disputed = false;
      continue;
    }
    if (!disputed) {
      const from = Math.min(...heads.map((head) => head?.start ?? Infinity));
      out.push({ kind: 'value', text: '?', start: from, end: from });
      disputed = true;
    }
    // A reading that ended has the rest of the input in one literal or comment: nothing after can be agreed.
    if (ended > 0) return out;
    const front = Math.max(...heads.map((head) => head!.start));
    const aligned = heads.every((head) => head!.start === front);
    heads.forEach((head, k) => {
      if (aligned || head!.start < front) at[k]++;
    });
  }
}

function same(a: ScannedToken, b: ScannedToken): boolean {
  return a.start === b.start && a.end === b.end && a.kind === b.kind && a.text === b.text;
}
