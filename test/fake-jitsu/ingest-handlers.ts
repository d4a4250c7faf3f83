import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { AcceptedEvent } from './ingest-recorder.js';
import type { IngestRoute } from './ingest-routes.js';
import {
  classicEventId,
  classicEvents,
  decodeBody,
  eventErrorLine,
  isJsonContentType,
  isJsonObject,
  mergeBatchContext,
  parseBatchEnvelope,
  validateEvent,
  type DecodedBody,
} from './jitsu-protocol.js';
import type { FailureSpec } from './misbehaviour-script.js';

/** An answer decided by the protocol rules; the server writes it (possibly after a delay). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent verbatim as text/plain (only for scripted failures). */
  text?: string;
  /** Events to record when the reply is written. */
  accepted: AcceptedEvent[];
}

/** Jitsu's per-event error for an event its billing quota throttled (bulker's ErrThrottledType and description). */
export const THROTTLED = 'quota exceeded: billing quota exceeded, event throttled';

export interface IngestSettings {
  writeKey: string;
  classicToken: string;
  rejectedIds: ReadonlySet<string>;
  /** True when this receipt of the event is to be throttled (Jitsu's quota: retryable). */
  throttled: (messageId: string) => boolean;
  maxBatchEvents: number | undefined;
}

export interface IngestRequest {
  route: IngestRoute;
  headers: IncomingHttpHeaders;
  decoded: DecodedBody;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function decodeFor(route: IngestRoute, headers: IncomingHttpHeaders, body: Buffer): DecodedBody {
  return decodeBody(body, headerValue(headers, 'content-encoding'), route.kind === 'batch');
}

/** Events in the body, for the request log, whatever the answer turns out to be. */
export function countEvents(route: IngestRoute, decoded: DecodedBody): number {
  if (!decoded.ok) return 0;
  const json = decoded.json;
  if (route.kind === 'batch') return isJsonObject(json) && Array.isArray(json.batch) ? json.batch.length : 0;
  if (route.kind === 'single') return isJsonObject(json) ? 1 : 0;
  return classicEvents(json)?.length ?? 0;
}

export function handleIngest(request: IngestRequest, settings: IngestSettings): Reply {
  return request.route.kind === 'classic' ? handleClassic(request, settings) : handleNext(request, settings);
}

function handleNext({ route, headers, decoded }: IngestRequest, settings: IngestSettings): Reply {
  const key = headerValue(headers, 'x-write-key');
  if (key === undefined) return nextError(401, 'Write key is required (X-Write-Key header)');
  // The real server echoes the raw key; tests rely on it to prove clients never log this body.
  if (key !== settings.writeKey) return nextError(401, `Invalid write key: ${key}`);
  const contentType = headerValue(headers, 'content-type');
  if (!isJsonContentType(contentType)) {
    return nextError(400, `Content-Type must be application/json, got ${contentType ?? 'none'}`);
  }
  if (!decoded.ok) return nextError(400, decoded.error);
  if (route.kind === 'single') return handleSingle(route.type, decoded.json, settings);
  return handleBatch(decoded.json, settings);
}

function handleBatch(json: unknown, settings: IngestSettings): Reply {
  const envelope = parseBatchEnvelope(json);
  if (!envelope.ok) return nextError(400, envelope.error);
  const received = envelope.events.length;
  const max = settings.maxBatchEvents;
  if (max !== undefined && received > max) {
    return nextError(413, `Batch of ${received} events exceeds the limit of ${max} events`);
  }
  const accepted: AcceptedEvent[] = [];
  const errors: string[] = [];
  for (const value of envelope.events) {
    const verdict = validateEvent(value, settings.rejectedIds);
    if (verdict.ok && settings.throttled(verdict.messageId)) {
      errors.push(`Message ID: ${verdict.messageId}: ${THROTTLED}`);
    } else if (verdict.ok) {
      accepted.push({ messageId: verdict.messageId, event: mergeBatchContext(verdict.event, envelope.context) });
    } else {
      errors.push(eventErrorLine(verdict.messageId, verdict.reason));
    }
  }
  const json200 =
    errors.length === 0
      ? { ok: true, receivedEvents: received, okEvents: received }
      : { ok: false, receivedEvents: received, okEvents: accepted.length, errors };
  return { status: 200, json: json200, accepted };
}

/** The endpoint names the type: an event without one gets it, a contradicting one is refused. */
function handleSingle(type: string, json: unknown, settings: IngestSettings): Reply {
  if (!isJsonObject(json)) return nextError(400, 'Body must be one JSON event object');
  if (json.type !== undefined && json.type !== type) {
    return nextError(400, `Event type ${JSON.stringify(json.type)} does not match the endpoint type "${type}"`);
  }
  const verdict = validateEvent(json.type === undefined ? { type, ...json } : json, settings.rejectedIds);
  if (!verdict.ok) {
    const errors = [eventErrorLine(verdict.messageId, verdict.reason)];
    return { status: 200, json: { ok: false, receivedEvents: 1, okEvents: 0, errors }, accepted: [] };
  }
  return { status: 200, json: { ok: true }, accepted: [{ messageId: verdict.messageId, event: verdict.event }] };
}

function handleClassic({ route, headers, decoded }: IngestRequest, settings: IngestSettings): Reply {
  const token = (route.kind === 'classic' ? route.token : undefined) ?? headerValue(headers, 'x-auth-token');
  if (token === undefined) return classicError(401, 'Token is required (token query parameter or X-Auth-Token header)');
  if (token !== settings.classicToken) return classicError(401, `Invalid token: ${token}`);
  const contentType = headerValue(headers, 'content-type');
  if (!isJsonContentType(contentType)) {
    return classicError(400, `Content-Type must be application/json, got ${contentType ?? 'none'}`);
  }
  if (!decoded.ok) return classicError(400, decoded.error);
  const events = classicEvents(decoded.json);
  if (events === undefined) return classicError(400, 'Body must be a JSON array of events or one event object');
  const max = settings.maxBatchEvents;
  if (max !== undefined && events.length > max) {
    return classicError(413, `Batch of ${events.length} events exceeds the limit of ${max} events`);
  }
  const accepted: AcceptedEvent[] = [];
  for (const [index, event] of events.entries()) {
    if (!isJsonObject(event)) return classicError(400, `Event #${index} is not a JSON object`);
    const messageId = classicEventId(event);
    if (messageId === undefined) return classicError(400, `Event #${index} has no messageId or eventn_ctx_event_id`);
    accepted.push({ messageId, event });
  }
  return { status: 200, json: { status: 'ok' }, accepted };
}

const FAILURE_REASONS: Record<number, string> = {
  402: 'Quota exceeded',
  429: 'Too many requests',
  500: 'Failed to write event to the producer',
};

/** A scripted failure, in the body shape of the endpoint it answers. */
export function failureReply(route: IngestRoute, failure: FailureSpec): Reply {
  const headers: Record<string, string> = failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter };
  if (failure.rawBody !== undefined) return { status: failure.status, headers, text: failure.rawBody, accepted: [] };
  const reason = FAILURE_REASONS[failure.status] ?? STATUS_CODES[failure.status] ?? `HTTP ${failure.status}`;
  const fallback = route.kind === 'classic' ? { status: 'error', message: reason } : { ok: false, error: reason };
  return { status: failure.status, headers, json: failure.body ?? fallback, accepted: [] };
}

export function notFoundReply(path: string): Reply {
  return nextError(404, `Not found: ${path}`);
}

export function methodNotAllowedReply(method: string): Reply {
  return { ...nextError(405, `Method ${method} not allowed`), headers: { allow: 'POST' } };
}

function nextError(status: number, error: string): Reply {
  return { status, json: { ok: false, error }, accepted: [] };
}

function classicError(status: number, message: string): Reply {
  return { status, json: { status: 'error', message }, accepted: [] };
}
