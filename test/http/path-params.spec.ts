import { redactParamValues, redactPathParams, sensitiveSegments, redactedValues } from '../../lib/http/path-params.js';
import { createKeyMatcher } from '../../lib/privacy/sensitive-keys.js';

const isSensitive = createKeyMatcher([]);
const redacted = (path: string, route: string) => redactPathParams(path, route, sensitiveSegments(route, isSensitive));

describe('route parameters named like secrets', () => {
  it.each([
    ['/reset/4f1c9a', '/reset/:token', '/reset/[REDACTED]'],
    ['/api/invites/abc/accept', '/api/invites/:inviteToken/accept', '/api/invites/[REDACTED]/accept'],
    ['/keys/k1/secrets/s2', '/keys/:apiKey/secrets/:secret', '/keys/[REDACTED]/secrets/[REDACTED]'],
    ['/confirm/xyz', '/confirm/:token?', '/confirm/[REDACTED]'],
    ['/otp/123456', '/otp/:otp(\\d+)', '/otp/[REDACTED]'],
  ])('%s on %s → %s', (path, route, expected) => {
    expect(redacted(path, route)).toBe(expected);
  });

  it.each([
    ['/users/42', '/users/:id'],
    ['/orders/7/items/3', '/orders/:orderId/items/:itemId'],
    ['/tokenizer/v2', '/tokenizer/:version'],
    ['/static/a.css', '/static/a.css'],
  ])('keeps %s on %s, which has no such parameter', (path, route) => {
    expect(redacted(path, route)).toBe(path);
  });

  it.each([
    ['/reset/abc/', '/reset/:token', 'a trailing slash'],
    ['/files/a/b/tok', '/files/*path/:token', 'a wildcard'],
    ['/reset/x', '/reset{/:token}', 'an optional group'],
  ])('sends the route instead of %s, when the path cannot be lined up (%s)', (path, route) => {
    expect(redacted(path, route)).toBe(route);
  });

  it('honours redact.keys', () => {
    const extra = createKeyMatcher(['tenant']);
    expect(redactPathParams('/t/acme/x', '/t/:tenant/x', sensitiveSegments('/t/:tenant/x', extra))).toBe('/t/[REDACTED]/x');
  });
});

describe('parameters without their route', () => {
  it('replaces the segments spelling a sensitive parameter, decoded or not, and keeps the rest', () => {
    expect(redactParamValues('/api/reset/4f1c%209a/4f1c', { token: '4f1c 9a', id: '4f1c' }, isSensitive)).toBe('/api/reset/[REDACTED]/4f1c');
    expect(redactParamValues('/api/users/42', { id: '42' }, isSensitive)).toBe('/api/users/42');
    expect(redactParamValues('/api/keys/%E0%A4%A', { apiKey: '%E0%A4%A' }, isSensitive)).toBe('/api/keys/[REDACTED]');
    expect(redactParamValues('/api/x', {}, isSensitive)).toBe('/api/x');
  });

  it('an empty sensitive parameter (an optional one left out) redacts nothing: empty segments are not its value', () => {
    expect(redactParamValues('/api/confirm/', { token: '' }, isSensitive)).toBe('/api/confirm/');
  });
});

describe('redactedValues', () => {
  it('gives each value redaction took out of a path, as sent and decoded, longest first', () => {
    expect(redactedValues('/reset/ab%2Fcd9/x', '/reset/[REDACTED]/x')).toEqual(['ab%2Fcd9', 'ab/cd9']);
  });

  it('gives the whole path when it was replaced by its route, and nothing when nothing was redacted', () => {
    expect(redactedValues('/files/a/b/c', '/files/*path')).toEqual(['/files/a/b/c']);
    expect(redactedValues('/users/42', '/users/42')).toEqual([]);
  });

  it('leaves values too short to replace safely in a message', () => {
    expect(redactedValues('/pin/42', '/pin/[REDACTED]')).toEqual([]);
  });
});
