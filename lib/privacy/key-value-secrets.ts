/**
 * Secrets written as assignments in free text: `key=value`, `key = "value"`, `"key": "value"`,
 * `X-Api-Key: value`. The key decides, by the same rule as a property's key (the default terms
 * plus `redact.keys`), or by ending in a secret's name (`csrf_token=`).
 */
import { REDACTED } from './redaction-markers.js';
import { createKeyRule, splitKeyWords, type KeyMatcher } from './sensitive-keys.js';

/**
 * Keys whose `key=value` value is hidden when they end a key (`csrf_token=`), besides every key the
 * property-key rule calls sensitive (`passwordConfirm`, `SECRET_KEY`, `otp`), so free text and
 * properties agree.
 */
const SECRET_KEY_END = /(?:passw(?:or)?d|pwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|write[_-]?key|session[_-]?id|sessid|credentials?|signature)$/i;

/**
 * Some part of every key `isDefaultSecretKey` accepts. It may say yes too often (`shipping`),
 * which only costs the slow path.
 */
const DEFAULT_SECRET_KEY_PART = /pass|pwd|secret|token|key|auth|credential|session|sessid|signature|cookie|card|cvv|cvc|ssn|pin|otp|pan|cc[_-]*number|security[_-]*code/i;

/**
 * The `key=` of `key=value`, `key = "value"`, `"key": "value"`, for every key: `redactKeyValues`
 * judges the key, then reads the value. The key is a whole run of word characters (the
 * look-behind), and the value is not part of the match, so a value whose key is harmless is still
 * searched (`url=https://x?token=…`) and every character is scanned a bounded number of times.
 */
const KEY_SEPARATOR = /(?<![\w-])([\w-]+)(["']?)(\s*[=:]\s*)/g;
/** A key that reads as a word of prose: letters only, capitalised at most at its start. */
const PLAIN_WORD = /^[A-Za-z][a-z]*$/;
/** A quoted value (to its closing quote, escapes allowed), or a bare one up to a delimiter. */
const KEY_VALUE = /"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[^\s&;,"'<>)}\]]+/y;

const isDefaultSensitiveKey = createKeyRule();

export function isDefaultSecretKey(key: string): boolean {
  return SECRET_KEY_END.test(key) || isDefaultSensitiveKey(key);
}

/** False only when no key in `text` can be one `isDefaultSecretKey` accepts. */
export function mayNameDefaultSecretKey(text: string): boolean {
  return DEFAULT_SECRET_KEY_PART.test(text);
}

/** How free text recognises the keys of `redact.keys`, built once per configuration. */
export interface RedactKeysInText {
  /** A default secret key or one of `redact.keys`. */
  readonly isSecretKey: KeyMatcher;
  /** False only when no key in `text` can be one of `redact.keys`: most text is spared the key scan. */
  readonly mayNameOne: (text: string) => boolean;
}

/** Undefined when `redact.keys` names no key, so free text needs nothing beyond the defaults. */
export function redactKeysInText(redactKeys: readonly (string | RegExp)[]): RedactKeysInText | undefined {
  // A key matching a term holds each of the term's words in some case; its longest is the rarest in text.
  const longestWords = redactKeys.flatMap((term) => {
    const words = typeof term === 'string' ? splitKeyWords(term) : [];
    return words.length === 0 ? [] : [words.reduce((a, b) => (b.length > a.length ? b : a))];
  });
  const hasPattern = redactKeys.some((term) => term instanceof RegExp);
  if (longestWords.length === 0 && !hasPattern) return undefined;
  const isSensitiveKey = createKeyRule(redactKeys);
  // Words are letters and digits only, so they need no escaping.
  const wordHint = new RegExp(longestWords.join('|'), 'i');
  return {
    isSecretKey: (key) => SECRET_KEY_END.test(key) || isSensitiveKey(key),
    // A RegExp may match any key, so every key must be read.
    mayNameOne: hasPattern ? () => true : (text) => wordHint.test(text),
  };
}

/**
 * A bare `key: value` whose key is a plain word is kept ("invalid token: expired"); a quoted key
 * or value, an `=`, or a compound key (`X-Api-Key: …`, `AWS_SECRET_ACCESS_KEY: …`, `apiKey: …`)
 * marks an assignment.
 */
export function redactKeyValues(text: string, isSecretKey: KeyMatcher): string {
  let out = '';
  let copied = 0;
  KEY_SEPARATOR.lastIndex = 0;
  for (let m = KEY_SEPARATOR.exec(text); m !== null; m = KEY_SEPARATOR.exec(text)) {
    const [head, key, keyQuote, separator] = m;
    const valueAt = m.index + head.length;
    KEY_VALUE.lastIndex = valueAt;
    const value = KEY_VALUE.exec(text)?.[0];
    // A lone `?` is a query fingerprint's placeholder (`password = ?`): nothing to hide.
    if (value === undefined || value === '?' || value.includes('[REDACTED') || !isSecretKey(key)) continue;
    const q = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
    if (!separator.includes('=') && keyQuote === '' && q === '' && PLAIN_WORD.test(key)) continue;
    out += `${text.slice(copied, valueAt)}${q}${REDACTED}${q}`;
    copied = valueAt + value.length;
    KEY_SEPARATOR.lastIndex = copied;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
