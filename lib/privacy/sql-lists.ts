import type { SqlToken } from './sql-tokens.js';

const OPEN: SqlToken = Object.freeze({ kind: 'punct', text: '(' });
const CLOSE: SqlToken = Object.freeze({ kind: 'punct', text: ')' });
const VALUE: SqlToken = Object.freeze({ kind: 'value', text: '?' });
/** Keywords that stand for a value in a list: `IN ('a', NULL)`, `VALUES (1, DEFAULT)`. */
const VALUE_WORDS: ReadonlySet<string> = new Set(['NULL', 'DEFAULT', 'TRUE', 'FALSE']);

/**
 * `IN (...)` of values and every `VALUES (...), (...)` become `IN (?)` / `VALUES (?)`: the number
 * of items is data (how many ids a page asked for), and one fingerprint per list length would
 * split a query into many.
 */
export function collapseLists(tokens: readonly SqlToken[]): SqlToken[] {
  const out: SqlToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    out.push(token);
    if (token.kind !== 'keyword' || !isOpen(tokens[i + 1])) continue;
    let end = -1;
    if (token.text === 'VALUES') end = rowsEnd(tokens, i + 1);
    else if (token.text === 'IN') end = valueGroupEnd(tokens, i + 1);
    if (end >= 0) {
      out.push(OPEN, VALUE, CLOSE);
      i = end;
    }
  }
  return out;
}

/** Last index of `(...), (...), ...` starting at `open`; an unclosed row runs to the end. */
function rowsEnd(tokens: readonly SqlToken[], open: number): number {
  let end = groupEnd(tokens, open);
  while (end < tokens.length - 2 && isPunct(tokens[end + 1], ',') && isOpen(tokens[end + 2])) {
    end = groupEnd(tokens, end + 2);
  }
  return end;
}

function groupEnd(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOpen(tokens[i])) depth++;
    else if (isPunct(tokens[i], ')') && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/**
 * Index of the `)` closing a group of values, or -1 when anything in it is not one (a column, a
 * subquery). Values include signed numbers, `NULL`/`DEFAULT`/`TRUE`/`FALSE`, casts (`'x'::text`,
 * `CAST(? AS varchar(9))`), typed literals (`DATE '2024-01-01'`) and double-quoted items, which
 * MySQL reads as strings.
 */
function valueGroupEnd(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  // Inside a type name (after `::` or `AS`), where words such as `character varying` belong to the cast.
  let typeName = false;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (isOpen(t)) depth++;
    else if (isPunct(t, ')')) {
      if (--depth === 0) return i;
    } else if (!valuePart(tokens, i, typeName)) return -1;
    typeName = (t.kind === 'op' && t.text === '::') || (t.kind === 'keyword' && t.text === 'AS') || (typeName && isWord(t));
  }
  return -1;
}

function valuePart(tokens: readonly SqlToken[], i: number, typeName: boolean): boolean {
  const t = tokens[i];
  const typedLiteral = tokens[i + 1]?.kind === 'value';
  switch (t.kind) {
    case 'value':
      return true;
    case 'punct':
      return t.text === ',' || t.text === '[' || t.text === ']';
    case 'op':
      return t.text === '-' || t.text === '+' || t.text === '::';
    case 'keyword':
      return VALUE_WORDS.has(t.text) || t.text === 'AS' || typeName || (t.text === 'INTERVAL' && typedLiteral);
    case 'ident':
      return typeName || typedLiteral || (t.text.toUpperCase() === 'CAST' && isOpen(tokens[i + 1]));
    case 'quoted':
      return typeName || t.text[0] === '"';
  }
}

function isWord(token: SqlToken): boolean {
  return token.kind === 'ident' || token.kind === 'keyword' || token.kind === 'quoted';
}

function isOpen(token: SqlToken | undefined): boolean {
  return isPunct(token, '(');
}

export function isPunct(token: SqlToken | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'punct' && token.text === text;
}
