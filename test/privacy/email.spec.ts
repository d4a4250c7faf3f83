import fc from 'fast-check';
import { emailAddress, emailDomain } from '../../lib/privacy/email.js';

const SEED = 25;

describe('emailDomain', () => {
  it.each([
    ['bob@example.com', 'example.com'],
    ['Bob.Smith+tag@Mail.Example.CO.UK', 'mail.example.co.uk'],
    ['  padded@example.org  ', 'example.org'],
    ['"Bob Smith" <bob@example.com>', 'example.com'],
    ['Bob Smith <bob@example.com>', 'example.com'],
    ['"Smith, Bob" <bob@first.io>, ann@second.io', 'first.io'],
    ['"a@fake.io" <real@real.io>', 'real.io'],
    ['a@first.io, b@second.io', 'first.io'],
    ['a@first.io; b@second.io', 'first.io'],
    ['mailto:bob@example.com', 'example.com'],
    ['"quoted local"@example.com', 'example.com'],
    ['trailing@example.com.', 'example.com'],
    ['user@xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['user@bücher.de', 'bücher.de'],
    ['user@sub-domain.example.travel', 'sub-domain.example.travel'],
  ])('%j → %j', (input, domain) => {
    expect(emailDomain(input)).toBe(domain);
  });

  it.each([
    '',
    'not an address',
    '@example.com',
    'bob@',
    'bob@localhost',
    'bob@example',
    'bob@example.c',
    'bob@-example.com',
    'bob@example-.com',
    'bob@exa_mple.com',
    'bob@example..com',
    'bob@127.0.0.1',
    'bob smith@example.com',
    'Bob <bob@example.com',
    `bob@${'a'.repeat(64)}.com`,
    `${'a'.repeat(400)}@example.com`,
  ])('rejects implausible %j', (input) => {
    expect(emailDomain(input)).toBeUndefined();
  });

  it('reads address objects and arrays, taking the first recipient', () => {
    expect(emailDomain({ name: 'Bob', address: 'bob@objects.io' })).toBe('objects.io');
    expect(emailDomain(['first@list.io', 'second@list.io'])).toBe('list.io');
    expect(emailDomain([{ address: 'nested@list.io' }])).toBe('list.io');
    expect(emailDomain([])).toBeUndefined();
    expect(emailDomain({ address: 42 })).toBeUndefined();
    expect(emailDomain([[[['too@deep.io']]]])).toBeUndefined();
  });

  it.each([
    [null],
    [undefined],
    [42],
    [Number.NaN],
    [true],
    [Symbol('x')],
    [10n],
    [() => 'a@b.io'],
    [new Date()],
    [{}],
  ])('returns undefined for %p', (value) => {
    expect(emailDomain(value)).toBeUndefined();
  });

  it('never throws on hostile objects', () => {
    const throwing = Object.defineProperty({}, 'address', {
      get() {
        throw new Error('boom');
      },
    });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(emailDomain(throwing)).toBeUndefined();
    expect(emailDomain(revoked.proxy)).toBeUndefined();
  });

  it('returns the lower-cased domain of generated addresses (property)', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (address) => {
        const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
        // fast-check also generates single-label-TLD-less and numeric-TLD domains, which are refused.
        const plausible = /\.(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/.test(domain);
        expect(emailDomain(address)).toBe(plausible ? domain : undefined);
        expect(emailDomain(`"Someone" <${address}>`)).toBe(plausible ? domain : undefined);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('never throws and never returns anything but a domain-shaped string (property)', () => {
    // Random text is almost never an address: mixed with real ones (bare and quoted), so the check on a result runs.
    const text = fc.oneof(
      fc.emailAddress(),
      fc.tuple(fc.string({ maxLength: 20 }), fc.emailAddress()).map(([name, address]) => `"${name}" <${address}>`),
      fc.string({ unit: 'binary', maxLength: 80 }),
    );
    let domains = 0;
    fc.assert(
      fc.property(fc.anything(), text, (value, text) => {
        for (const input of [value, text]) {
          const result = emailDomain(input);
          if (result !== undefined) {
            domains++;
            expect(result).toMatch(/^[^\s@<>]+\.[^\s@<>.]+$/u);
          }
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
    expect(domains).toBeGreaterThan(100);
  });
});

describe('emailAddress', () => {
  it.each([
    ['Ada.Lovelace@Example.COM', 'Ada.Lovelace@Example.COM'],
    ['"Ada Lovelace" <ada@example.com>', 'ada@example.com'],
    ['"Smith, Bob" <bob@first.io>, ann@second.io', 'bob@first.io'],
    ['  mailto:ada@example.com ', 'ada@example.com'],
    [['first@list.io', 'second@list.io'], 'first@list.io'],
    [{ name: 'Ada', address: 'ada@objects.io' }, 'ada@objects.io'],
  ])('%j → %j', (input, address) => {
    expect(emailAddress(input)).toBe(address);
  });

  it.each([
    'https://app.example.com/reset?token=sk_live_51Habcdefghijklmnopqrstuvwx&password=hunter2',
    'reset link for ada@example.com: https://app.example.com/r?t=1',
    'bob@localhost',
    'not an address',
    '',
  ])('takes nothing but an address for one: %j', (input) => {
    expect(emailAddress(input)).toBeUndefined();
  });
});
