/**
 * Where each SQL lexeme that starts at a given index ends. Each function scans forward once (or
 * uses indexOf), which keeps the scanner linear; unterminated constructs run to the end of input.
 */

/** Bracket identifiers longer than this, or containing these, are array subscripts or literals. */
const MAX_BRACKET_IDENT = 128;
const NOT_IN_BRACKET_IDENT = /['",()+*/=<>:?$@;\n-]/;

export function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

export function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\u007f';
}

export function isIdentPart(c: string | undefined): boolean {
  return c !== undefined && (isIdentStart(c) || isDigit(c) || c === '$');
}

export function identEnd(src: string, from: number): number {
  let i = from;
  while (isIdentPart(src[i])) i++;
  return i;
}

export function digitsEnd(src: string, from: number): number {
  let i = from;
  while (isDigit(src[i])) i++;
  return i;
}

/** PostgreSQL nests block comments; an unterminated one runs to the end. */
export function blockCommentEnd(src: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < src.length) {
    if (src[i] === '/' && src[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (src[i] === '*' && src[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return src.length;
}

/**
 * `'...'` with `''` and backslash escapes. Treating backslash as an escape everywhere (MySQL's
 * default) can only make a literal longer, never let part of one out as identifiers.
 */
export function stringEnd(src: string, from: number): number {
  let i = from + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === "'" && src[i + 1] === "'") i += 2;
    else if (c === "'") return i + 1;
    else i++;
  }
  return src.length;
}

/** End (exclusive) of `"..."` or `` `...` `` with doubled-quote escapes, or -1 when unterminated. */
export function quotedEnd(src: string, from: number, quote: string): number {
  let i = from + 1;
  for (;;) {
    const close = src.indexOf(quote, i);
    if (close < 0) return -1;
    if (src[close + 1] !== quote) return close + 1;
    i = close + 2;
  }
}

/** SQL Server `[name]`; -1 when the bracket is an array subscript or constructor instead. */
export function bracketIdentEnd(src: string, from: number): number {
  // Bounded search: an unbounded indexOf per `[` would make `[[[[...` quadratic.
  const limit = Math.min(src.length, from + MAX_BRACKET_IDENT + 2);
  let close = from + 1;
  while (close < limit && src[close] !== ']' && src[close] !== '[') close++;
  if (close >= limit || src[close] !== ']' || close === from + 1) return -1;
  const body = src.slice(from + 1, close);
  if (isDigit(body[0]) || body[0] === '.' || NOT_IN_BRACKET_IDENT.test(body)) return -1;
  return close + 1;
}

/** Decimal, `.5`, exponent, `1_000`, hex/binary/octal; trailing letters (`123abc`) stay in the value. */
export function numberEnd(src: string, from: number): number {
  let i = from;
  if (src[i] === '0' && 'xXbBoO'.includes(src[i + 1] ?? '.')) return identEnd(src, i + 2);
  while (isDigit(src[i]) || src[i] === '_') i++;
  if (src[i] === '.') {
    i++;
    while (isDigit(src[i]) || src[i] === '_') i++;
  }
  if ((src[i] === 'e' || src[i] === 'E') && (isDigit(src[i + 1]) || ((src[i + 1] === '+' || src[i + 1] === '-') && isDigit(src[i + 2])))) {
    i = digitsEnd(src, i + 2);
  }
  return identEnd(src, i);
}
