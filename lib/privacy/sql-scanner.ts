import {
  blockCommentEnd,
  bracketIdentEnd,
  digitsEnd,
  identEnd,
  isDigit,
  isIdentPart,
  isIdentStart,
  numberEnd,
  quotedEnd,
  stringEnd,
} from './sql-lexemes.js';

/**
 * A single-pass SQL tokenizer shared by the fingerprint and the classifier. It does not parse: it
 * only needs to know, for every character, whether it belongs to a comment, a literal, a
 * placeholder, an identifier, a keyword or an operator, across the dialects this library meets
 * (PostgreSQL, MySQL/MariaDB, SQLite, SQL Server). Every construct is consumed with a forward scan
 * or an indexOf, so the cost is linear in the input and no input can make it backtrack. Literals
 * and placeholders come out as one `value` token whose text is `?`: no literal text survives.
 */
export type SqlTokenKind = 'keyword' | 'ident' | 'quoted' | 'value' | 'op' | 'punct';

export interface SqlToken {
  readonly kind: SqlTokenKind;
  /** Keywords upper-cased, identifiers and quoted identifiers as written, values `?`. */
  readonly text: string;
}

/** Input past this many characters is not read (a literal cut in half still becomes `?`). */
export const MAX_SQL_INPUT = 65_536;

/** Words upper-cased in fingerprints. Function names are not keywords: they keep their case. */
export const SQL_KEYWORDS: ReadonlySet<string> = new Set(
  ('SELECT FROM WHERE AND OR NOT IN IS NULL TRUE FALSE LIKE ILIKE SIMILAR BETWEEN EXISTS ANY SOME ALL ' +
    'DISTINCT AS ON USING JOIN INNER LEFT RIGHT FULL OUTER CROSS NATURAL LATERAL GROUP BY ORDER HAVING ' +
    'LIMIT OFFSET FETCH FIRST NEXT ROWS ROW ONLY UNION EXCEPT INTERSECT CASE WHEN THEN ELSE END ASC DESC ' +
    'NULLS INSERT INTO VALUES DEFAULT UPDATE SET DELETE RETURNING CONFLICT DO NOTHING DUPLICATE KEY WITH ' +
    'RECURSIVE MATERIALIZED CREATE ALTER DROP TRUNCATE TABLE INDEX VIEW SEQUENCE SCHEMA DATABASE IF ' +
    'PRIMARY FOREIGN REFERENCES CONSTRAINT UNIQUE CHECK ADD COLUMN RENAME TO CASCADE RESTRICT TEMP ' +
    'TEMPORARY UNLOGGED BEGIN COMMIT ROLLBACK SAVEPOINT RELEASE TRANSACTION START WORK SHOW PRAGMA CALL ' +
    'EXPLAIN ANALYZE VERBOSE MERGE MATCHED REPLACE IGNORE FOR SHARE NOWAIT SKIP LOCKED OVER PARTITION ' +
    'WINDOW FILTER WITHIN ESCAPE INTERVAL ARRAY COLLATE').split(' '),
);

/** Keywords that stand for a value, so a following `-` is binary and `:x` is not a placeholder. */
const VALUE_KEYWORDS: ReadonlySet<string> = new Set(['NULL', 'TRUE', 'FALSE', 'END']);
/** Characters of PostgreSQL-style operators (`?` is a placeholder and handled apart). */
const OPERATOR_CHARS = '+-*/<>=~!@#%^&|';
/** An operator may end in + or - only if it contains one of these (PostgreSQL's rule): `=-1` is `=` `-1`. */
const OPERATOR_SIGN_KEEPERS = /[~!@#%^&|`?]/;
/** Quoted "identifiers" longer than any real identifier are MySQL double-quoted strings. */
const MAX_QUOTED_IDENT = 128;
const STRING_PREFIXES = 'EeNnBbXx';
const COMPARISONS = new Set(['=', '==', '<>', '!=', '<', '>', '<=', '>=']);

const VALUE: SqlToken = Object.freeze({ kind: 'value', text: '?' });

export function scanSql(sql: string): SqlToken[] {
  const src = sql.length > MAX_SQL_INPUT ? sql.slice(0, MAX_SQL_INPUT) : sql;
  const n = src.length;
  const out: SqlToken[] = [];
  let i = 0;
  while (i < n) {
    const c = src[i];
    const next = src[i + 1];
    if (c <= ' ' || c === '\u00a0' || c === '\ufeff') {
      i++;
    } else if (c === '-' && next === '-') {
      const end = src.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      i = blockCommentEnd(src, i);
    } else if (c === "'") {
      i = stringEnd(src, i);
      pushValue(out);
    } else if (c === '"' || c === '`') {
      const end = quotedEnd(src, i, c);
      if (end < 0 || end - i - 2 > MAX_QUOTED_IDENT || (c === '"' && (comparedValue(src, end, out) || unlikelyName(src, i, end, out)))) {
        pushValue(out);
        i = end < 0 ? n : end;
      } else {
        out.push({ kind: 'quoted', text: src.slice(i, end) });
        i = end;
      }
    } else if (c === '[') {
      const end = valueLike(out[out.length - 1]) ? -1 : bracketIdentEnd(src, i);
      out.push(end < 0 ? { kind: 'punct', text: '[' } : { kind: 'quoted', text: src.slice(i, end) });
      i = end < 0 ? i + 1 : end;
    } else if (isDigit(c) || (c === '.' && isDigit(next))) {
      i = numberEnd(src, i);
      pushValue(out);
    } else if (c === '$') {
      i = dollar(src, i, out);
    } else if (isIdentStart(c)) {
      i = word(src, i, out);
    } else if (c === '?') {
      if (next === '|' || next === '&') {
        out.push({ kind: 'op', text: src.slice(i, i + 2) });
        i += 2;
      } else {
        i = digitsEnd(src, i + 1);
        pushValue(out);
      }
    } else if (c === ':') {
      i = colon(src, i, out);
    } else if (c === '@' && next === '@') {
      const end = identEnd(src, i + 2);
      out.push({ kind: 'ident', text: src.slice(i, end) });
      i = end;
    } else if (c === '@' && next !== undefined && isIdentStart(next) && !valueLike(out[out.length - 1])) {
      i = identEnd(src, i + 1);
      pushValue(out);
    } else if (OPERATOR_CHARS.includes(c)) {
      i = operator(src, i, out);
    } else {
      out.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return out;
}

/** Whether a token ends an operand, so what follows is an operator rather than a new value. */
export function valueLike(token: SqlToken | undefined): boolean {
  if (token === undefined) return false;
  switch (token.kind) {
    case 'ident':
    case 'quoted':
    case 'value':
      return true;
    case 'keyword':
      return VALUE_KEYWORDS.has(token.text);
    default:
      return token.text === ')' || token.text === ']';
  }
}

/** What a double-quoted identifier looks like in practice (ORMs quote every name this way). */
const IDENTIFIER_LIKE = /^[A-Za-z_][A-Za-z0-9_$]*$/;
/** Keywords after which an operand, not a name, is expected. */
const OPERAND_KEYWORDS: ReadonlySet<string> = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'VALUES', 'WHEN', 'THEN', 'ELSE', 'LIKE', 'ILIKE', 'IS']);

/**
 * MySQL reads `"..."` as a string. In an operand position (an argument `MD5("…")`, a list
 * `("Jane", "4321")`, `BETWEEN "1111" AND …`) one that could not be a name (`"Tr0ub4dor&3"`,
 * `"4321"`, `"Jane Doe"`) is taken for a value: at worst a name with a space or a dash is lost
 * from the fingerprint, never a literal kept. After `FROM`, `AS`, a dot or at the start, a quoted
 * token stays a name whatever it holds.
 */
function unlikelyName(src: string, start: number, end: number, out: readonly SqlToken[]): boolean {
  const prev = out[out.length - 1];
  const operandPosition =
    prev !== undefined && (prev.kind === 'op' || (prev.kind === 'punct' && (prev.text === '(' || prev.text === ',')) || (prev.kind === 'keyword' && OPERAND_KEYWORDS.has(prev.text)));
  if (!operandPosition || src[end] === '.') return false;
  return !IDENTIFIER_LIKE.test(src.slice(start + 1, end - 1));
}

/**
 * MySQL reads `"..."` as a string. A double-quoted token compared with something (`name = "bob"`)
 * is taken for one unless it is qualified (`= "user"."id"`, as ORMs write joins): in an identifier
 * position that costs a column name, in a value position it saves a literal.
 */
function comparedValue(src: string, end: number, out: readonly SqlToken[]): boolean {
  const prev = out[out.length - 1];
  if (prev === undefined || !(prev.kind === 'op' ? COMPARISONS.has(prev.text) : prev.text === 'LIKE' || prev.text === 'ILIKE')) {
    return false;
  }
  let i = end;
  while (i < src.length && src[i] <= ' ') i++;
  return src[i] !== '.';
}

/** A sign directly before a value, where no operand precedes it, is part of the value: `= -5` is `= ?`. */
function pushValue(out: SqlToken[]): void {
  const last = out[out.length - 1];
  if (last !== undefined && last.kind === 'op' && (last.text === '-' || last.text === '+') && !valueLike(out[out.length - 2])) {
    out.pop();
  }
  out.push(VALUE);
}

/** `$1` placeholders, `$$...$$` and `$tag$...$tag$` strings; an unterminated string runs to the end. */
function dollar(src: string, from: number, out: SqlToken[]): number {
  const next = src[from + 1];
  if (isDigit(next)) {
    pushValue(out);
    return digitsEnd(src, from + 1);
  }
  let tagEnd = from + 1;
  if (next !== undefined && isIdentStart(next)) {
    while (isIdentPart(src[tagEnd]) && src[tagEnd] !== '$') tagEnd++;
  }
  if (src[tagEnd] !== '$') {
    if (tagEnd === from + 1) {
      out.push({ kind: 'punct', text: '$' });
      return from + 1;
    }
    pushValue(out);
    return tagEnd;
  }
  const delimiter = src.slice(from, tagEnd + 1);
  const close = src.indexOf(delimiter, tagEnd + 1);
  pushValue(out);
  return close < 0 ? src.length : close + delimiter.length;
}

/** Identifiers and keywords; `E'..'`, `N'..'`, `X'..'`, `B'..'`, `U&'..'` and `_utf8'..'` are literals. */
function word(src: string, from: number, out: SqlToken[]): number {
  const end = identEnd(src, from);
  const text = src.slice(from, end);
  if (src[end] === "'" && ((end - from === 1 && STRING_PREFIXES.includes(text)) || text[0] === '_')) {
    pushValue(out);
    return stringEnd(src, end);
  }
  if ((text === 'U' || text === 'u') && src[end] === '&' && src[end + 1] === "'") {
    pushValue(out);
    return stringEnd(src, end + 1);
  }
  const upper = text.toUpperCase();
  out.push(SQL_KEYWORDS.has(upper) ? { kind: 'keyword', text: upper } : { kind: 'ident', text });
  return end;
}

/** `::` casts, `:=`, and `:name` / `:1` placeholders, except after an operand (`a[1:2]`). */
function colon(src: string, from: number, out: SqlToken[]): number {
  const next = src[from + 1];
  if (next === ':' || next === '=') {
    out.push({ kind: 'op', text: `:${next}` });
    return from + 2;
  }
  if (next !== undefined && (isIdentStart(next) || isDigit(next)) && !valueLike(out[out.length - 1])) {
    pushValue(out);
    return identEnd(src, from + 1);
  }
  out.push({ kind: 'punct', text: ':' });
  return from + 1;
}

/** A run of operator characters, stopping before a comment and shedding trailing signs as PostgreSQL does. */
function operator(src: string, from: number, out: SqlToken[]): number {
  let end = from;
  while (end < src.length && OPERATOR_CHARS.includes(src[end])) {
    if (end > from && ((src[end] === '-' && src[end + 1] === '-') || (src[end] === '/' && src[end + 1] === '*'))) break;
    end++;
  }
  let text = src.slice(from, end);
  while (text.length > 1 && (text.endsWith('+') || text.endsWith('-')) && !OPERATOR_SIGN_KEEPERS.test(text)) {
    text = text.slice(0, -1);
  }
  out.push({ kind: 'op', text });
  return from + text.length;
}
