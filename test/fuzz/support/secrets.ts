import fc, { type Arbitrary } from 'fast-check';

/**
 * Secrets as they turn up in real events, each with the text it is embedded as and the
 * fragments that must never reach a payload. Every secret carries a long random part, so finding
 * that part in a payload means it leaked, not that it happened to occur.
 */
export interface Secret {
  kind: string;
  /** How it is written where it is embedded (free text or a sensitive key's value). */
  text: string;
  /** What must not appear in any payload. */
  forbidden: string[];
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const B64URL = `${ALNUM}-_`;

function chars(alphabet: string, minLength: number, maxLength: number): Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });
}

/** Random enough to be unique, and with a digit so that no rule can take it for a word. */
const credential = fc
  .tuple(chars(ALNUM, 12, 30), fc.nat({ max: 9 }), chars(`${ALNUM}-._~`, 0, 10))
  .map(([head, digit, tail]) => `${head}${digit}${tail}`.replace(/[-._~]+$/, ''));

const base64url = (text: string) => Buffer.from(text).toString('base64url');

export const bearerToken: Arbitrary<Secret> = fc
  .tuple(fc.constantFrom('Bearer ', 'bearer ', 'Authorization: Bearer ', 'authorization=Bearer ', 'Token '), credential)
  .map(([prefix, token]) => ({ kind: 'bearer', text: `${prefix}${token}`, forbidden: [token] }));

export const jwt: Arbitrary<Secret> = fc
  .tuple(fc.constantFrom('HS256', 'RS256', 'ES384'), chars(ALNUM, 4, 24), chars(B64URL, 20, 86))
  .map(([alg, subject, signature]) => {
    const token = `${base64url(JSON.stringify({ alg, typ: 'JWT' }))}.${base64url(JSON.stringify({ sub: subject, iat: 1_700_000_000 }))}.${signature}`;
    return { kind: 'jwt', text: token, forbidden: [token, signature] };
  });

/** Appends the Luhn check digit. */
function luhnComplete(body: string): string {
  let sum = 0;
  for (let i = body.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = body.charCodeAt(i) - 48;
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** Splits digits into groups of the given sizes (the last group takes the rest). */
function group(digits: string, sizes: readonly number[], separator: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= digits.length) break;
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) parts.push(digits.slice(at));
  return parts.join(separator);
}

/** How people write card numbers: as one run, in fours, or Amex-style 4-6-5. */
type Grouping = 'none' | 'fours' | 'amex';

export const cardNumber: Arbitrary<Secret> = fc
  .tuple(
    fc.constantFrom('4', '51', '55', '37', '6011', '35', '2'),
    fc.integer({ min: 13, max: 19 }),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 18, maxLength: 18 }),
    fc.constantFrom<Grouping>('none', 'fours', 'amex'),
    fc.constantFrom(' ', '-'),
  )
  .map(([prefix, wanted, random, grouping, separator]) => {
    const length = grouping === 'amex' ? 15 : wanted;
    const digits = luhnComplete((prefix + random).slice(0, length - 1));
    const sizes = grouping === 'amex' ? [4, 6, 5] : [4, 4, 4, 4, 4];
    const text = grouping === 'none' ? digits : group(digits, sizes, separator);
    return { kind: 'card', text, forbidden: [digits, text] };
  });

export const passwordInQuery: Arbitrary<Secret> = fc
  .tuple(
    fc.constantFrom('password', 'passwd', 'pwd', 'token', 'api_key', 'apiKey', 'secret', 'access_token', 'client_secret', 'new_password'),
    credential,
    fc.constantFrom('https://api.example.com/login?user=bob&', '/reset?', 'redirect to /cb?state=1&', ''),
  )
  .map(([key, value, before]) => ({ kind: 'query', text: `${before}${key}=${value}&next=%2Fhome`, forbidden: [value] }));

export const urlCredentials: Arbitrary<Secret> = fc
  .tuple(chars('abcdefghijklmnopqrstuvwxyz', 3, 10), credential, fc.constantFrom('postgres', 'https', 'redis', 'amqp'))
  .map(([user, password, scheme]) => ({ kind: 'userinfo', text: `${scheme}://${user}:${password}@db.internal:5432/app`, forbidden: [password] }));

export const emailAddress: Arbitrary<Secret> = fc
  .tuple(chars('abcdefghijklmnopqrstuvwxyz', 1, 1), chars('abcdefghijklmnopqrstuvwxyz0123456789._+-', 7, 20), fc.constantFrom('example.com', 'mail.example.org', 'corp.co.uk'))
  .map(([first, rest, domain]) => {
    const local = `${first}${rest}`.replace(/[._+-]+$/, 'z');
    const address = `${local}@${domain}`;
    return { kind: 'email', text: address, forbidden: [address, `${local}@`] };
  });

/** A write key `keyId:secret` as the library is configured with; its secret part must never leave. */
export const writeKey: Arbitrary<{ keyId: string; secret: string; key: string }> = fc
  .tuple(chars(ALNUM, 8, 24), chars(ALNUM, 24, 40))
  .map(([keyId, secret]) => ({ keyId, secret, key: `${keyId}:${secret}` }));

/** The write key as it may be embedded: whole, its secret alone, or URL-encoded. */
export function writeKeySecrets(key: { keyId: string; secret: string; key: string }): Secret[] {
  const forbidden = [key.secret];
  return [
    { kind: 'writeKey', text: key.key, forbidden },
    { kind: 'writeKeySecret', text: key.secret, forbidden },
    { kind: 'writeKeyEncoded', text: encodeURIComponent(key.key), forbidden },
  ];
}

export const anySecret: Arbitrary<Secret> = fc.oneof(bearerToken, jwt, cardNumber, passwordInQuery, urlCredentials, emailAddress);

/** Keys whose values are secrets by name. */
export const SENSITIVE_KEYS = [
  'password', 'newPassword', 'token', 'accessToken', 'refresh_token', 'api_key', 'x-api-key', 'authorization',
  'Authorization', 'secret', 'client_secret', 'cardNumber', 'credit_card', 'cvv', 'writeKey', 'cookie', 'session_id', 'pin',
] as const;

/** Text around an embedded secret: anything at all, kept apart from the secret by whitespace. */
export const filler: Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', 'request failed:', 'see', 'user said', '(', 'Authorization:', 'order 1234'),
);

/** Every fragment in `forbidden` that occurs in `text`, raw or as JSON writes it. */
export function leaks(text: string, secrets: readonly Secret[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (const fragment of secret.forbidden) {
      if (text.includes(fragment) || text.includes(JSON.stringify(fragment).slice(1, -1))) found.push(`${secret.kind}: ${fragment}`);
    }
  }
  return found;
}
