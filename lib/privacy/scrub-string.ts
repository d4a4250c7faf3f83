/**
 * Removes credentials, card numbers and e-mail local parts from free text (error messages, paths,
 * header values) before it leaves the process. Runs on every string of every event, so a string
 * that cannot contain anything sensitive is rejected by one pass over its characters and returned
 * as is; the precompiled replacement patterns only run when that pass finds a trigger.
 *
 * Every pattern below is linear: character classes never overlap their neighbours, and patterns
 * that could start anywhere inside a run (e-mail local parts) are anchored to the start of the run
 * with a look-behind, so a long run without a match is scanned once, not once per position.
 */
import { isDefaultSensitiveKey } from './sensitive-keys.js';

export const REDACTED = '[REDACTED]';
export const REDACTED_JWT = '[REDACTED_JWT]';
export const REDACTED_CARD = '[REDACTED_CARD]';

/**
 * Keys whose `key=value` value is hidden when they end a key (`csrf_token=`), besides every key the
 * property-key rule calls sensitive (`passwordConfirm`, `SECRET_KEY`, `otp`), so free text and
 * properties agree.
 */
const SECRET_KEY_END = /(?:passw(?:or)?d|pwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|write[_-]?key|session[_-]?id|sessid|credentials?|signature)$/i;

/**
 * Keys only matter before `=` or `:`, so this runs only on strings that have one. It may say yes
 * too often (`shipping`), which only costs the slow path.
 */
const SECRET_KEY = /pass|pwd|secret|token|key|auth|credential|session|sessid|signature|cookie|card|cvv|cvc|ssn|pin|otp|pan/i;
/** HTTP authentication schemes whose credential follows after a space. */
const SCHEME_WORDS: ReadonlySet<string> = new Set(['bearer', 'basic', 'token', 'digest', 'negotiate']);

/**
 * `scheme://user:password@host`: the password goes, the user and host stay. The password runs to
 * the last `@` of the authority, so an unencoded `@` inside it does not leak its tail.
 */
const URL_USERINFO = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]*):[^\s/?#]*@/gi;

/**
 * `Authorization` scheme followed by a credential. A credential that reads like an ordinary word
 * (letters only, no capital after the first) is prose ("basic plan", "bearer token") and is not
 * even consumed, so the word can start the next match ("Bearer Bearer x1").
 */
const AUTH_SCHEME = new RegExp(
  `\\b(${[...SCHEME_WORDS].map(anyCase).join('|')})([ \\t\\n\\v\\f\\r\\u00a0]+)(?![A-Za-z][a-z]*(?![\\w\\-.~+/=]))[\\w\\-.~+/]+=*`,
  'g',
);

/**
 * SQL's reserved words after a scheme-like column name (`SELECT token FROM`, `digest IN (?)`) in a
 * query fingerprint: the fingerprinter writes them in capitals, and no credential is one of them.
 */
const SQL_KEYWORDS: ReadonlySet<string> = new Set(
  'FROM WHERE IN IS NOT NULL AND OR AS ON SET INTO VALUES JOIN LEFT RIGHT INNER OUTER FULL CROSS USING LIKE ILIKE BETWEEN ORDER GROUP BY HAVING LIMIT OFFSET RETURNING UNION EXCEPT INTERSECT SELECT UPDATE DELETE INSERT CASE WHEN THEN ELSE END ASC DESC DISTINCT ALL ANY EXISTS'.split(' '),
);

/** Header.payload.signature (plus the two extra JWE segments), each base64url. */
const JWT = /(?<![\w-])eyJ[\w-]+(?:\.[\w-]*){2,4}/g;

/** `Authorization: <scheme> <credential>` or `authorization=<credential>`: the scheme stays. */
const AUTH_HEADER = /((?:proxy-)?authorization["']?\s*[:=]\s*["']?)([^\s"',;&]+)(?:(\s+)([^\s"',;&]+))?/gi;

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

/**
 * Local part anchored at the start of its run, domain kept. RFC 5322 local-part characters except
 * `/`, `=` and `?`, which in practice delimit URL paths and query strings (`?to=bob@x.io`). The `@`
 * may be percent-encoded, as clients write an address into a path (`/users/bob%40x.io`).
 */
const EMAIL = /(?<![\w.!#$%&'*+^`{|}~-])([\w.!#$%&'*+^`{|}~-]+)(@|%40)((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63})/g;
/** Quotes and dots opening a local part are punctuation around it (`'bob@x.io'`), kept as written. */
const LEADING_PUNCTUATION = /^['.]*/;

/**
 * Credentials whose format names them, so no `key=` is needed in front (`?key=AIza…` in a URL, a
 * key pasted into a message): Stripe secret and restricted keys, GitHub, GitLab, Slack and npm
 * tokens, AWS access key ids, Google API keys. Each starts at a word boundary and has a minimum
 * length, so `risk_test_case` or a bare `sk_live_` stays.
 */
const VENDOR_SECRET =
  /(?<![\w-])(?:[rs]k_(?:live|test)_[A-Za-z0-9]{10,}|gh[opsur]_[A-Za-z0-9]{30,}|github_pat_\w{30,}|glpat-[\w-]{20,}|xox[abeprs]-[A-Za-z0-9-]{10,}|npm_[A-Za-z0-9]{36}|AKIA[0-9A-Z]{16}|AIza[\w-]{35})/g;
/** The words that open a `VENDOR_SECRET`, before its first `_` or `-`. */
const VENDOR_PREFIXES: ReadonlySet<string> = new Set(['sk', 'rk', 'gho', 'ghp', 'ghs', 'ghu', 'ghr', 'github', 'glpat', 'xoxa', 'xoxb', 'xoxe', 'xoxp', 'xoxr', 'xoxs', 'npm']);

/** A run of digit groups separated by single spaces or dashes; card candidates are picked out of it. */
const DIGIT_RUN = /\d+(?:[ -]\d+)*/g;

export function scrubString(value: string): string {
  if (!mightBeSensitive(value)) return value;
  let out = value;
  if (out.includes('://')) out = out.replace(URL_USERINFO, `$1:${REDACTED}@`);
  if (out.includes('eyJ')) out = out.replace(JWT, REDACTED_JWT);
  out = out.replace(AUTH_SCHEME, redactSchemeCredential);
  out = out.replace(AUTH_HEADER, redactAuthHeader);
  out = redactKeyValues(out);
  out = out.replace(VENDOR_SECRET, REDACTED);
  if (mayHoldEmail(out)) out = out.replace(EMAIL, redactEmail);
  return out.replace(DIGIT_RUN, redactCards);
}

/**
 * Only the rules that cannot match anything but a credential in text that is not prose (SQL, where
 * `token FROM` would read as a scheme and its credential): a URL's password, a JWT, an e-mail's
 * local part.
 */
export function scrubEmbeddedCredentials(value: string): string {
  let out = value;
  if (out.includes('://')) out = out.replace(URL_USERINFO, `$1:${REDACTED}@`);
  if (out.includes('eyJ')) out = out.replace(JWT, REDACTED_JWT);
  if (mayHoldEmail(out)) out = out.replace(EMAIL, redactEmail);
  return out;
}

function mayHoldEmail(text: string): boolean {
  return text.includes('@') || text.includes('%40');
}

/**
 * One pass over the characters: true when any rule below could act (false positives only cost the
 * slow path). Cheaper than one combined regex, which tries every alternative at every position.
 */
function mightBeSensitive(text: string): boolean {
  let digits = 0;
  let afterDigit = false;
  let wordStart = -1;
  let keyed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits >= 13) return true;
      afterDigit = true;
      wordStart = -1;
      continue;
    }
    if (afterDigit && (c === 32 || c === 45)) afterDigit = false;
    else {
      digits = 0;
      afterDigit = false;
    }
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
      if (wordStart < 0) wordStart = i;
      else if (c === 74 && text.charCodeAt(i - 1) === 121 && text.charCodeAt(i - 2) === 101) return true;
      else if (i - wordStart === 3 && isKeyIdStart(text, wordStart)) return true;
      continue;
    }
    if ((c === 32 || (c >= 9 && c <= 13) || c === 160) && wordStart >= 0 && isSchemeWord(text, wordStart, i)) return true;
    if ((c === 95 || c === 45) && wordStart >= 0 && i - wordStart <= 6 && VENDOR_PREFIXES.has(text.slice(wordStart, i))) return true;
    wordStart = -1;
    if (c === 64 || (c === 37 && text.charCodeAt(i + 1) === 52 && text.charCodeAt(i + 2) === 48)) return true;
    if (c === 61 || c === 58) keyed = true;
  }
  return keyed && SECRET_KEY.test(text);
}

/** `AKIA` (AWS) or `AIza` (Google) opening a word. */
function isKeyIdStart(text: string, start: number): boolean {
  if (text.charCodeAt(start) !== 65) return false;
  const rest = text.slice(start + 1, start + 4);
  return rest === 'KIA' || rest === 'Iza';
}

function isSchemeWord(text: string, start: number, end: number): boolean {
  const length = end - start;
  return (length === 5 || length === 6 || length === 9) && SCHEME_WORDS.has(text.slice(start, end).toLowerCase());
}

function redactSchemeCredential(match: string, scheme: string, space: string): string {
  const credential = match.slice(scheme.length + space.length);
  return SQL_KEYWORDS.has(credential) ? match : `${scheme}${space}${REDACTED}`;
}

function redactAuthHeader(match: string, prefix: string, first: string, space?: string, second?: string): string {
  if (!SCHEME_WORDS.has(first.toLowerCase())) return `${prefix}${REDACTED}${space ?? ''}${second ?? ''}`;
  return second === undefined ? match : `${prefix}${first}${space}${REDACTED}`;
}

function redactEmail(match: string, local: string, at: string, domain: string): string {
  const lead = (LEADING_PUNCTUATION.exec(local) as RegExpExecArray)[0];
  return lead.length === local.length ? match : `${lead}${REDACTED}${at}${domain}`;
}

/**
 * A bare `key: value` whose key is a plain word is kept ("invalid token: expired"); a quoted key
 * or value, an `=`, or a compound key (`X-Api-Key: …`, `AWS_SECRET_ACCESS_KEY: …`, `apiKey: …`)
 * marks an assignment.
 */
function redactKeyValues(text: string): string {
  let out = '';
  let copied = 0;
  KEY_SEPARATOR.lastIndex = 0;
  for (let m = KEY_SEPARATOR.exec(text); m !== null; m = KEY_SEPARATOR.exec(text)) {
    const [head, key, keyQuote, separator] = m;
    const valueAt = m.index + head.length;
    KEY_VALUE.lastIndex = valueAt;
    const value = KEY_VALUE.exec(text)?.[0];
    // A lone `?` is a query fingerprint's placeholder (`password = ?`): nothing to hide.
    if (value === undefined || value === '?' || value.includes('[REDACTED') || !(SECRET_KEY_END.test(key) || isDefaultSensitiveKey(key))) continue;
    const q = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
    if (!separator.includes('=') && keyQuote === '' && q === '' && PLAIN_WORD.test(key)) continue;
    out += `${text.slice(copied, valueAt)}${q}${REDACTED}${q}`;
    copied = valueAt + value.length;
    KEY_SEPARATOR.lastIndex = copied;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Cards are 13–19 digits, written as one group or as groups of 3–6 digits (4-4-4-4, Amex 4-6-5)
 * with possibly a shorter last group.
 * Inside a longer run ("2024 4111 1111 1111 1111") every window of whole groups is tried, longest
 * first; a single group longer than 19 digits is an id, not a card, and is kept, and so are digits
 * glued to letters. Luhn-valid 13-digit millisecond timestamps are redacted too: the checksum is all
 * there is to tell them apart, and a lost timestamp costs less than a leaked card.
 */
function redactCards(run: string, offset: number, text: string): string {
  if (run.length < 13) return run;
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < run.length; i++) {
    starts.push(i);
    while (i < run.length && run.charCodeAt(i) !== 32 && run.charCodeAt(i) !== 45) i++;
    ends.push(i);
  }
  // A first or last group glued to letters is part of an identifier; the groups between can still be a card.
  if (isWordLetter(text.charCodeAt(offset + run.length))) ends.pop();
  let out = '';
  let copied = 0;
  for (let g = isWordLetter(text.charCodeAt(offset - 1)) ? 1 : 0; g < ends.length; g++) {
    const last = cardWindowEnd(run, starts, ends, g);
    if (last < 0) continue;
    out += run.slice(copied, starts[g]) + REDACTED_CARD;
    copied = ends[last];
    g = last;
  }
  return copied === 0 ? run : out + run.slice(copied);
}

/**
 * Index of the last group of the longest Luhn-valid card starting at group `first`, or -1. Groups
 * have 3–6 digits, except the last, which may be shorter (4-4-4-1 for 13 digits).
 */
function cardWindowEnd(run: string, starts: readonly number[], ends: readonly number[], first: number): number {
  const firstLength = ends[first] - starts[first];
  if (firstLength >= 13) return firstLength <= 19 && luhnValid(run.slice(starts[first], ends[first])) ? first : -1;
  if (firstLength < 3 || firstLength > 6) return -1;
  let digits = run.slice(starts[first], ends[first]);
  let best = -1;
  for (let g = first + 1; g < ends.length; g++) {
    const length = ends[g] - starts[g];
    if (length > 6 || digits.length + length > 19) break;
    digits += run.slice(starts[g], ends[g]);
    if (digits.length >= 13 && luhnValid(digits)) best = g;
    if (length < 3) break;
  }
  return best;
}

/** The case-insensitive spelling of `word` for a regex that must stay case-sensitive elsewhere. */
function anyCase(word: string): string {
  return word.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);
}

/** Digits glued to letters belong to an identifier (UUID, hash, hex id), not to a card. */
function isWordLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/**
 * A number that holds a card: 15 or 16 digits (Amex, Visa, Mastercard, Discover; longer ones are
 * past the exact integers), a card network's first digit (2–6), a valid checksum. Millisecond and
 * microsecond timestamps (13 digits, or starting with 1) are kept, so a `Date.now()` never goes.
 */
export function isCardNumber(value: number): boolean {
  if (!(value >= 1e14 && value < 1e16) || !Number.isInteger(value)) return false;
  const digits = String(value);
  const first = digits.charCodeAt(0);
  return first >= 50 && first <= 54 && luhnValid(digits);
}

/** The Luhn (mod 10) checksum used by card numbers. False for an empty string or any non-digit. */
export function luhnValid(digits: string): boolean {
  if (digits.length === 0) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
