import { REDACTED } from './redaction-markers.js';

/** Configured secrets shorter than this are not searched for: they would match ordinary text. */
export const MIN_KNOWN_SECRET_LENGTH = 8;

/**
 * What to remove of the write key wherever it turns up (an event, an error message): no pattern
 * recognises it (a Jitsu key is two random runs joined by a colon), so it is searched for
 * literally. That is the whole key as written and every run of it after its first colon (the
 * secret of `keyId:secret`, also when the key was written padded or with extra colons; the key id
 * names the key but opens nothing), or every run of a key without a colon (a Classic token), each
 * as written and URL-encoded. Longest first, so the whole key is replaced before a part of it
 * could split it.
 */
export function knownSecretSpellings(writeKey: unknown): string[] {
  if (typeof writeKey !== 'string') return [];
  const key = writeKey.trim();
  const colon = key.indexOf(':');
  const secretPart = colon >= 0 ? key.slice(colon + 1) : key;
  const parts = [key, ...secretPart.split(/[\s:]+/)];
  const spellings = parts.flatMap((part) => [part, encodeURIComponent(part)]).filter((s) => s.length >= MIN_KNOWN_SECRET_LENGTH);
  return [...new Set(spellings)].sort((a, b) => b.length - a.length);
}

/**
 * Every known secret in `text` replaced by "[REDACTED]", and so is the start of one that a
 * truncation cut short just before its "…" marker (event strings and quoted option values are cut
 * to a length before they are scrubbed).
 */
export function removeKnownSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out.includes(TRUNCATION_MARK) ? removeCutSecrets(out, secrets) : out;
}

const TRUNCATION_MARK = '…';

function removeCutSecrets(text: string, secrets: readonly string[]): string {
  let out = '';
  let copied = 0;
  for (let mark = text.indexOf(TRUNCATION_MARK); mark >= 0; mark = text.indexOf(TRUNCATION_MARK, mark + 1)) {
    let cut = 0;
    for (const secret of secrets) {
      for (let k = Math.min(secret.length - 1, mark - copied); k >= MIN_KNOWN_SECRET_LENGTH && k > cut; k--) {
        if (text.startsWith(secret.slice(0, k), mark - k)) {
          cut = k;
          break;
        }
      }
    }
    if (cut > 0) {
      out += text.slice(copied, mark - cut) + REDACTED;
      copied = mark;
    }
  }
  return out + text.slice(copied);
}

/** `scrub`, run after every known secret has been replaced by "[REDACTED]". */
export function withKnownSecrets(scrub: (text: string) => string, secrets: readonly string[]): (text: string) => string {
  if (secrets.length === 0) return scrub;
  return (text) => scrub(removeKnownSecrets(text, secrets));
}
