import type { SqlToken } from './sql-tokens.js';

/**
 * Whether a `"..."` token is a string, where the dialect may read it either way: SQLite reads a
 * name that matches no column as a string, SQL Server reads every one as a string under
 * QUOTED_IDENTIFIER OFF, and an unknown dialect may be MySQL. Taking a name for a value costs the
 * fingerprint that name; taking a value for a name ships the value, so every doubt is settled
 * towards the value.
 */
export interface DoubleQuoteContext {
  /** The token before the `"..."`. */
  readonly prev: SqlToken | undefined;
  /** Whether the innermost open parenthesis holds function arguments or `IN` items. */
  readonly inArguments: boolean;
  /** Whether `prev` is the AND of a `BETWEEN ... AND`. */
  readonly afterRangeAnd: boolean;
}

/** What a double-quoted identifier looks like in practice (ORMs quote every name this way). */
const IDENTIFIER_LIKE = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const COMPARISONS: ReadonlySet<string> = new Set(['=', '==', '<>', '!=', '<', '>', '<=', '>=', '<=>']);
/** Words whose right operand is a value: `x REGEXP "^a"`, `BETWEEN "1111"`, `THEN "yes"`. */
const VALUE_OPERATORS: ReadonlySet<string> = new Set(['LIKE', 'ILIKE', 'IS', 'REGEXP', 'RLIKE', 'GLOB', 'MATCH', 'BINARY', 'BETWEEN', 'THEN', 'ELSE']);
/** Keywords after which an operand, not a name, is expected. */
const OPERAND_KEYWORDS: ReadonlySet<string> = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'VALUES', 'WHEN', 'THEN', 'ELSE', 'LIKE', 'ILIKE', 'IS']);

/**
 * A qualified token (`"user"."id"`, as ORMs write joins) is always a name. Otherwise it is a value
 * - in a value position (compared, matched, a range bound, a CASE result, a function argument or
 *   an `IN` item), whatever it holds: `MD5("hunter2")`, `IF(a, "yes", "no")`, `a <=> "b"`;
 * - in another operand position (after an operator, a comma or an opening parenthesis) when it
 *   could not be a name: `("Jane Doe", "4321")`.
 * After `FROM`, `AS` or at the start of a statement it stays a name whatever it holds.
 */
export function guessedString(src: string, start: number, end: number, context: DoubleQuoteContext): boolean {
  if (qualified(src, end)) return false;
  const { prev } = context;
  if (prev === undefined) return false;
  if (context.afterRangeAnd || valuePosition(prev, context.inArguments)) return true;
  const operandPosition =
    prev.kind === 'op' || (prev.kind === 'punct' && (prev.text === '(' || prev.text === ',')) || (prev.kind === 'keyword' && OPERAND_KEYWORDS.has(prev.text));
  return operandPosition && !IDENTIFIER_LIKE.test(src.slice(start + 1, end - 1));
}

function valuePosition(prev: SqlToken, inArguments: boolean): boolean {
  switch (prev.kind) {
    case 'op':
      return COMPARISONS.has(prev.text);
    case 'keyword':
    case 'ident':
      return VALUE_OPERATORS.has(prev.text.toUpperCase());
    case 'punct':
      return inArguments && (prev.text === '(' || prev.text === ',');
    default:
      return false;
  }
}

function qualified(src: string, end: number): boolean {
  let i = end;
  while (i < src.length && src[i] <= ' ') i++;
  return src[i] === '.';
}
