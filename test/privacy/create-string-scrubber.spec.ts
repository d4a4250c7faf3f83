import fc from 'fast-check';
import { REDACTED } from '../../lib/privacy/redaction-markers.js';
import { createStringScrubber, scrubString } from '../../lib/privacy/scrub-string.js';

const SEED = 20_250_101;

describe('createStringScrubber', () => {
  it('is scrubString itself when redact.keys names no key, so unconfigured apps pay nothing extra', () => {
    expect(createStringScrubber([])).toBe(scrubString);
    expect(createStringScrubber(['', '--'])).toBe(scrubString);
  });

  const scrub = createStringScrubber(['tax_id', 'iban']);

  it.each([
    ['tax_id=12-3456789', `tax_id=${REDACTED}`],
    ['rejected: tax_id = "12-3456789" for order 7', `rejected: tax_id = "${REDACTED}" for order 7`],
    ['{"taxId":"12-3456789","plan":"pro"}', `{"taxId":"${REDACTED}","plan":"pro"}`],
    ["{ 'TAX-ID': '12-3456789' }", `{ 'TAX-ID': '${REDACTED}' }`],
    ['customer_tax_id=12-3456789&country=DE', `customer_tax_id=${REDACTED}&country=DE`],
    ['{"iban": "DE89370400440532013000"}', `{"iban": "${REDACTED}"}`],
    // Another rule's trigger in the same text (an e-mail address) takes the path with every rule.
    ['bob@acme.io sent tax_id=12-3456789', `${REDACTED}@acme.io sent tax_id=${REDACTED}`],
  ])('redacts the value of a redact.keys key in free text: %j', (input, expected) => {
    expect(scrub(input)).toBe(expected);
  });

  it.each([
    ['password=hunter2&tax_id=1', `password=${REDACTED}&tax_id=${REDACTED}`],
    ['{"ssn":"123-45-6789"}', `{"ssn":"${REDACTED}"}`],
    ['Authorization: Bearer abc.def', `Authorization: Bearer ${REDACTED}`],
    ['csrf_token=abc', `csrf_token=${REDACTED}`],
  ])('still redacts the default secret keys: %j', (input, expected) => {
    expect(scrub(input)).toBe(expected);
  });

  it.each([
    'region=eu-west-1',
    'syntax=strict',
    'taxonomy=books',
    'tax_id_count=3',
    'invalid iban: too short',
    'at 12:30:45',
  ])('keeps keys the property-key rule would keep, and prose: %j (same instance)', (text) => {
    expect(scrub(text)).toBe(text);
  });

  it('tests a RegExp key against the key as written, as properties do', () => {
    const byPattern = createStringScrubber([/^x-tenant$/i]);
    expect(byPattern('X-Tenant: acme-corp sent')).toBe(`X-Tenant: ${REDACTED} sent`);
    expect(byPattern('tenant=acme-corp')).toBe('tenant=acme-corp');
    // Next to a string key, whose words the pattern's key need not contain.
    expect(createStringScrubber(['tax_id', /^x-tenant$/i])('X-Tenant: acme-corp sent')).toBe(`X-Tenant: ${REDACTED} sent`);
  });

  it('leaves the unconfigured scrubber as it was', () => {
    expect(scrubString('tax_id=12-3456789')).toBe('tax_id=12-3456789');
  });

  it('is idempotent and agrees with scrubString wherever no redact.keys key appears (property)', () => {
    const parts = ['tax_id=', 'taxId', '"iban":', 'password=', ' ', '=', ':', '"', 'x', '1', '@', 'a.io', 'Bearer '];
    const text = fc.array(fc.constantFrom(...parts), { maxLength: 30 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, (t) => {
        const once = scrub(t);
        expect(scrub(once)).toBe(once);
        if (!/tax|iban/i.test(t)) expect(once).toBe(scrubString(t));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
