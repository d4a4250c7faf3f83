import fc from 'fast-check';
import { COMMON_FIELDS, EVENT_CATALOG } from '../../lib/events/event-catalog.js';
import { DEFAULT_SENSITIVE_KEYS, createKeyMatcher, splitKeyWords } from '../../lib/privacy/sensitive-keys.js';

const SEED = 20_240_611;

describe('splitKeyWords', () => {
  it.each([
    ['password', ['password']],
    ['newPassword', ['new', 'password']],
    ['user_password', ['user', 'password']],
    ['X-Api-Key', ['x', 'api', 'key']],
    ['XApiKey', ['x', 'api', 'key']],
    ['APIKey', ['api', 'key']],
    ['APIKEY', ['apikey']],
    ['clientSECRET', ['client', 'secret']],
    ['newPassword2', ['new', 'password', '2']],
    ['cvv2', ['cvv', '2']],
    ['oauth2Token', ['oauth', '2', 'token']],
    ['  spaced.out key  ', ['spaced', 'out', 'key']],
    ['__', []],
    ['', []],
    ['motDePasséUtilisé', ['mot', 'de', 'passé', 'utilisé']],
  ])('%j → %j', (key, words) => {
    expect(splitKeyWords(key)).toEqual(words);
  });
});

describe('createKeyMatcher (defaults)', () => {
  const isSensitive = createKeyMatcher();

  it.each([
    // every default term matches itself
    ...DEFAULT_SENSITIVE_KEYS,
    // separators, case and camelCase are ignored
    'PASSWORD', 'Password', 'newPassword', 'user_password', 'new-password', 'password2', 'passwords',
    'X-Api-Key', 'x_api_key', 'XApiKey', 'apiKey', 'APIKey', 'API_KEY', 'x-write-key', 'X-Write-Key',
    'accessToken', 'refresh-token', 'idToken', 'csrfToken', 'authToken', 'access_tokens',
    'clientSecret', 'client_secret', 'secretKey', 'AWS_SECRET_ACCESS_KEY', 'privateKey',
    'Authorization', 'proxy-authorization', 'Cookie', 'Set-Cookie', 'setCookie', 'session_cookie',
    'sessionId', 'SESSIONID', 'session_id', 'JSESSIONID', 'creditCard', 'card_number', 'cardNumber',
    'cvv2', 'CVC', 'securityCode', 'ssn', 'card_pin', 'pinCode', 'otp', 'totp', 'otpCode', 'mfa_otp',
    'auth', 'basic_auth', 'proxyAuth', 'x-auth', 'authHeader', 'user_session', 'session',
    'passphrase', 'credentials', 'pwd', 'user_pwd', 'pan', 'card_pan',
    // basic-auth's and nodemailer's `pass`, keys that sign or encrypt, card numbers by other names
    'pass', 'db_pass', 'smtpPass', 'SMTP_PASS', 'authKey', 'encryptionKey', 'signing_key', 'masterKey', 'HMAC_KEY',
    'ccNumber', 'cc_number', 'cardNo', 'card_num',
    // one lower-case run
    'newpassword', 'userpassword', 'xapikey', 'accesstoken', 'mytoken', 'topsecret', 'clientsecret',
    'user_newpassword', 'setcookie', 'phpsessionid', 'secretkey', 'stripesecretkey',
    // a trailing number does not change what the key is, tail-only terms included
    'pin2', 'otp_1', 'smtpPass2', 'user_session_2',
    // a describing word that is not a descriptor keeps the key sensitive
    'password_confirmation', 'password_hash', 'token_id', 'passwordless', 'password_changed',
  ])('redacts %j', (key) => {
    expect(isSensitive(key)).toBe(true);
  });

  it.each([
    // this library's own field names
    'auth_action', 'auth_success', 'auth_method', 'failure_reason', 'user_id', 'user_agent', 'ip_address',
    // harmless keys that merely contain a short word
    'author', 'authorName', 'authMethod', 'authentication_events', 'pinned', 'spinner', 'panel', 'pants',
    'opinion', 'session_count', 'sessionCount', 'session_started_at', 'session_duration_ms', 'sessions_total',
    'session_idle_timeout', 'sessionidle', 'tokenizer', 'secretary', 'cookbook', 'passenger', 'compass', 'keyboard', 'key', 'monkey', 'otpauth_issuer',
    'bypass', 'passport_country', 'pass_count', 'card_type', 'cardBrand', 'primary_key', 'sort_key',
    // a describing last word: the key says something about the secret, not the secret
    'tokenCount', 'token_count', 'token_type', 'tokenType', 'token_expires_at', 'token_ttl', 'expires_in',
    'password_required', 'password_length', 'passwordStrength', 'secret_name', 'cookie_enabled',
    'api_key_status', 'passwordless_enabled',
    // not keys at all
    '', '___', '123',
  ])('keeps %j', (key) => {
    expect(isSensitive(key)).toBe(false);
  });

  it("keeps every field of the library's own event catalog", () => {
    const fields = [...Object.keys(COMMON_FIELDS), ...EVENT_CATALOG.flatMap((spec) => Object.keys(spec.fields))];
    expect(fields.length).toBeGreaterThan(40);
    expect(fields.filter((field) => isSensitive(field))).toEqual([]);
  });

  it('returns false for non-string keys instead of throwing', () => {
    expect(isSensitive(Symbol('password') as unknown as string)).toBe(false);
    expect(isSensitive(42 as unknown as string)).toBe(false);
    expect(createKeyMatcher([/password/])(Symbol('password') as unknown as string)).toBe(false);
  });

  it('is case- and separator-insensitive for every default term (property)', () => {
    const term = fc.constantFrom(...DEFAULT_SENSITIVE_KEYS);
    const style = fc.constantFrom<(words: string[]) => string>(
      (w) => w.join('_'),
      (w) => w.join('-').toUpperCase(),
      (w) => w.map((x, i) => (i === 0 ? x : x[0].toUpperCase() + x.slice(1))).join(''),
      (w) => w.map((x) => x[0].toUpperCase() + x.slice(1)).join('-'),
    );
    const prefix = fc.constantFrom('', 'new', 'user', 'x', 'current');
    fc.assert(
      fc.property(term, style, prefix, (t, format, p) => {
        const words = [...(p ? [p] : []), ...splitKeyWords(t)];
        expect(isSensitive(format(words))).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('createKeyMatcher (extra terms)', () => {
  it('adds string terms with the same word rules', () => {
    const isSensitive = createKeyMatcher(['iban', 'tax_id']);
    expect(isSensitive('iban')).toBe(true);
    expect(isSensitive('customerIban')).toBe(true);
    expect(isSensitive('TAX-ID')).toBe(true);
    expect(isSensitive('customerTaxId')).toBe(true);
    expect(isSensitive('iban_count')).toBe(false);
    expect(isSensitive('taxonomy')).toBe(false);
    expect(isSensitive('password')).toBe(true);
  });

  it('tests RegExp terms against the raw key, ignoring global/sticky state', () => {
    const global = /^internal\./g;
    const isSensitive = createKeyMatcher([global, /Ssn$/]);
    for (let i = 0; i < 3; i++) expect(isSensitive(`internal.k${i}`)).toBe(true);
    expect(isSensitive('my.internal.k')).toBe(false);
    expect(isSensitive('spouseSsn')).toBe(true);
    expect(isSensitive('spousessn')).toBe(false);
    expect(global.lastIndex).toBe(0);
  });

  it('treats a missing or non-array extra list as none', () => {
    for (const extra of [undefined, null, 'iban']) {
      const isSensitive = createKeyMatcher(extra as unknown as string[]);
      expect(isSensitive('password')).toBe(true);
      expect(isSensitive('iban')).toBe(false);
    }
  });

  it('ignores empty and non-string, non-RegExp extras', () => {
    const isSensitive = createKeyMatcher(['', '--', 42 as unknown as string]);
    expect(isSensitive('anything')).toBe(false);
    expect(isSensitive('password')).toBe(true);
  });

  it('matchers do not share their extras', () => {
    const withIban = createKeyMatcher(['iban']);
    const plain = createKeyMatcher();
    expect(withIban('iban')).toBe(true);
    expect(plain('iban')).toBe(false);
  });
});

describe('createKeyMatcher (memo)', () => {
  it('answers from its memo for a known key and stays correct past its bound', () => {
    // The matcher copies RegExps, so the calls are observed on RegExp.prototype.test.
    const originalTest = RegExp.prototype.test;
    const calls: string[] = [];
    RegExp.prototype.test = function (this: RegExp, input: string) {
      if (this.source === '^zz') calls.push(input);
      return originalTest.call(this, input);
    };
    try {
      const isSensitive = createKeyMatcher([/^zz/], 3);
      expect(isSensitive('zz1')).toBe(true);
      expect(isSensitive('zz1')).toBe(true);
      expect(calls).toEqual(['zz1']);
      for (const key of ['a', 'b', 'c']) expect(isSensitive(key)).toBe(false);
      // 'zz1' was the oldest entry and has been evicted: it is computed again, with the same answer.
      expect(isSensitive('zz1')).toBe(true);
      expect(calls).toEqual(['zz1', 'a', 'b', 'c', 'zz1']);
      // Very long keys are judged every time rather than held in the memo.
      const long = `zz${'x'.repeat(300)}`;
      expect(isSensitive(long)).toBe(true);
      expect(isSensitive(long)).toBe(true);
      expect(calls.filter((key) => key === long)).toHaveLength(2);
    } finally {
      RegExp.prototype.test = originalTest;
    }
  });
});
