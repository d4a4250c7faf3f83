const REPLACEMENT = '\ufffd';

/** Cheap pre-check; may also hit an escaped backslash before u0000 or a valid pair, which the full pass keeps. */
const SUSPECT_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/**
 * Consumes escapes from left to right, so an escaped backslash is one token and the `u0000` after
 * it is never mistaken for an escape; a valid surrogate pair is one token too, so only a NUL or a
 * lone surrogate lands in group 1.
 */
const ESCAPE = /\\(?:ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}|(u0000|ud[89a-f][0-9a-f]{2})|[^])/gi;

/**
 * PostgreSQL `text` refuses NUL. Lone surrogates need nothing here: node-postgres encodes them as
 * U+FFFD on its way to UTF-8.
 */
export function storableText(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', REPLACEMENT) : text;
}

/**
 * PostgreSQL `json`/`jsonb` refuse the escape `\u0000` and escapes of lone surrogates, which
 * JSON.stringify writes for such strings. Raw NUL cannot occur in JSON text, and raw lone
 * surrogates are repaired by the driver, so only escapes are rewritten.
 */
export function storableJson(json: string): string {
  if (!SUSPECT_ESCAPE.test(json)) return json;
  return json.replace(ESCAPE, (escape, unstorable: string | undefined) => (unstorable === undefined ? escape : '\\ufffd'));
}
