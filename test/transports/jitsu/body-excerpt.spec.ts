import { bodyExcerpt, MAX_EXCERPT_CHARS, secretsOf } from '../../../lib/transports/jitsu/body-excerpt.js';

describe('secretsOf', () => {
  it('covers the whole key and its secret part, longest first', () => {
    const secrets = secretsOf('kid:sec');
    expect(secrets).toEqual(expect.arrayContaining(['kid:sec', 'sec', 'kid%3Asec']));
    expect(secrets[0]).toBe('kid%3Asec');
    expect(secrets).not.toContain('kid');
  });

  it('a Classic token without a colon is one secret', () => {
    expect(secretsOf('token123')).toEqual(['token123']);
  });
});

describe('bodyExcerpt', () => {
  it('removes secrets before truncating, so none survives at the cut', () => {
    const secret = 'S3CRET-VALUE-0123456789';
    const text = `${'a'.repeat(MAX_EXCERPT_CHARS - 5)}${secret}`;
    const excerpt = bodyExcerpt(text, [secret]);
    expect(excerpt.length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS);
    expect(excerpt).not.toContain('S3CR');
  });

  it('collapses control characters and trims', () => {
    expect(bodyExcerpt('  a\r\n\tb\u2028c  ', [])).toBe('a b c');
  });

  it('keeps short bodies whole and marks truncation', () => {
    expect(bodyExcerpt('{"ok":false}', [])).toBe('{"ok":false}');
    const long = bodyExcerpt('x'.repeat(1000), [], 50);
    expect(long).toHaveLength(50);
    expect(long.endsWith('…')).toBe(true);
  });
});
