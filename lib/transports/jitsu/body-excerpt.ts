/** How much of a response body an error message may quote. */
export const MAX_EXCERPT_CHARS = 200;

const REDACTED = '[redacted]';

/**
 * The secrets to scrub from anything quoted back from Jitsu: the whole key and, for a Next key
 * `keyId:secret`, the secret part on its own (servers and proxies echo either), each also in the
 * JSON-escaped and URL-encoded spellings a body may carry.
 */
export function secretsOf(writeKey: string): string[] {
  const colon = writeKey.indexOf(':');
  const parts = colon >= 0 ? [writeKey, writeKey.slice(colon + 1)] : [writeKey];
  const spellings = parts.flatMap((part) => [part, JSON.stringify(part).slice(1, -1), encodeURIComponent(part)]);
  // Longest first, so the whole key is replaced before its secret part could split it.
  return [...new Set(spellings.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
}

/**
 * A short, single-line quote of a response body with every secret removed, safe for an error
 * message. Secrets are removed before truncating, so a key cut at the boundary cannot survive.
 */
export function bodyExcerpt(text: string, secrets: readonly string[], maxChars: number = MAX_EXCERPT_CHARS): string {
  let clean = text;
  for (const secret of secrets) clean = clean.split(secret).join(REDACTED);
  // Control characters would let a body forge extra log lines.
  clean = clean.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return clean.length <= maxChars ? clean : `${clean.slice(0, maxChars - 1)}…`;
}
