/**
 * The longest wait a `Retry-After` may impose. A server (or a proxy in front of it) asking for
 * hours would otherwise park the queue until it overflows; past this the pipeline's own backoff
 * and attempt bounds decide.
 */
export const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

const DELAY_SECONDS = /^-?\d+(?:\.\d+)?$/;
// RFC 9110 §5.6.7: IMF-fixdate, plus the two obsolete forms recipients must still accept.
// `Date.parse` alone is far too lenient ("foo 1" is a valid date to V8), hence the shapes.
const IMF_FIXDATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC850_DATE = /^[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * Milliseconds to wait from a `Retry-After` header (delay-seconds or HTTP-date), clamped to
 * `[0, MAX_RETRY_AFTER_MS]`; `undefined` when absent or unparsable. When the header is repeated,
 * the first usable value wins.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const parsed = parseRetryAfter(item, now);
      if (parsed !== undefined) return parsed;
    }
    return undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (DELAY_SECONDS.test(text)) return clamp(Number(text) * 1000);
  const at = parseHttpDate(text);
  return at === undefined ? undefined : clamp(at - now);
}

function parseHttpDate(text: string): number | undefined {
  let candidate: string;
  if (IMF_FIXDATE.test(text) || RFC850_DATE.test(text)) candidate = text;
  else if (ASCTIME_DATE.test(text)) candidate = `${text} GMT`; // asctime carries no zone but means GMT
  else return undefined;
  const ms = Date.parse(candidate);
  return Number.isFinite(ms) ? ms : undefined;
}

function clamp(ms: number): number | undefined {
  if (!Number.isFinite(ms)) return ms > 0 ? MAX_RETRY_AFTER_MS : undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(ms)));
}
