import fc from 'fast-check';
import { luhnValid } from '../../lib/privacy/card-numbers.js';
import { REDACTED, REDACTED_CARD, REDACTED_JWT } from '../../lib/privacy/redaction-markers.js';
import { scrubString } from '../../lib/privacy/scrub-string.js';
import { createKeyMatcher, DEFAULT_SENSITIVE_KEYS } from '../../lib/privacy/sensitive-keys.js';

const SEED = 4_111_111;
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

/** Appends the Luhn check digit to `body`. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable: one check digit always fits');
}

/** A number of the same length that fails Luhn (last digit off by one). */
function breakCheckDigit(card: string): string {
  const last = Number(card[card.length - 1]);
  return card.slice(0, -1) + String((last + 1) % 10);
}

describe('luhnValid', () => {
  it.each([
    ['4111111111111111', true],
    ['4012888888881881', true],
    ['378282246310005', true],
    ['6011111111111117', true],
    ['5555555555554444', true],
    ['4111111111111112', false],
    ['1234567812345678', false],
    ['0', true],
    ['18', true],
    ['', false],
    ['4111 1111 1111 1111', false],
    ['41111111111111a1', false],
  ])('%j → %s', (digits, valid) => {
    expect(luhnValid(digits)).toBe(valid);
  });
});

describe('scrubString', () => {
  it.each([
    'hello world',
    'GET /api/users/123 returned 404 in 12ms',
    'order 1234567812345678 shipped',
    'Basic plan selected',
    'bearer token expired',
    'Invalid token: expired',
    'tokenCount=5',
    'a UUID 550e8400-e29b-41d4-a716-446655440000',
    'hash 3f786850e387550fdab836ed7e6dc881de23001b4111111111111111',
    'born 2024-01-31 at 12:30:45',
    'https://example.com/path?page=2&sort=asc',
    'token_type=bearer&shipping=free&auth_method=password',
    'invalid pin: expired',
    'Token: expired; Password: required',
    '',
  ])('returns plain text %j unchanged (same instance)', (text) => {
    expect(scrubString(text)).toBe(text);
  });

  it.each([
    'SELECT id, token FROM sessions WHERE id = ?',
    'DELETE FROM tokens WHERE token IN (?)',
    'SELECT digest FROM files',
    'UPDATE users SET password = ?, pin = ? WHERE id = ?',
    'SELECT * FROM api_keys WHERE auth = ? AND secret IS NOT NULL',
  ])('keeps a query fingerprint intact: %j (column names before keywords, placeholders)', (fingerprint) => {
    expect(scrubString(fingerprint)).toBe(fingerprint);
  });

  it.each([
    ['Bearer FROMAGE', `Bearer ${REDACTED}`],
    ['password = ?x', `password = ${REDACTED}`],
  ])('still redacts near-misses of the fingerprint exemptions: %j', (input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  it.each([
    ['Authorization: Bearer abc.def.ghi', `Authorization: Bearer ${REDACTED}`],
    ['Bearer abc.def.ghi', `Bearer ${REDACTED}`],
    ['bearer Zm9vYmFyYmF6', `bearer ${REDACTED}`],
    ['Basic dXNlcjpwYXNz', `Basic ${REDACTED}`],
    ['BEARER X1', `BEARER ${REDACTED}`],
    ['Bearer\u00a0x1\tBasic\tdXNlcjpwYXNz', `Bearer\u00a0${REDACTED}\tBasic\t${REDACTED}`],
    ['Bearer Bearer x1', `Bearer Bearer ${REDACTED}`],
    ['header Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b', `header Token ${REDACTED}`],
    ['authorization: sk_live_abcdef', `authorization: ${REDACTED}`],
    ['Authorization: Bearer plainword', `Authorization: Bearer ${REDACTED}`],
    ['{"authorization":"Bearer abc123"}', `{"authorization":"Bearer ${REDACTED}"}`],
  ])('redacts auth credentials: %j', (input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  it.each([
    [`token ${JWT} rejected`, `token ${REDACTED_JWT} rejected`],
    [`jwt=${JWT}`, `jwt=${REDACTED_JWT}`],
    [`("${JWT}")`, `("${REDACTED_JWT}")`],
    ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', REDACTED_JWT],
    ['eyJhbGciOiJSU0EtT0FFUCJ9.a1.b2.c3.d4', REDACTED_JWT],
  ])('redacts JWTs anywhere: %j', (input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  it.each([
    ['card 4111111111111111 declined', `card ${REDACTED_CARD} declined`],
    ['card 4111 1111 1111 1111 declined', `card ${REDACTED_CARD} declined`],
    ['card 4111-1111-1111-1111.', `card ${REDACTED_CARD}.`],
    ['amex 3782 822463 10005', `amex ${REDACTED_CARD}`],
    ['visa13 4222222222222', `visa13 ${REDACTED_CARD}`],
    ['19 digits 6011111111111111110 end', `19 digits ${REDACTED_CARD} end`],
    ['x 2024 4111 1111 1111 1111 y', `x 2024 ${REDACTED_CARD} y`],
    ['4111 1111 1111 1111 2 times', `${REDACTED_CARD} 2 times`],
    ['cards 4111111111111111,5555555555554444', `cards ${REDACTED_CARD},${REDACTED_CARD}`],
    ['card 411 111 111 111 111 1 declined', `card ${REDACTED_CARD} declined`],
  ])('redacts Luhn-valid card numbers: %j', (input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  it.each([
    'order 4111111111111112',
    'order 4111 1111 1111 1112',
    'id 41111111111111111111',
    'ref ab4111111111111111',
    'ref 4111111111111111cd',
    'list 41 11 11 11 11 11 11 11',
    'ref_4111111111111111',
    // Luhn-valid only as 20 digits, or only across the short group: longer than a card, or not one.
    'ids 1234 5678 1234 5678 1000',
    'ids 4111 1111 10 0000 5678',
  ])('keeps numbers that are not cards: %j', (input) => {
    expect(scrubString(input)).toBe(input);
  });

  it.each([
    ['mail bob.smith+tag@Example.COM now', `mail ${REDACTED}@Example.COM now`],
    ['to: a@b.co, c_d@sub.example.org', `to: ${REDACTED}@b.co, ${REDACTED}@sub.example.org`],
    ['<jane@example.com>', `<${REDACTED}@example.com>`],
    ["reply to 'o'brien@example.ie'", `reply to '${REDACTED}@example.ie'`],
    ['/invite?to=ann@example.com', `/invite?to=${REDACTED}@example.com`],
    ['!#$%&*+^`{|}~-x@example.com', `${REDACTED}@example.com`],
    ['user@localhost', 'user@localhost'],
    ['/users/by-email/john.smith%40example.com', `/users/by-email/${REDACTED}%40example.com`],
    ['/v3/lists/news@mg.example.com/members/jane.doe%40example.com', `/v3/lists/${REDACTED}@mg.example.com/members/${REDACTED}%40example.com`],
    ['discount 100%40 off', 'discount 100%40 off'],
  ])('keeps only the domain of e-mail addresses: %j', (input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  it.each([
    ['/login?user=bob&password=hunter2&next=/', `/login?user=bob&password=${REDACTED}&next=/`],
    ['https://x.io/cb#access_token=abc123&state=9', `https://x.io/cb#access_token=${REDACTED}&state=9`],
    ['token=abc; Path=/', `token=${REDACTED}; Path=/`],
    ['secret = "s3cr3t value"', `secret = "${REDACTED}"`],
    ["api_key='k-123'", `api_key='${REDACTED}'`],
    ['API-KEY=k1 apikey=k2 x_api_key=k3', `API-KEY=${REDACTED} apikey=${REDACTED} x_api_key=${REDACTED}`],
    ['{"password":"hunter2","user":"bob"}', `{"password":"${REDACTED}","user":"bob"}`],
    ['{"newPassword": "a\\"b", "ok": 1}', `{"newPassword": "${REDACTED}", "ok": 1}`],
    ['AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI', `AWS_SECRET_ACCESS_KEY=${REDACTED}`],
    ['JSESSIONID=ABC123DEF', `JSESSIONID=${REDACTED}`],
    ['password="unterminated', `password="${REDACTED}"`],
    // Keys the property-key rule calls sensitive, as TypeORM prints find criteria in its errors.
    ['{ "secretKey": "whk_9f8e7d6c", "passwordConfirm": "Tr0ub4dor&3" }', `{ "secretKey": "${REDACTED}", "passwordConfirm": "${REDACTED}" }`],
    ['{ "userId": 42, "otp": "739201", "pin": "4321", "cvc": "123" }', `{ "userId": 42, "otp": "${REDACTED}", "pin": "${REDACTED}", "cvc": "${REDACTED}" }`],
    ['SECRET_KEY=abc secret_key=def password_confirmation=ghi', `SECRET_KEY=${REDACTED} secret_key=${REDACTED} password_confirmation=${REDACTED}`],
    ["{ user: 'bob', pass: 'hunter2' }", `{ user: 'bob', pass: '${REDACTED}' }`],
    ['next=https://x.io/cb?token=abc123&ok=1', `next=https://x.io/cb?token=${REDACTED}&ok=1`],
    ['write_key=js.abc:S3cr3t', `write_key=${REDACTED}`],
    ['X-Api-Key: k-123 sent', `X-Api-Key: ${REDACTED} sent`],
    ['AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI', `AWS_SECRET_ACCESS_KEY: ${REDACTED}`],
    ['apiKey: k-123', `apiKey: ${REDACTED}`],
    ['GET /f.pdf?X-Amz-Expires=60&X-Amz-Signature=9f8e7d6c5b4a', `GET /f.pdf?X-Amz-Expires=60&X-Amz-Signature=${REDACTED}`],
  ])('redacts key=value secrets: %j', (input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  it.each(DEFAULT_SENSITIVE_KEYS)('redacts the value of every default sensitive key written key=value: %s', (key) => {
    expect(scrubString(`${key}=abc123`)).toBe(`${key}=${REDACTED}`);
  });

  it('redacts every spelling of a default key that the property-key rule calls sensitive, separators doubled or mixed', () => {
    const isSensitive = createKeyMatcher();
    const spellings = DEFAULT_SENSITIVE_KEYS.flatMap((key) =>
      [key.replace(/_/g, '__'), key.replace(/_/g, '_-'), key.replace(/_/g, '-'), key.toUpperCase(), `x_${key}`].filter(isSensitive),
    );
    expect(spellings.length).toBeGreaterThan(DEFAULT_SENSITIVE_KEYS.length);
    expect(spellings.filter((key) => scrubString(`${key}=abc123`) !== `${key}=${REDACTED}`)).toEqual([]);
  });

  it.each([
    ['postgres://app:s3cret@db.internal:5432/prod', `postgres://app:${REDACTED}@db.internal:5432/prod`],
    ['connect redis://:pw@cache:6379 failed', `connect redis://:${REDACTED}@cache:6379 failed`],
    ['mysql://u:p@ss@host/db', `mysql://u:${REDACTED}@host/db`],
    ['https://user@example.com/x', `https://${REDACTED}@example.com/x`],
  ])('redacts URL userinfo passwords: %j', (input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  // Formats documented by each vendor; the bodies here are made up.
  const STRIPE = `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`;
  const GITHUB = `ghp_${'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'}`;
  it.each([
    [`charge failed with ${STRIPE}`, `charge failed with ${REDACTED}`],
    [`rk_test_${'abcdefghijKLMNOP1234'} rejected`, `${REDACTED} rejected`],
    [`push with ${GITHUB}.`, `push with ${REDACTED}.`],
    [`github_pat_${'11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCD'}`, REDACTED],
    [`glpat-${'xYz123_abcDEF-456ghiJKL'}`, REDACTED],
    [`slack xoxb-${'123456789012-1234567890123-AbCdEfGhIjKlMnOp'}`, `slack ${REDACTED}`],
    [`//registry.npmjs.org/:_authToken npm_${'a'.repeat(36)}`, `//registry.npmjs.org/:_authToken ${REDACTED}`],
    ['aws AKIAIOSFODNN7EXAMPLE denied', `aws ${REDACTED} denied`],
    [`https://maps.example.com/api?key=AIza${'SyA-1234567890abcdefghijklmnopqrstu'}&q=x`, `https://maps.example.com/api?key=${REDACTED}&q=x`],
    [`MyBot/1.0 (${STRIPE})`, `MyBot/1.0 (${REDACTED})`],
  ])('redacts a credential its format names: %j', (input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  // Nothing else in these texts (no `key=`, no `@`, no long digit run) points the scrubber at them.
  it.each([
    ['Negotiate YIIGhgYJKoZIhvcSAQICAQ', `Negotiate ${REDACTED}`],
    [`publish failed for npm_${'a'.repeat(36)}`, `publish failed for ${REDACTED}`],
    [`maps key AIza${'SyA-1234567890abcdefghijklmnopqrstu'} refused`, `maps key ${REDACTED} refused`],
  ])('redacts a credential whose scheme or format is the only sign of it: %j', (input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  it.each([
    'risk_test_case_1234567890 passed',
    'sk_live_ only',
    'ghp_short',
    'desk_live_abcdefghijklmnop',
    'AKIA is a prefix',
    'github_repo_name',
    'npm_config_cache',
  ])('keeps look-alikes that are not credentials: %j', (text) => {
    expect(scrubString(text)).toBe(text);
  });

  it('handles several kinds in one string', () => {
    const input = `user bob@acme.io paid with 4111 1111 1111 1111 using Bearer ${JWT} and password=x1`;
    expect(scrubString(input)).toBe(
      `user ${REDACTED}@acme.io paid with ${REDACTED_CARD} using Bearer ${REDACTED_JWT} and password=${REDACTED}`,
    );
  });

  it('never leaves a Luhn-valid 13–19 digit card in the output (property)', () => {
    const card = fc
      .tuple(fc.integer({ min: 12, max: 18 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 18, maxLength: 18 }))
      .map(([length, digits]) => withCheckDigit(digits.slice(0, length).join('')));
    const grouping = fc.constantFrom<(c: string) => string>(
      (c) => c,
      (c) => c.replace(/(\d{4})(?=\d)/g, '$1 '),
      (c) => c.replace(/(\d{4})(?=\d)/g, '$1-'),
    );
    const filler = fc.string({ maxLength: 20 });
    fc.assert(
      fc.property(filler, card, grouping, filler, (before, c, group, after) => {
        const out = scrubString(`${before} ${group(c)} ${after}`);
        expect(out).not.toContain(group(c));
        for (const run of out.match(/\d+(?:[ -]\d+)*/g) ?? []) {
          expect(run.replace(/\D/g, '')).not.toContain(c);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('keeps numbers that fail Luhn (property)', () => {
    const number = fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: 15, maxLength: 15 })
      .map((digits) => breakCheckDigit(withCheckDigit(digits.join(''))));
    fc.assert(
      fc.property(number, (n) => {
        const text = `order ${n} shipped`;
        expect(scrubString(text)).toBe(text);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('never leaves the local part of a generated e-mail address (property)', () => {
    // `/`, `=` and `?` are legal in a local part but delimit URLs in practice; scrubString treats them so.
    const address = fc.emailAddress().filter((a) => !/[/=?]/.test(a.slice(0, a.lastIndexOf('@'))));
    fc.assert(
      fc.property(address, fc.constantFrom(' ', '<', '(', ': '), (address, open) => {
        const at = address.lastIndexOf('@');
        const out = scrubString(`to${open}${address}${open === '<' ? '>' : ''} ok`);
        expect(out).toContain(`${REDACTED}@${address.slice(at + 1)}`);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('is idempotent and never throws on arbitrary text (property)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.constantFrom('password=', 'Bearer ', 'eyJ', '@', 'a.b', ' ', '4111', '-', '"', ':', '1'), { maxLength: 30 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (t) => {
        const once = scrubString(t);
        expect(scrubString(once)).toBe(once);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  // Inputs that make a backtracking scanner quadratic. Their speed is not measured here (timed
  // tests fail on a loaded machine); quadratic behaviour on any of them would take minutes, far
  // past the test timeout. Each must still be scrubbed exactly right.
  it.each([
    ['dotted labels, then a scheme', 'a.'.repeat(100_000) + '://', 'a.'.repeat(100_000) + '://'],
    ['dotted labels, then an @', 'a.'.repeat(100_000) + '@', 'a.'.repeat(100_000) + '@'],
    ['a run of @', 'a@'.repeat(100_000), 'a@'.repeat(100_000)],
    ['spaced digits', '1 '.repeat(100_000), '1 '.repeat(100_000)],
    ['unterminated quoted passwords', 'password="'.repeat(20_000), `password="${REDACTED}"`.repeat(10_000)],
    ['a run of key=', 'a='.repeat(100_000), 'a='.repeat(100_000)],
    ['encoded @', 'a%40'.repeat(50_000), 'a%40'.repeat(50_000)],
    ['encoded @ and dots', 'a%40a.'.repeat(30_000), 'a%40a.'.repeat(30_000)],
    ['a run of pin=', 'pin='.repeat(50_000), `pin=${REDACTED}`],
    ['JWT-like segments', 'eyJa.'.repeat(40_000), `${REDACTED_JWT}.`.repeat(8_000)],
    ['an @ before a long dotted domain', 'a@' + 'a.'.repeat(100_000) + '1', 'a@' + 'a.'.repeat(100_000) + '1'],
  ])('scrubs long adversarial input exactly: %s', (_label, input, expected) => {
    const out = scrubString(input);
    // Length and ends first, so that a failure prints something readable rather than 200 kB.
    expect([out.length, out.slice(0, 40), out.slice(-40)]).toEqual([expected.length, expected.slice(0, 40), expected.slice(-40)]);
    expect(out === expected).toBe(true);
  });
});
