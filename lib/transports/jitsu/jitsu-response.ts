import { DeliveryError } from '../delivery-error.js';
import type { DeliveryResult } from '../transport.interface.js';
import { bodyExcerpt } from './body-excerpt.js';
import { parsePartialFailures } from './partial-failures.js';
import { parseRetryAfter } from './retry-after.js';

export type JitsuProtocol = 'next' | 'classic';

/**
 * Jitsu's per-event errors that say "not now" rather than "never": `quota exceeded: …, event
 * throttled`, `… producer error`. Anchored, so an error quoting an event's own text is not one.
 */
const TRANSIENT_EVENT_ERROR = /^\s*quota exceeded\b|\bevent throttled\s*$|\bproducer error\s*$/i;

/**
 * A delivery outcome plus what Jitsu said that could not be tied to an event (an `ok:false`
 * without parsable ids, an unexpected 2xx body). Those events count as sent — Jitsu answered 2xx
 * and resending would duplicate the accepted ones — but the text is kept for whoever reports.
 */
export interface JitsuDeliveryResult extends DeliveryResult {
  warnings?: string[];
}

export interface JitsuAnswer {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The response body as text (possibly cut short by the caller). */
  body: string;
}

export interface JitsuRequestFacts {
  protocol: JitsuProtocol;
  /** The messageIds that were sent. */
  messageIds: ReadonlySet<string>;
  /** Strings that must never be quoted back (see `secretsOf`). */
  secrets: readonly string[];
  /** Origin plus path, for messages (never holds a secret: credentials in jitsuUrl are refused). */
  endpoint: string;
  bytes: number;
  now?: number;
}

/** What an answer from Jitsu means for the batch: delivered (maybe partly) or a `DeliveryError`. */
export function classifyJitsuResponse(answer: JitsuAnswer, facts: JitsuRequestFacts): JitsuDeliveryResult | DeliveryError {
  const { status } = answer;
  if (status >= 200 && status < 300) return notJitsu(answer, facts) ?? classifySuccess(answer, facts);

  if (status === 401 || status === 403) {
    // The real server echoes the raw key in this body: it is never read into the message.
    const what =
      facts.protocol === 'classic'
        ? 'check writeKey — with protocol "classic" it must be a server-to-server (s2s) token'
        : 'check writeKey — it must be a server-to-server key "keyId:secret"';
    const subject = facts.protocol === 'classic' ? 'server token' : 'write key';
    return new DeliveryError(`Jitsu rejected the ${subject} (HTTP ${status}): ${what}`, {
      status,
      retryable: false,
      dropReason: 'unauthorized',
    });
  }
  if (status === 413) {
    return new DeliveryError(
      `Jitsu refused the batch as too large (HTTP 413, ${facts.messageIds.size} events, ${facts.bytes} bytes)`,
      { status, retryable: false, tooLarge: true, dropReason: 'too_large' },
    );
  }
  if (isRetryableStatus(status)) {
    const retryAfterMs = parseRetryAfter(answer.headers['retry-after'], facts.now);
    const label = status === 402 ? 'quota exceeded' : 'temporarily unavailable';
    return new DeliveryError(`Jitsu ${label} (HTTP ${status})${quote(answer, facts)}`, {
      status,
      retryable: true,
      retryAfterMs,
    });
  }
  const hint = describeFinalStatus(status, facts);
  return new DeliveryError(`Jitsu refused the batch (HTTP ${status})${hint}${quote(answer, facts)}`, {
    status,
    retryable: false,
    dropReason: 'rejected',
  });
}

/** 402 (quota), 408, 429 and 5xx are worth retrying, except 501/505, which no retry can fix. */
export function isRetryableStatus(status: number): boolean {
  if (status === 402 || status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/**
 * A 2xx whose body is not Jitsu's answer (`{"ok": …}` from the batch endpoint; for Classic, any
 * JSON object): an HTML page, a proxy's or another service's JSON. Something other than Jitsu took
 * the events, so they are not counted as sent: they are dropped as `rejected` and announced, like a
 * 404 (retrying would not reach Jitsu either). An empty body is still taken as delivered, and so
 * is a Classic JSON object of any shape (it warns when its status is not "ok").
 *
 * A JSON object that does not parse is an answer cut short: an answer framed by the end of the
 * connection (no length, not chunked) arrives "complete" however early the connection dropped.
 * Whether Jitsu took the batch is unknown, so it is sent again (Jitsu and the warehouses
 * deduplicate on `messageId`).
 */
function notJitsu(answer: JitsuAnswer, facts: JitsuRequestFacts): DeliveryError | undefined {
  if (answer.body.trim() === '') return undefined;
  const parsed = parseJson(answer.body);
  if (isRecord(parsed) && (facts.protocol === 'classic' || typeof parsed.ok === 'boolean')) return undefined;
  if (parsed === undefined && answer.body.trimStart().startsWith('{')) {
    return new DeliveryError(`Jitsu's answer from ${facts.endpoint} was cut short (HTTP ${answer.status}, the JSON body ends early); the batch is sent again`, {
      status: answer.status,
      retryable: true,
    });
  }
  return new DeliveryError(
    `Jitsu's batch endpoint answered HTTP ${answer.status} with a body that is not Jitsu's at ${facts.endpoint}: check jitsuUrl${quote(answer, facts)}`,
    { status: answer.status, retryable: false, dropReason: 'rejected' },
  );
}

function classifySuccess(answer: JitsuAnswer, facts: JitsuRequestFacts): JitsuDeliveryResult {
  if (answer.body.trim() === '') return {};
  // `notJitsu` let only JSON objects through.
  const parsed = parseJson(answer.body) as Record<string, unknown>;
  if (facts.protocol === 'classic') {
    if (parsed.status === undefined || parsed.status === 'ok') return {};
    return { warnings: [`Jitsu Classic answered HTTP ${answer.status} without status "ok"${quote(answer, facts)}`] };
  }
  if (parsed.ok !== false) return {};

  const { rejected: failures, unmatched } = parsePartialFailures(parsed.errors, facts.messageIds, facts.secrets);
  // Quota throttling and a failing Kafka producer are what the single-event endpoint answers 402
  // and 500 for, both retried; the batch endpoint lists them among its per-event errors instead.
  const retry = failures.filter((f) => TRANSIENT_EVENT_ERROR.test(f.reason));
  const rejected = retry.length === 0 ? failures : failures.filter((f) => !TRANSIENT_EVENT_ERROR.test(f.reason));
  const warnings = unmatched.map((line) => `Jitsu reported an error for no event of this batch: ${line}`);
  const reportedFailures = failedCount(parsed);
  if (reportedFailures !== undefined && reportedFailures > failures.length) {
    warnings.push(
      `Jitsu counted ${reportedFailures} rejected events but named ${failures.length} of this batch; the rest count as sent`,
    );
  } else if (failures.length === 0 && unmatched.length === 0) {
    warnings.push(`Jitsu answered ok:false without naming any event${quote(answer, facts)}`);
  }
  const result: JitsuDeliveryResult = {};
  if (rejected.length > 0) result.rejected = rejected;
  if (retry.length > 0) result.retry = retry;
  if (warnings.length > 0) result.warnings = warnings;
  return result;
}

function failedCount(body: Record<string, unknown>): number | undefined {
  const { receivedEvents, okEvents } = body;
  if (typeof receivedEvents !== 'number' || typeof okEvents !== 'number') return undefined;
  return receivedEvents - okEvents;
}

function describeFinalStatus(status: number, facts: JitsuRequestFacts): string {
  if (status === 404 || status === 405) {
    return ` at ${facts.endpoint}: check jitsuUrl and protocol ("${facts.protocol}")`;
  }
  if (status >= 300 && status < 400) return ` with a redirect from ${facts.endpoint}: check jitsuUrl`;
  if (status === 501 || status === 505) return `: the server does not support this request`;
  return '';
}

function quote(answer: JitsuAnswer, facts: JitsuRequestFacts): string {
  const excerpt = bodyExcerpt(answer.body, facts.secrets);
  return excerpt === '' ? '' : `: ${excerpt}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
