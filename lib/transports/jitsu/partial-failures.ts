import { bodyExcerpt } from './body-excerpt.js';

export interface PartialFailures {
  /** The batch's events Jitsu named as refused, each once, in the order Jitsu listed them. */
  readonly rejected: Array<{ messageId: string; reason: string }>;
  /** Error lines that named no event of this batch (already scrubbed and shortened). */
  readonly unmatched: string[];
}

const MESSAGE_ID_PREFIX = /Message ID:\s*/i;

/**
 * Reads Jitsu Next's per-event errors (`"errors": ["Message ID: <id>: event error: <why>", ...]`).
 * Only ids that belong to the batch count: a line naming anything else cannot be attributed and
 * must not make the pipeline drop an event Jitsu accepted.
 */
export function parsePartialFailures(
  errors: unknown,
  batchIds: ReadonlySet<string>,
  secrets: readonly string[],
): PartialFailures {
  const rejected: Array<{ messageId: string; reason: string }> = [];
  const unmatched: string[] = [];
  const seen = new Set<string>();
  for (const line of Array.isArray(errors) ? errors : []) {
    // Lines come from JSON.parse, so anything that is not a string re-serialises safely.
    const text = typeof line === 'string' ? line : JSON.stringify(line);
    const parsed = parseLine(text);
    if (parsed && batchIds.has(parsed.messageId)) {
      if (!seen.has(parsed.messageId)) {
        seen.add(parsed.messageId);
        rejected.push({ messageId: parsed.messageId, reason: bodyExcerpt(parsed.reason, secrets) });
      }
    } else {
      unmatched.push(bodyExcerpt(text, secrets));
    }
  }
  return { rejected, unmatched };
}

function parseLine(text: string): { messageId: string; reason: string } | undefined {
  const prefix = MESSAGE_ID_PREFIX.exec(text);
  if (!prefix) return undefined;
  const rest = text.slice(prefix.index + prefix[0].length);
  // The id ends at the first ": " (ids are UUIDs; a bare "id:" at the end of the line also ends it).
  const end = rest.search(/:(\s|$)/);
  const messageId = (end < 0 ? rest : rest.slice(0, end)).trim();
  if (messageId === '') return undefined;
  const reason = end < 0 ? '' : rest.slice(end + 1).trim();
  return { messageId, reason: reason === '' ? 'rejected by Jitsu' : reason };
}

