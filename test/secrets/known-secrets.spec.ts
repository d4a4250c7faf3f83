import { knownSecretSpellings, MIN_KNOWN_SECRET_LENGTH, removeKnownSecrets, withKnownSecrets } from '../../lib/privacy/known-secrets.js';
import { scrubString } from '../../lib/privacy/scrub-string.js';

const KEY = 'key-id-123:Sup3rSecretValue42';

describe('knownSecretSpellings', () => {
  it('is the whole key and its secret part, as written and URL-encoded, longest first', () => {
    expect(knownSecretSpellings(KEY)).toEqual(['key-id-123%3ASup3rSecretValue42', 'key-id-123:Sup3rSecretValue42', 'Sup3rSecretValue42']);
  });

  it('finds the secret of a key written padded, spaced or with extra colons; never the key id alone', () => {
    expect(knownSecretSpellings('  id-0001 : Sup3rSecretValue42 ')).toContain('Sup3rSecretValue42');
    expect(knownSecretSpellings('id-0001:Sup3rSecretValue42:extra-part')).toEqual(
      expect.arrayContaining(['id-0001:Sup3rSecretValue42:extra-part', 'Sup3rSecretValue42', 'extra-part']),
    );
    expect(knownSecretSpellings(KEY)).not.toContain('key-id-123');
    // Padding around the whole key is not part of it: the key as it appears in text is still found whole.
    expect(knownSecretSpellings(` ${KEY}\n`)).toEqual(knownSecretSpellings(KEY));
  });

  it('takes a key without a colon (a Classic token) whole', () => {
    expect(knownSecretSpellings('classic-server-token-77')).toEqual(['classic-server-token-77']);
  });

  it('skips parts too short to search for, and anything that is not a string', () => {
    expect(MIN_KNOWN_SECRET_LENGTH).toBe(8);
    expect(knownSecretSpellings('id:short')).toEqual(['id%3Ashort', 'id:short']);
    expect(knownSecretSpellings('i:s')).toEqual([]);
    expect(knownSecretSpellings(undefined)).toEqual([]);
    expect(knownSecretSpellings({ toString: () => KEY })).toEqual([]);
  });
});

describe('removeKnownSecrets', () => {
  const secrets = knownSecretSpellings(KEY);

  it('replaces every occurrence of the key or its secret', () => {
    expect(removeKnownSecrets(`X-Write-Key: ${KEY}; again Sup3rSecretValue42 and ${encodeURIComponent(KEY)}`, secrets)).toBe(
      'X-Write-Key: [REDACTED]; again [REDACTED] and [REDACTED]',
    );
  });

  it('removes the start of a secret that a truncation cut just before its "…"', () => {
    expect(removeKnownSecrets('jitsuUrl: got "key-id-123:Sup3rSecretVa…", expected a URL', secrets)).toBe(
      'jitsuUrl: got "[REDACTED]…", expected a URL',
    );
    expect(removeKnownSecrets('note …[truncated 3 chars] then Sup3rSecr…[truncated 9 chars]', secrets)).toBe(
      'note …[truncated 3 chars] then [REDACTED]…[truncated 9 chars]',
    );
    // MIN_KNOWN_SECRET_LENGTH characters left before the cut are still a start worth removing.
    expect(removeKnownSecrets('cut at Sup3rSec…', secrets)).toBe('cut at [REDACTED]…');
  });

  it('keeps text that only shares a short start with the secret, or none at all', () => {
    expect(removeKnownSecrets('the word Sup3rSe… is cut short', secrets)).toBe('the word Sup3rSe… is cut short');
    expect(removeKnownSecrets('nothing secret here…', secrets)).toBe('nothing secret here…');
    expect(removeKnownSecrets(KEY, [])).toBe(KEY);
  });
});

describe('withKnownSecrets', () => {
  it('removes the key, then applies the privacy rules', () => {
    const scrub = withKnownSecrets(scrubString, knownSecretSpellings(KEY));
    expect(scrub(`key ${KEY} for bob@example.com`)).toBe('key [REDACTED] for [REDACTED]@example.com');
  });

  it('is the scrubber itself when there is nothing to remove', () => {
    expect(withKnownSecrets(scrubString, [])).toBe(scrubString);
  });
});
