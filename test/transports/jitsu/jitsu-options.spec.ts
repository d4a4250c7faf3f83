import { DEFAULT_GZIP_MIN_BYTES } from '../../../lib/transports/jitsu/gzip-body.js';
import { resolveJitsuOptions, type JitsuTransportOptions } from '../../../lib/transports/jitsu/jitsu-options.js';

const KEY = 'kid:very-secret-value';

function errorOf(options: unknown): Error {
  try {
    resolveJitsuOptions(options as JitsuTransportOptions);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected resolveJitsuOptions to throw');
}

describe('resolveJitsuOptions', () => {
  it('applies defaults for Next', () => {
    expect(resolveJitsuOptions({ jitsuUrl: 'http://localhost:8080', writeKey: KEY })).toEqual({
      origin: 'http://localhost:8080',
      path: '/api/s/s2s/batch',
      protocol: 'next',
      writeKey: KEY,
      requestTimeoutMs: 10_000,
      gzipMinBytes: DEFAULT_GZIP_MIN_BYTES,
      connections: 4,
    });
  });

  it('keeps a path prefix and drops trailing slashes', () => {
    expect(resolveJitsuOptions({ jitsuUrl: 'https://example.com/jitsu/', writeKey: KEY })).toMatchObject({
      origin: 'https://example.com',
      path: '/jitsu/api/s/s2s/batch',
    });
    expect(resolveJitsuOptions({ jitsuUrl: 'http://localhost:8080/', writeKey: KEY }).path).toBe('/api/s/s2s/batch');
  });

  it('uses the Classic endpoint and accepts a plain token', () => {
    expect(resolveJitsuOptions({ jitsuUrl: 'http://h', writeKey: 'plain-token', protocol: 'classic' })).toMatchObject({
      origin: 'http://h',
      path: '/api/v1/s2s/event',
      protocol: 'classic',
    });
  });

  it('accepts explicit tuning', () => {
    expect(
      resolveJitsuOptions({ jitsuUrl: 'http://h', writeKey: KEY, requestTimeoutMs: 250, gzipMinBytes: 0, connections: 1 }),
    ).toMatchObject({ requestTimeoutMs: 250, gzipMinBytes: 0, connections: 1 });
    expect(resolveJitsuOptions({ jitsuUrl: 'http://h', writeKey: KEY, gzipMinBytes: Infinity }).gzipMinBytes).toBe(Infinity);
  });

  it.each([
    [{ writeKey: KEY }, /jitsuUrl is required/],
    [{ jitsuUrl: '', writeKey: KEY }, /jitsuUrl is required/],
    [{ jitsuUrl: 'not a url', writeKey: KEY }, /jitsuUrl is not a valid URL/],
    [{ jitsuUrl: 'ftp://h', writeKey: KEY }, /jitsuUrl must be an http:\/\/ or https:\/\/ URL/],
    [{ jitsuUrl: 'http://user:pw@h', writeKey: KEY }, /jitsuUrl must not contain credentials/],
    [{ jitsuUrl: 'http://h?token=abc', writeKey: KEY }, /jitsuUrl must not contain a query/],
    [{ jitsuUrl: 'http://h' }, /writeKey is required/],
    [{ jitsuUrl: 'http://h', writeKey: 'no-colon' }, /writeKey must be a server-to-server key "keyId:secret"/],
    [{ jitsuUrl: 'http://h', writeKey: 'id:' }, /writeKey must be a server-to-server key/],
    [{ jitsuUrl: 'http://h', writeKey: 'id:sec\nret' }, /writeKey contains whitespace, control characters or characters outside ASCII/],
    [{ jitsuUrl: 'http://h', writeKey: 'id:secret\u200b' }, /writeKey contains whitespace, control characters or characters outside ASCII/],
    [{ jitsuUrl: 'http://h', writeKey: KEY, protocol: 'v2' }, /protocol must be 'next' or 'classic'/],
    [{ jitsuUrl: 'http://h', writeKey: KEY, requestTimeoutMs: 0 }, /requestTimeoutMs must be a positive number/],
    [{ jitsuUrl: 'http://h', writeKey: KEY, requestTimeoutMs: 2 ** 31 }, /requestTimeoutMs must be a positive number/],
    [{ jitsuUrl: 'http://h', writeKey: KEY, gzipMinBytes: -1 }, /gzipMinBytes must be a number >= 0/],
    [{ jitsuUrl: 'http://h', writeKey: KEY, connections: 1.5 }, /connections must be a positive integer/],
  ])('refuses %j with a clear message', (options, message) => {
    const error = errorOf(options);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('very-secret-value');
  });

  it('never echoes the URL, which may hold a pasted token', () => {
    expect(errorOf({ jitsuUrl: 'http://h?token=leaked-token', writeKey: KEY }).message).not.toContain('leaked-token');
    expect(errorOf({ jitsuUrl: 'http://u:leaked-pass@h', writeKey: KEY }).message).not.toContain('leaked-pass');
  });

  it('refuses a non-object', () => {
    expect(errorOf(undefined).message).toMatch(/must be an object/);
  });
});
