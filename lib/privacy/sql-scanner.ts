import { type DoubleQuoteContext, guessedString } from './sql-double-quotes.js';
import type { LexRules } from './sql-dialect.js';
import {
  blockCommentEnd,
  bracketIdentEnd,
  digitsEnd,
  identEnd,
  isDigit,
  isIdentPart,
  isIdentStart,
  lineCommentEnd,
  numberEnd,
  quotedEnd,
  stringEnd,
} from './sql-lexemes.js';
import { SQL_KEYWORDS, type ScannedToken, type SqlToken, valueLike } from './sql-tokens.js';

/**
 * A single-pass SQL tokenizer shared by the fingerprint and the classifier. It does not parse: it
 * only needs to know, for every character, whether it belongs to a comment, a literal, a
 * placeholder, an identifier, a keyword or an operator, under one dialect's rules (sql-dialect.ts).
 * Every construct is consumed with a forward scan, an indexOf or a bounded look, so the cost is
 * linear in the input and no input can make it backtrack. Literals and placeholders come out as
 * one `value` token whose text is `?`: no literal text survives.
 */

/** Input past this many characters is not read (a literal cut in half still becomes `?`). */
export const MAX_SQL_INPUT = 65_536;

/** Characters of PostgreSQL-style operators (`?` is a placeholder and handled apart). */
const OPERATOR_CHARS = '+-*/<>=~!@#%^&|';
/** PostgreSQL's longest operator (NAMEDATALEN - 1): a longer run is several operators, and a bound keeps each read short. */
const MAX_OPERATOR_LENGTH = 63;
/** An operator may end in + or - only if it contains one of these (PostgreSQL's rule): `=-1` is `=` `-1`. */
const OPERATOR_SIGN_KEEPERS = '~!@#%^&|`?';
/** Quoted "identifiers" longer than any real identifier are MySQL double-quoted strings. */
const MAX_QUOTED_IDENT = 128;
const STRING_PREFIXES = 'EeNnBbXx';
/** Words that take a parenthesised list of values when no name precedes the parenthesis: `IF(a, "x", "y")`, `IN ("a")`. */
const ARGUMENT_KEYWORDS: ReadonlySet<string> = new Set(['IF', 'REPLACE', 'LEFT', 'RIGHT', 'INSERT', 'IN']);
/** After these, `name (` lists columns (`INSERT INTO t (a, b)`), not a call's arguments. */
const COLUMN_LIST_AFTER: ReadonlySet<string> = new Set(['INTO', 'TABLE', 'EXISTS', 'REFERENCES', 'INDEX', 'VIEW', 'AS', 'WITH', 'RECURSIVE']);

interface ScanState {
  readonly src: string;
  readonly rules: LexRules;
  readonly out: ScannedToken[];
  /** Per open parenthesis, whether it holds values (a call's arguments, an `IN` list). */
  readonly argumentLists: boolean[];
  /** Parenthesis depth of a BETWEEN still waiting for its AND, or -1. */
  between: number;
  /** The AND that completed a BETWEEN: a bound follows it. */
  rangeAnd?: ScannedToken;
}

export function scanSql(sql: string, rules: LexRules): ScannedToken[] {
  const src = sql.length > MAX_SQL_INPUT ? sql.slice(0, MAX_SQL_INPUT) : sql;
  const s: ScanState = { src, rules, out: [], argumentLists: [], between: -1 };
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src[i];
    const next = src[i + 1];
    if (c <= ' ' || c === '\u00a0' || c === '\ufeff') {
      i++;
    } else if (opensDashComment(src, i, rules)) {
      i = lineCommentEnd(src, i + 2, rules.dashCommentEndsAtCr);
    } else if (c === '#' && rules.hashComments) {
      i = lineCommentEnd(src, i + 1, false);
    } else if (c === '/' && next === '*') {
      i = blockCommentEnd(src, i, rules.nestedComments);
    } else if (c === "'") {
      i = pushValue(s, i, stringEnd(src, i, rules.backslash === 'all'));
    } else if (c === '"' || c === '`') {
      i = quoted(s, i, c);
    } else if (c === '[') {
      const end = valueLike(last(s)) ? -1 : bracketIdentEnd(src, i);
      i = end < 0 ? push(s, 'punct', '[', i, i + 1) : push(s, 'quoted', src.slice(i, end), i, end);
    } else if (isDigit(c) || (c === '.' && isDigit(next))) {
      i = pushValue(s, i, numberEnd(src, i));
    } else if (c === '$') {
      i = dollar(s, i);
    } else if (isIdentStart(c)) {
      i = word(s, i);
    } else if (c === '?') {
      i = next === '|' || next === '&' ? push(s, 'op', src.slice(i, i + 2), i, i + 2) : pushValue(s, i, digitsEnd(src, i + 1));
    } else if (c === ':') {
      i = colon(s, i);
    } else if (c === '@' && next === '@') {
      const end = identEnd(src, i + 2);
      i = push(s, 'ident', src.slice(i, end), i, end);
    } else if (c === '@' && next !== undefined && isIdentStart(next) && !valueLike(last(s))) {
      i = pushValue(s, i, identEnd(src, i + 1));
    } else if (isOperatorChar(c, rules)) {
      i = operator(s, i);
    } else {
      i = punct(s, c, i);
    }
  }
  return s.out;
}

function last(s: ScanState): ScannedToken | undefined {
  return s.out[s.out.length - 1];
}

/** Appends a token and returns where scanning resumes. */
function push(s: ScanState, kind: SqlToken['kind'], text: string, start: number, end: number): number {
  s.out.push({ kind, text, start, end });
  return end;
}

/** A sign directly before a value, where no operand precedes it, is part of the value: `= -5` is `= ?`. */
function pushValue(s: ScanState, start: number, end: number): number {
  const sign = last(s);
  if (sign !== undefined && sign.kind === 'op' && (sign.text === '-' || sign.text === '+') && !valueLike(s.out[s.out.length - 2])) {
    s.out.pop();
    return push(s, 'value', '?', sign.start, end);
  }
  return push(s, 'value', '?', start, end);
}

function opensDashComment(src: string, i: number, rules: LexRules): boolean {
  return src[i] === '-' && src[i + 1] === '-' && !(rules.dashCommentNeedsSpace && src[i + 2] > ' ');
}

function isOperatorChar(c: string, rules: LexRules): boolean {
  return OPERATOR_CHARS.includes(c) && !(c === '#' && rules.hashComments);
}

/** `"..."` and `` `...` ``: a name, or a value where the dialect reads a string (or may: see sql-double-quotes.ts). */
function quoted(s: ScanState, from: number, quote: string): number {
  const { src, rules } = s;
  const end = quotedEnd(src, from, quote, quote === '"' && rules.backslash === 'all');
  if (end < 0) return pushValue(s, from, src.length);
  if (end - from - 2 > MAX_QUOTED_IDENT || (quote === '"' && doubleQuotedValue(s, from, end))) return pushValue(s, from, end);
  return push(s, 'quoted', src.slice(from, end), from, end);
}

function doubleQuotedValue(s: ScanState, start: number, end: number): boolean {
  if (s.rules.doubleQuotes !== 'guess') return s.rules.doubleQuotes === 'string';
  const prev = last(s);
  const context: DoubleQuoteContext = {
    prev,
    inArguments: s.argumentLists[s.argumentLists.length - 1] === true,
    afterRangeAnd: prev !== undefined && prev === s.rangeAnd,
  };
  return guessedString(s.src, start, end, context);
}

/** `(` and `)` track what the parenthesis holds, for the double-quote guess. */
function punct(s: ScanState, c: string, at: number): number {
  if (c === '(') s.argumentLists.push(opensArguments(s.out));
  else if (c === ')') s.argumentLists.pop();
  return push(s, 'punct', c, at, at + 1);
}

function opensArguments(out: readonly SqlToken[]): boolean {
  const prev = out[out.length - 1];
  if (prev === undefined) return false;
  if (prev.kind === 'keyword') return ARGUMENT_KEYWORDS.has(prev.text);
  if (prev.kind !== 'ident') return false;
  const before = out[out.length - 2];
  return !(before !== undefined && before.kind === 'keyword' && COLUMN_LIST_AFTER.has(before.text));
}

/** `$1` placeholders, `$$...$$` and `$tag$...$tag$` strings; an unterminated string runs to the end. */
function dollar(s: ScanState, from: number): number {
  const { src } = s;
  const next = src[from + 1];
  if (isDigit(next)) return pushValue(s, from, digitsEnd(src, from + 1));
  let tagEnd = from + 1;
  if (next !== undefined && isIdentStart(next)) {
    while (isIdentPart(src[tagEnd]) && src[tagEnd] !== '$') tagEnd++;
  }
  if (src[tagEnd] !== '$') {
    return tagEnd === from + 1 ? push(s, 'punct', '$', from, from + 1) : pushValue(s, from, tagEnd);
  }
  const delimiter = src.slice(from, tagEnd + 1);
  const close = src.indexOf(delimiter, tagEnd + 1);
  return pushValue(s, from, close < 0 ? src.length : close + delimiter.length);
}

/**
 * Identifiers and keywords; `E'..'`, `N'..'`, `X'..'`, `B'..'`, `U&'..'` and `_utf8'..'` are
 * literals. Only `E'..'` has backslash escapes where plain strings have none (PostgreSQL).
 */
function word(s: ScanState, from: number): number {
  const { src, rules } = s;
  const end = identEnd(src, from);
  const text = src.slice(from, end);
  if (src[end] === "'" && ((end - from === 1 && STRING_PREFIXES.includes(text)) || text[0] === '_')) {
    const escapes = rules.backslash === 'all' || (rules.backslash === 'e-strings' && (text === 'E' || text === 'e'));
    return pushValue(s, from, stringEnd(src, end, escapes));
  }
  if ((text === 'U' || text === 'u') && src[end] === '&' && src[end + 1] === "'") {
    return pushValue(s, from, stringEnd(src, end + 1, rules.backslash === 'all'));
  }
  const upper = text.toUpperCase();
  if (!SQL_KEYWORDS.has(upper)) return push(s, 'ident', text, from, end);
  push(s, 'keyword', upper, from, end);
  const depth = s.argumentLists.length;
  if (upper === 'BETWEEN') s.between = depth;
  else if (upper === 'AND' && s.between === depth) {
    s.rangeAnd = last(s);
    s.between = -1;
  }
  return end;
}

/** `::` casts, `:=`, and `:name` / `:1` placeholders, except after an operand (`a[1:2]`). */
function colon(s: ScanState, from: number): number {
  const { src } = s;
  const next = src[from + 1];
  if (next === ':' || next === '=') return push(s, 'op', `:${next}`, from, from + 2);
  if (next !== undefined && (isIdentStart(next) || isDigit(next)) && !valueLike(last(s))) {
    return pushValue(s, from, identEnd(src, from + 1));
  }
  return push(s, 'punct', ':', from, from + 1);
}

/**
 * A run of operator characters, at most MAX_OPERATOR_LENGTH long, stopping before a comment and
 * shedding trailing signs as PostgreSQL does. Index arithmetic only: each call reads a bounded
 * run once, so a long run of `+` costs linear time.
 */
function operator(s: ScanState, from: number): number {
  const { src, rules } = s;
  const limit = Math.min(src.length, from + MAX_OPERATOR_LENGTH);
  let end = from;
  let keepsSigns = false;
  while (end < limit && isOperatorChar(src[end], rules)) {
    if (end > from && ((src[end] === '/' && src[end + 1] === '*') || opensDashComment(src, end, rules))) break;
    if (OPERATOR_SIGN_KEEPERS.includes(src[end])) keepsSigns = true;
    end++;
  }
  if (!keepsSigns) {
    while (end - from > 1 && (src[end - 1] === '+' || src[end - 1] === '-')) end--;
  }
  return push(s, 'op', src.slice(from, end), from, end);
}
