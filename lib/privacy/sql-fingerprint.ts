import { type SqlClassification, classifyTokens } from './sql-classify.js';
import { maskCredentials } from './sql-credentials.js';
import type { SqlDialect } from './sql-dialect.js';
import { collapseLists, isPunct } from './sql-lists.js';
import { readSql } from './sql-readings.js';
import { MAX_SQL_INPUT } from './sql-scanner.js';
import type { SqlToken } from './sql-tokens.js';

export { classifySql, type SqlClassification } from './sql-classify.js';
export type { SqlDialect } from './sql-dialect.js';
export { MAX_SQL_INPUT } from './sql-scanner.js';

/**
 * `query_fingerprint`: the statement's shape with every literal and parameter replaced by `?`, so
 * it groups identical queries and carries no data. Conventions (all tested):
 * - string, numeric, dollar-quoted and prefixed (`E''`, `N''`, `X''`) literals, signed numbers and
 *   placeholders (`$1`, `?`, `:name`, `@p1`) become `?`; `NULL`, `TRUE`, `FALSE` stay as keywords;
 * - where a literal ends follows `dialect` (backslash escapes, `#` and `--` comments, nested
 *   comments, what `"..."` is: sql-dialect.ts); with 'unknown', a stretch the dialects read
 *   differently becomes one `?`;
 * - `IN (...)` of values (casts, signs, `NULL` and `DEFAULT` included) and every
 *   `VALUES (...), (...)` list collapse to `IN (?)` / `VALUES (?)`;
 * - comments go, whitespace is normalised to single spaces (none inside `a.b`, `f(x)`, `x::t`);
 * - keywords are upper-cased; identifiers, function names and quoted identifiers ("x", `x`, [x])
 *   are kept exactly as written, except a double-quoted token the dialect reads (or may read) as
 *   a string, and a credential (URL password, JWT, e-mail address) outside literals;
 * - only the first MAX_SQL_INPUT (64 KiB) characters are read, and the result is cut at a token
 *   boundary to MAX_FINGERPRINT_LENGTH (4 KiB) characters.
 * Never throws; anything but a string gives ''.
 */
export const MAX_FINGERPRINT_LENGTH = 4_096;

const VALUE: SqlToken = Object.freeze({ kind: 'value', text: '?' });
const NO_SPACE_BEFORE = new Set([',', ')', ']', ';', '.', '::', ':']);
const NO_SPACE_AFTER = new Set(['(', '[', '.', '::', ':']);

export function fingerprintSql(sql: string, dialect: SqlDialect = 'unknown'): string {
  if (typeof sql !== 'string' || sql === '') return '';
  return render(collapseLists(tokensOf(sql, dialect)));
}

export interface SqlDescription extends SqlClassification {
  fingerprint: string;
}

/** classifySql and fingerprintSql together, reading the statement once (the database event needs both). */
export function describeSql(sql: string, dialect: SqlDialect = 'unknown'): SqlDescription {
  if (typeof sql !== 'string' || sql === '') return { queryType: 'OTHER', fingerprint: '' };
  const tokens = tokensOf(sql, dialect);
  return { ...classifyTokens(tokens), fingerprint: render(collapseLists(tokens)) };
}

function tokensOf(sql: string, dialect: SqlDialect): SqlToken[] {
  const src = sql.length > MAX_SQL_INPUT ? sql.slice(0, MAX_SQL_INPUT) : sql;
  return maskPasswords(maskCredentials(src, readSql(src, dialect)));
}

/** How far back from `BY` an `IDENTIFIED` is looked for (`IDENTIFIED WITH plugin BY ...`). */
const IDENTIFIED_BY_REACH = 3;
/** How far past `PASSWORD FOR` the `=` is looked for (`FOR 'app'@'%' =`). */
const PASSWORD_FOR_REACH = 6;

/**
 * A password written without quotes (`IDENTIFIED BY hunter2`, `WITH PASSWORD hunter2`,
 * `SET PASSWORD [FOR app] = hunter2`) scans as an identifier, and identifiers are kept: the word
 * after `IDENTIFIED ... BY`, or after `PASSWORD` (past its `FOR user =` or `=`), becomes a value.
 * A column that happens to follow is masked too, which costs a fingerprint a name, never a secret.
 */
function maskPasswords(tokens: SqlToken[]): SqlToken[] {
  for (let i = 0; i < tokens.length; i++) {
    if (!introducesPassword(tokens, i)) continue;
    let at = i + 1;
    if (tokens[at]?.kind === 'keyword' && tokens[at]!.text === 'FOR') {
      const limit = Math.min(tokens.length, at + PASSWORD_FOR_REACH);
      while (at < limit && !isOp(tokens[at], '=')) at++;
    }
    if (isOp(tokens[at], '=')) at++;
    const kind = tokens[at]?.kind;
    if (kind === 'ident' || kind === 'quoted') tokens[at] = VALUE;
  }
  return tokens;
}

function isOp(token: SqlToken | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'op' && token.text === text;
}

function introducesPassword(tokens: readonly SqlToken[], i: number): boolean {
  const token = tokens[i]!;
  if (token.kind === 'ident') return token.text.toUpperCase() === 'PASSWORD';
  if (token.kind !== 'keyword' || token.text !== 'BY') return false;
  for (let back = i - 1; back >= Math.max(0, i - IDENTIFIED_BY_REACH); back--) {
    const before = tokens[back]!;
    if (before.kind === 'ident' && before.text.toUpperCase() === 'IDENTIFIED') return true;
  }
  return false;
}

function render(tokens: readonly SqlToken[]): string {
  let out = '';
  let prev: SqlToken | undefined;
  for (const token of tokens) {
    const piece = prev !== undefined && spaceBetween(prev, token) ? ` ${token.text}` : token.text;
    if (out.length + piece.length > MAX_FINGERPRINT_LENGTH) {
      // One enormous identifier still yields a (cut) fingerprint rather than nothing.
      return out === '' ? piece.slice(0, MAX_FINGERPRINT_LENGTH) : out;
    }
    out += piece;
    prev = token;
  }
  return out;
}

function spaceBetween(prev: SqlToken, token: SqlToken): boolean {
  const symbol = token.kind === 'punct' || token.kind === 'op';
  if (symbol && NO_SPACE_BEFORE.has(token.text)) return false;
  if ((prev.kind === 'punct' || prev.kind === 'op') && NO_SPACE_AFTER.has(prev.text)) return false;
  if (isPunct(token, '(')) return prev.kind !== 'ident' && prev.kind !== 'quoted';
  if (isPunct(token, '[')) return prev.kind === 'op' || isPunct(prev, ',');
  return true;
}
