import { scrubEmbeddedCredentials } from './scrub-string.js';
import type { ScannedToken, SqlToken } from './sql-tokens.js';

const VALUE: SqlToken = Object.freeze({ kind: 'value', text: '?' });
/** Characters that open or close literals: source holding one is never handed to the credential rules. */
const DELIMITERS = /['"`$\\]/;

/**
 * Names are kept as written, so a credential that malformed or injected SQL leaves outside its
 * literals would be kept too, and once the fingerprint spaces its tokens (`postgres: // u: pw @
 * host`) the scrubber that runs on every event string no longer recognises a URL's password, a
 * JWT or an e-mail address. The scrubber's rules for those three run here, after the statement is
 * read, on two kinds of text only, so no rule can consume a quote and shift the literals:
 * - the inside of a quoted name (`"bob@x.io"` keeps its quotes: `"[REDACTED]@x.io"`);
 * - a run of code tokens written without spaces between them and without a literal
 *   (`bob.smith@example.com`, `postgres://app:pw@db`), which becomes one `?` when a rule matches.
 */
export function maskCredentials(src: string, tokens: readonly ScannedToken[]): SqlToken[] {
  const out: SqlToken[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (!isCode(src, token)) {
      out.push(token.kind === 'quoted' ? scrubQuoted(token) : token);
      i++;
      continue;
    }
    let end = i + 1;
    while (end < tokens.length && tokens[end].start === tokens[end - 1].end && isCode(src, tokens[end])) end++;
    const text = src.slice(token.start, tokens[end - 1].end);
    if (scrubEmbeddedCredentials(text) !== text) {
      out.push(VALUE);
      i = end;
    }
    while (i < end) out.push(tokens[i++]);
  }
  return out;
}

/** Keywords, names, operators, punctuation, numbers and placeholders: not a quoted name or a string. */
function isCode(src: string, token: ScannedToken): boolean {
  return token.kind !== 'quoted' && token.end > token.start && !DELIMITERS.test(src.slice(token.start, token.end));
}

function scrubQuoted(token: ScannedToken): SqlToken {
  const inside = token.text.slice(1, -1);
  const scrubbed = scrubEmbeddedCredentials(inside);
  return scrubbed === inside ? token : { kind: 'quoted', text: `${token.text[0]}${scrubbed}${token.text[token.text.length - 1]}` };
}
