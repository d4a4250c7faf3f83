/**
 * Which property keys hold secrets, so the serializer can replace their values wholesale.
 *
 * The rule (tested case by case in test/privacy/sensitive-keys.spec.ts):
 * 1. A key is split into lower-case words at `_`, `-`, `.`, spaces, camelCase and letter/digit
 *    boundaries: `X-Api-Key` → x api key, `newPassword2` → new password 2, `APIKey` → api key.
 * 2. It is sensitive when the words of a term appear as consecutive words of the key
 *    (`user_password`, `accessToken`, `x-api-key`, `cvv2`), or when one of its words, written as
 *    one run (`newpassword`, `user_xapikey`), contains a long unambiguous term or ends in
 *    token/secret/cookie/sessionid (`authtoken`, but not `tokenizer` or `secretary`).
 * 3. Short or everyday terms (auth, pwd, pass, pin, pan, otp, totp, session) count only as the key's
 *    last word (`basic_auth`, `smtpPass`, `card_pin`, `user_session`), so `author`, `auth_method`, `auth_action`,
 *    `auth_success` (this library's own fields), `pinned`, `spinner`, `panel`, `session_count`
 *    and `session_started_at` are kept.
 * 4. A key whose last word describes the secret instead of holding it is kept: `tokenCount`,
 *    `token_type`, `token_expires_at`, `password_required`, `secret_name`, `cookie_enabled`.
 *    Describing words are in DESCRIPTOR_WORDS; everything else leans towards redaction
 *    (`passwordless`, `token_id` and `password_changed` are redacted), because a redacted harmless
 *    field costs a column while a kept secret leaks.
 * Extra string terms get the same treatment; extra RegExps are tested against the raw key.
 */
export const DEFAULT_SENSITIVE_KEYS: readonly string[] = Object.freeze([
  'password', 'passwords', 'passwd', 'pwd', 'passphrase', 'passcode',
  'secret', 'secrets', 'client_secret', 'secret_key', 'private_key', 'access_key',
  'token', 'tokens', 'access_token', 'refresh_token', 'id_token',
  'api_key', 'apikey', 'x-api-key', 'x-write-key', 'write_key', 'writeKey',
  'authorization', 'auth', 'auth_header', 'credential', 'credentials',
  'cookie', 'cookies', 'set-cookie',
  'session', 'sessionid', 'session_id', 'session_key',
  'credit_card', 'card_number', 'cardnumber', 'card_no', 'card_num', 'cc_number', 'ccnumber',
  'pan', 'cvv', 'cvc', 'security_code',
  'ssn', 'pin', 'pin_code', 'pincode', 'otp', 'otp_code', 'totp',
  'pass', 'encryption_key', 'signing_key', 'master_key', 'auth_key', 'hmac_key',
]);

/** Single-word terms too short or too common to match anywhere but at the end of a key. */
const TAIL_ONLY = new Set(['auth', 'pwd', 'pin', 'pan', 'otp', 'totp', 'session', 'pass']);

/** Last words that make a key describe a secret (its count, type, expiry, ...) rather than hold it. */
const DESCRIPTOR_WORDS = new Set([
  'count', 'total', 'length', 'len', 'size', 'type', 'kind', 'ttl', 'expiry', 'expires', 'expiration',
  'exp', 'at', 'in', 'enabled', 'disabled', 'required', 'present', 'provided', 'valid', 'status',
  'method', 'action', 'success', 'name', 'policy', 'version', 'strength',
]);

/** Long terms that are safe to find inside a key written as one lower-case run (`newpassword`). */
const RUN_CONTAINS = [
  'password', 'passwd', 'passphrase', 'apikey', 'accesstoken', 'refreshtoken', 'clientsecret',
  'privatekey', 'secretkey', 'creditcard', 'cardnumber', 'authorization', 'writekey', 'setcookie',
];
/** Terms a one-run key may end with (`authtoken`, `topsecret`); `sessionid` is not searched inside (`sessionidle`). */
const RUN_ENDS = ['token', 'tokens', 'secret', 'secrets', 'cookie', 'cookies', 'sessionid'];

const DEFAULT_CACHE_SIZE = 1000;
/** Longer keys are still judged but not memoised, so the memo's memory stays bounded too. */
const MAX_CACHED_KEY_LENGTH = 256;

interface Term {
  readonly words: readonly string[];
  readonly tailOnly: boolean;
}

export type KeyMatcher = (key: string) => boolean;

/**
 * Builds a predicate for property keys. Results are memoised per matcher (the same keys recur on
 * every event); the memo is bounded and forgets its oldest entry when full.
 */
export function createKeyMatcher(
  extra: readonly (string | RegExp)[] = [],
  cacheSize = DEFAULT_CACHE_SIZE,
): KeyMatcher {
  const isSensitive = createKeyRule(extra);
  const cache = new Map<string, boolean>();
  return (key: string): boolean => {
    if (typeof key !== 'string') return false;
    const known = cache.get(key);
    if (known !== undefined) return known;
    const sensitive = isSensitive(key);
    if (key.length <= MAX_CACHED_KEY_LENGTH) {
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(key, sensitive);
    }
    return sensitive;
  };
}

/**
 * The rule for the default terms plus `extra`, unmemoised: for the key of a `key=value` found in
 * free text, where keys are too varied to be worth remembering.
 */
export function createKeyRule(extra: readonly (string | RegExp)[] = []): KeyMatcher {
  const list = [...DEFAULT_SENSITIVE_KEYS, ...(Array.isArray(extra) ? extra : [])];
  const terms = termsOf(list);
  // A global or sticky RegExp keeps lastIndex between test() calls; a stateless copy cannot.
  const patterns = list.filter((term) => term instanceof RegExp).map((p) => new RegExp(p.source, p.flags.replace(/[gy]/g, '')));
  return (key) => matchesTerms(splitKeyWords(key), terms) || patterns.some((p) => p.test(key));
}

/** Character kinds for splitting keys into words. */
const SEPARATOR = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;

function termsOf(list: readonly unknown[]): Term[] {
  const terms: Term[] = [];
  for (const term of list) {
    if (typeof term !== 'string') continue;
    const words = splitKeyWords(term);
    if (words.length > 0) terms.push({ words, tailOnly: words.length === 1 && TAIL_ONLY.has(words[0]) });
  }
  return terms;
}

/** Splits a key into lower-case words (see rule 1 above). */
export function splitKeyWords(key: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= key.length; i++) {
    const kind = i < key.length ? charKind(key.charCodeAt(i)) : SEPARATOR;
    if (kind === SEPARATOR) {
      if (start >= 0) words.push(key.slice(start, i).toLowerCase());
      start = -1;
      continue;
    }
    if (start < 0) {
      start = i;
      continue;
    }
    const prev = charKind(key.charCodeAt(i - 1));
    const next = i + 1 < key.length ? charKind(key.charCodeAt(i + 1)) : SEPARATOR;
    const boundary =
      (kind === UPPER && prev === LOWER) ||
      (kind === UPPER && prev === UPPER && next === LOWER) ||
      ((kind === DIGIT) !== (prev === DIGIT));
    if (boundary) {
      words.push(key.slice(start, i).toLowerCase());
      start = i;
    }
  }
  return words;
}

function charKind(code: number): number {
  if (code >= 97 && code <= 122) return LOWER;
  if (code >= 65 && code <= 90) return UPPER;
  if (code >= 48 && code <= 57) return DIGIT;
  // Non-ASCII letters cannot be split on case cheaply; they join the current word.
  return code > 127 ? LOWER : SEPARATOR;
}

function matchesTerms(words: readonly string[], terms: readonly Term[]): boolean {
  if (words.length === 0) return false;
  let lastIndex = words.length - 1;
  // Trailing numbers do not change what a key is: `pin2`, `otp_1`.
  while (lastIndex > 0 && isDigits(words[lastIndex])) lastIndex--;
  const last = words[lastIndex];
  for (const term of terms) {
    if (term.tailOnly && term.words[0] === last) return true;
  }
  if (DESCRIPTOR_WORDS.has(last)) return false;
  for (const term of terms) {
    if (!term.tailOnly && containsSequence(words, term.words)) return true;
  }
  return words.some((run) => RUN_CONTAINS.some((t) => run.includes(t)) || RUN_ENDS.some((t) => run.endsWith(t)));
}

function containsSequence(words: readonly string[], seq: readonly string[]): boolean {
  outer: for (let i = 0; i + seq.length <= words.length; i++) {
    for (let j = 0; j < seq.length; j++) if (words[i + j] !== seq[j]) continue outer;
    return true;
  }
  return false;
}

function isDigits(word: string): boolean {
  const c = word.charCodeAt(0);
  return c >= 48 && c <= 57;
}
