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
import { redactCardNumbers } from './card-numbers.js';
import { isDefaultSecretKey, mayNameDefaultSecretKey, redactKeyValues, redactKeysInText } from './key-value-secrets.js';
import { REDACTED, REDACTED_JWT } from './redaction-markers.js';
import type { KeyMatcher } from './sensitive-keys.js';

// Modules outside lib/privacy import these from here.
export { isCardNumber } from './card-numbers.js';
export { REDACTED, REDACTED_CARD } from './redaction-markers.js';

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

/**
 * `Authorization: <scheme> <credential>` or `authorization=<credential>`: the scheme stays. Text
 * holding it always passes `mayNameDefaultSecretKey`.
 */
const AUTH_HEADER = /((?:proxy-)?authorization["']?\s*[:=]\s*["']?)([^\s"',;&]+)(?:(\s+)([^\s"',;&]+))?/gi;

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

/** What the first pass over a text found rules for. */
const NO_RULE = 0;
/** Only the rules read from a `key=` or `key:` could act. */
const KEY_RULES = 1;
const ANY_RULE = 2;
type RulesThatMayAct = typeof NO_RULE | typeof KEY_RULES | typeof ANY_RULE;

/** The privacy rules with the default secret keys, for text scrubbed outside an analytics instance. */
export function scrubString(value: string): string {
  const may = rulesThatMayAct(value);
  if (may === NO_RULE || (may === KEY_RULES && !mayNameDefaultSecretKey(value))) return value;
  return applyRules(value, isDefaultSecretKey);
}

/**
 * `scrubString` that also hides the value of a `key=value` whose key is one of `redact.keys`,
 * matched as property keys are. Built once per instance; without such keys it is `scrubString`.
 */
export function createStringScrubber(redactKeys: readonly (string | RegExp)[]): (text: string) => string {
  const keys = redactKeysInText(redactKeys);
  if (keys === undefined) return scrubString;
  return (value) => {
    const may = rulesThatMayAct(value);
    if (may === ANY_RULE || (may === KEY_RULES && mayNameDefaultSecretKey(value))) return applyRules(value, keys.isSecretKey);
    // Every rule but the key=value one needs a trigger that the first pass or a default key would have seen.
    return may === KEY_RULES && keys.mayNameOne(value) ? redactKeyValues(value, keys.isSecretKey) : value;
  };
}

function applyRules(value: string, isSecretKey: KeyMatcher): string {
  let out = value;
  if (out.includes('://')) out = out.replace(URL_USERINFO, `$1:${REDACTED}@`);
  if (out.includes('eyJ')) out = out.replace(JWT, REDACTED_JWT);
  out = out.replace(AUTH_SCHEME, redactSchemeCredential);
  out = out.replace(AUTH_HEADER, redactAuthHeader);
  out = redactKeyValues(out, isSecretKey);
  out = out.replace(VENDOR_SECRET, REDACTED);
  if (mayHoldEmail(out)) out = out.replace(EMAIL, redactEmail);
  return redactCardNumbers(out);
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
 * One pass over the characters: which rules below could act (false positives only cost the slow
 * path). Cheaper than one combined regex, which tries every alternative at every position.
 */
function rulesThatMayAct(text: string): RulesThatMayAct {
  let digits = 0;
  let afterDigit = false;
  let wordStart = -1;
  let keyed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits >= 13) return ANY_RULE;
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
      else if (c === 74 && text.charCodeAt(i - 1) === 121 && text.charCodeAt(i - 2) === 101) return ANY_RULE;
      else if (i - wordStart === 3 && isKeyIdStart(text, wordStart)) return ANY_RULE;
      continue;
    }
    if ((c === 32 || (c >= 9 && c <= 13) || c === 160) && wordStart >= 0 && isSchemeWord(text, wordStart, i)) return ANY_RULE;
    if ((c === 95 || c === 45) && wordStart >= 0 && i - wordStart <= 6 && VENDOR_PREFIXES.has(text.slice(wordStart, i))) return ANY_RULE;
    wordStart = -1;
    if (c === 64 || (c === 37 && text.charCodeAt(i + 1) === 52 && text.charCodeAt(i + 2) === 48)) return ANY_RULE;
    if (c === 61 || c === 58) keyed = true;
  }
  return keyed ? KEY_RULES : NO_RULE;
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

/** The case-insensitive spelling of `word` for a regex that must stay case-sensitive elsewhere. */
function anyCase(word: string): string {
  return word.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);
}
