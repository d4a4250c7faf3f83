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

/** End of a block comment; with `nested`, each inner opening needs its own close. An unterminated one runs to the end. */
export function blockCommentEnd(src: string, from: number, nested: boolean): number {
  if (!nested) {
    const close = src.indexOf('*/', from + 2);
    return close < 0 ? src.length : close + 2;
  }
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
 * Index of the line break ending a `--` or `#` comment (the break itself is whitespace), or the
 * end of input. A character loop rather than indexOf: a search for a `\r` that never comes would
 * read to the end once per comment.
 */
export function lineCommentEnd(src: string, from: number, endsAtCr: boolean): number {
  let i = from;
  while (i < src.length && src[i] !== '\n' && !(endsAtCr && src[i] === '\r')) i++;
  return i;
}

/** `'...'` with `''` escapes, and backslash escapes when `backslash`; an unterminated string runs to the end. */
export function stringEnd(src: string, from: number, backslash: boolean): number {
  const end = quotedEnd(src, from, "'", backslash);
  return end < 0 ? src.length : end;
}

/** End (exclusive) of a quoted lexeme with doubled-quote escapes (and backslash ones when `backslash`), or -1 when unterminated. */
export function quotedEnd(src: string, from: number, quote: string, backslash: boolean): number {
  let i = from + 1;
  while (i < src.length) {
    const c = src[i];
    if (backslash && c === '\\') i += 2;
    else if (c !== quote) i++;
    else if (src[i + 1] === quote) i += 2;
    else return i + 1;
  }
  return -1;
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
