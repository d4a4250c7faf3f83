import { scrubString } from '../privacy/scrub-string.js';

/**
 * How every configuration message quotes the value it refuses: enough to recognise the mistake,
 * never a long text. A misplaced secret (a write key in `jitsuUrl`, a password in a table name)
 * is the usual reason a value is wrong, so quoting it whole would leak it; and a URL given for the
 * wrong option may carry a password, so the text passes the privacy rules of event strings first.
 */
export const MAX_QUOTED_CHARS = 40;

/**
 * `"text"` (cut to 40 characters, with `…`), `null`, `undefined`, `an array`, `an object`,
 * `a function`, a RegExp as written (`/^SELECT 1$/i`), else the type and value (`number 5`,
 * `boolean false`). With `shown: 'type'`, values other than strings and null are named by their
 * type alone (`number`, `object`), for messages that never showed more.
 *
 * Never throws: a revoked proxy or one whose traps throw is described as `an object`.
 */
export function describeValue(value: unknown, shown: 'value' | 'type' = 'value'): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(clip(scrubString(value)));
  if (shown === 'type') return typeof value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return describeObject(value);
  return `${typeof value} ${clip(String(value))}`;
}

function describeObject(value: object): string {
  try {
    if (Array.isArray(value)) return 'an array';
    if (value instanceof RegExp) return clip(String(value));
  } catch {
    // Array.isArray throws on a revoked proxy, instanceof on a throwing getPrototypeOf trap,
    // String() on a proxy around a RegExp: it is still an object the option cannot use.
  }
  return 'an object';
}

function clip(text: string): string {
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
}
