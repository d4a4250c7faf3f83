import { Sanitizer, SanitizeOptions, Verbatim } from '../../lib/events/sanitize.js';
import { scrubString } from '../../lib/privacy/scrub-string.js';
import { createKeyMatcher } from '../../lib/privacy/sensitive-keys.js';

const options: SanitizeOptions = {
  isSensitiveKey: (key) => /password|token/i.test(key),
  scrub: (s) => s.replace(/secret-\w+/g, '[X]'),
  maxStringLength: 20,
  maxDepth: 4,
  maxArrayLength: 5,
  maxEntries: 20,
};

const clean = (value: unknown) => {
  const sanitizer = new Sanitizer(options);
  return { out: sanitizer.sanitize(value), report: sanitizer.report };
};

describe('Sanitizer', () => {
  it('returns a detached copy: later mutation of the input changes nothing', () => {
    const input = { a: { b: [1, 2] } };
    const { out } = clean(input);
    input.a.b.push(3);
    expect(out).toEqual({ a: { b: [1, 2] } });
  });

  it('replaces a cycle with "[Circular]" but keeps shared references', () => {
    const shared = { n: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    const { out, report } = clean(cyclic);
    expect(out).toEqual({ shared: { n: 1 }, again: { n: 1 }, self: '[Circular]' });
    expect(report.unserialisable).toBe(1);
  });

  it('turns non-JSON values into documented stand-ins', () => {
    const { out } = clean({
      big: 10n ** 20n,
      sym: Symbol('s'),
      fn: () => 1,
      undef: undefined,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      invalidDate: new Date('nope'),
      date: new Date('2026-01-02T03:04:05.000Z'),
      map: new Map([['k', 1]]),
      set: new Set([1, 2]),
      buf: Buffer.from('abc'),
      err: new TypeError('bad'),
      arr: [undefined, () => 1, Symbol('x')],
    });
    expect(out).toEqual({
      big: '100000000000000000000',
      nan: null,
      inf: null,
      invalidDate: null,
      date: '2026-01-02T03:04:05.000Z',
      map: { k: 1 },
      set: [1, 2],
      buf: '[binary 3 bytes]',
      err: { name: 'TypeError', message: 'bad' },
      arr: [null, null, null],
    });
  });

  it('redacts sensitive keys wherever they are, and scrubs every string', () => {
    const { out } = clean({ password: 'hunter2', nested: { accessToken: 'abc', note: 'secret-abc here' }, list: [{ token: 1 }] });
    expect(out).toEqual({ password: '[REDACTED]', nested: { accessToken: '[REDACTED]', note: '[X] here' }, list: [{ token: '[REDACTED]' }] });
  });

  it('redacts card numbers held as numbers or bigints, and keeps timestamps and ordinary numbers', () => {
    const sanitizer = new Sanitizer({ ...options, scrub: scrubString });
    const out = sanitizer.sanitize({ visa: 4111111111111111, amex: 378282246310005, mc: 5555555555554444n, discover: 6011111111111117, ms: 1764288000005, us: 1764288000000005, n: 4111111111111112 });
    expect(out).toEqual({ visa: '[REDACTED_CARD]', amex: '[REDACTED_CARD]', mc: '[REDACTED_CARD]', discover: '[REDACTED_CARD]', ms: 1764288000005, us: 1764288000000005, n: 4111111111111112 });
  });

  it('applies the privacy rules before cutting, so an address or a token straddling the cut leaves nothing of itself', () => {
    const sanitizer = new Sanitizer({ ...options, scrub: scrubString, maxStringLength: 24 });
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXN0cmluZw';
    const out = sanitizer.sanitize({ note: 'mail bob.smith@example.com today', auth: `Bearer ${jwt}`, [`key ${jwt}`]: 1 }) as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toMatch(/bob|smith|eyJ|c2ln/);
    expect(out.note).toBe('mail [REDACTED]@example.…[truncated 8 chars]');
    expect(sanitizer.report.truncated).toBe(3);
  });

  it('scrubs strings longer than the memo holds but shorter than the cut', () => {
    const sanitizer = new Sanitizer({ ...options, scrub: scrubString, maxStringLength: 1000 });
    const note = `${'x '.repeat(200)}password=hunter2 for bob@example.com`;
    const out = sanitizer.sanitize({ note }) as Record<string, string>;
    expect(out.note).toBe(`${'x '.repeat(200)}password=[REDACTED] for [REDACTED]@example.com`);
  });

  it('scrubs the name and message of an Error held in a property', () => {
    const sanitizer = new Sanitizer({ ...options, scrub: scrubString, maxStringLength: 200 });
    const err = new Error('login as bob@example.com failed: password=hunter2');
    err.name = 'Bearer abc123';
    expect(sanitizer.sanitize({ err })).toEqual({ err: { name: 'Bearer [REDACTED]', message: 'login as [REDACTED]@example.com failed: password=[REDACTED]' } });
  });

  it('sends a Verbatim string unscrubbed but still cuts it, counting the cut', () => {
    const sanitizer = new Sanitizer({ ...options, scrub: scrubString });
    const out = sanitizer.sanitize({ to: new Verbatim('ada@example.com'), long: new Verbatim('bob.smith@example.com') });
    expect(out).toEqual({ to: 'ada@example.com', long: 'bob.smith@example.com'.slice(0, 20) + '…[truncated 1 chars]' });
    expect(sanitizer.report.truncated).toBe(1);
  });

  it("keeps every entry of an event's own property bag, however many, and cuts only nested objects", () => {
    const sanitizer = new Sanitizer({ ...options, maxEntries: 2 });
    const out = sanitizer.sanitizeProperties({ a: 1, b: 2, c: 3, nested: { x: 1, y: 2, z: 3 } });
    expect(out).toEqual({ a: 1, b: 2, c: 3, nested: { x: 1, y: 2 } });
    expect(sanitizer.report.truncated).toBe(1);
  });

  it('redacts the value of a key that is sensitive as written, even when the privacy rules rewrite the key', () => {
    const sanitizer = new Sanitizer({ ...options, isSensitiveKey: createKeyMatcher(), scrub: scrubString, maxStringLength: 200 });
    expect(sanitizer.sanitize({ 'Bearer token_1': 'hunter2' })).toEqual({ 'Bearer [REDACTED]': '[REDACTED]' });
  });

  it('scrubs object keys as well as values', () => {
    expect(clean({ 'secret-abc': 1, nested: new Map([['secret-def', 2]]) }).out).toEqual({ '[X]': 1, nested: { '[X]': 2 } });
  });

  it('cuts long strings and long arrays, counting each as truncated', () => {
    const { out, report } = clean({ s: 'a'.repeat(2_000_000), a: [1, 2, 3, 4, 5, 6, 7] });
    expect(out).toEqual({ s: `${'a'.repeat(20)}…[truncated 1999980 chars]`, a: [1, 2, 3, 4, 5, '…[2 more items]'] });
    expect(report.truncated).toBe(2);
  });

  it('keeps at most maxEntries entries of an object or a Map, and cuts long keys before scrubbing them, counting each cut', () => {
    const many = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, i]));
    const map = new Map(Array.from({ length: 8 }, (_, i) => [`m${i}`, i]));
    const sanitizer = new Sanitizer({ ...options, maxEntries: 5 });
    const out = sanitizer.sanitize({ many, map, ['k'.repeat(30)]: 1 }) as Record<string, Record<string, number>>;
    expect(Object.keys(out.many)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    expect(Object.keys(out.map)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(Object.keys(out)).toContain(`${'k'.repeat(20)}…[truncated 10 chars]`);
    expect(sanitizer.report.truncated).toBe(3);
  });

  it('stops at maxDepth', () => {
    expect(clean({ a: { b: { c: { d: { e: 1 } } } } }).out).toEqual({ a: { b: { c: { d: '[MaxDepth]' } } } });
  });

  it('survives throwing getters, throwing toJSON and hostile proxies', () => {
    const getter = Object.defineProperty({ sibling: 2 }, 'x', { enumerable: true, get: () => { throw new Error('boom'); } });
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } });
    const { out } = clean({ getter, toJson: { toJSON: () => { throw new Error('nope'); } }, proxy, ok: 1 });
    // A throwing getter costs its own field only; its siblings stay.
    expect(out).toEqual({ getter: { sibling: 2, x: '[Unreadable]' }, toJson: '[Unreadable]', proxy: '[Unreadable]', ok: 1 });
  });

  it('handles top-level primitives and null', () => {
    expect(clean(null).out).toBeNull();
    expect(clean(undefined).out).toBeNull();
    expect(clean('secret-x').out).toBe('[X]');
  });

  it('scrubs a recurring string once and gives every later event the same scrubbed text, still counting each cut', () => {
    const scrubbed: string[] = [];
    const scrub = (text: string) => (scrubbed.push(text), options.scrub(text));
    const sanitizer = new Sanitizer({ ...options, scrub });
    const events = Array.from({ length: 3 }, () => sanitizer.sanitize({ route: 'a secret-1 b', long: 'secret-2'.repeat(4) }));
    expect(events).toEqual(Array.from({ length: 3 }, () => ({ route: 'a [X] b', long: '[X]-2[X]-2…[truncated 12 chars]' })));
    expect(scrubbed.filter((text) => text === 'a secret-1 b')).toHaveLength(1);
    expect(sanitizer.report.truncated).toBe(3);
  });
});
