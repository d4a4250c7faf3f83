import { gunzipSync } from 'node:zlib';

/**
 * The rules of Jitsu's ingest protocol (DESIGN.md, "The Jitsu wire protocol"), as pure functions
 * so the fake server answers exactly as the real one would and each rule can be read in one place.
 */

export type JsonObject = Record<string, unknown>;

/** Jitsu refuses a single event whose JSON is larger than this. */
export const MAX_EVENT_BYTES = 1_000_000;
/** Longest `event` name of a `track` event Jitsu accepts. */
export const MAX_EVENT_NAME_CHARS = 128;
/** The Segment-style types that have their own `/api/s/s2s/{type}` endpoint. */
export const SINGLE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'track',
  'identify',
  'page',
  'group',
  'alias',
  'screen',
]);

/** A decoded gzip body larger than this is refused, so a test cannot exhaust memory by accident. */
const MAX_DECODED_BYTES = 256 * 1024 * 1024;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parameters such as `; charset=utf-8` are allowed, the media type itself is not negotiable. */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(';')[0].trim().toLowerCase() === 'application/json';
}

export type DecodedBody = { ok: true; json: unknown } | { ok: false; error: string };

/**
 * Undoes the content encoding and parses JSON. Only the batch endpoint accepts gzip; `identity`
 * is the absence of an encoding, so it is accepted everywhere.
 */
export function decodeBody(
  body: Buffer,
  contentEncoding: string | undefined,
  gzipAllowed: boolean,
): DecodedBody {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  let raw = body;
  if (encoding === 'gzip') {
    if (!gzipAllowed) return { ok: false, error: 'Content-Encoding gzip is not supported on this endpoint' };
    try {
      raw = gunzipSync(body, { maxOutputLength: MAX_DECODED_BYTES });
    } catch (error) {
      return { ok: false, error: `Invalid gzip body: ${(error as Error).message}` };
    }
  } else if (encoding !== 'identity') {
    return { ok: false, error: `Unsupported Content-Encoding: ${encoding}` };
  }
  try {
    return { ok: true, json: JSON.parse(raw.toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, error: `Invalid JSON body: ${(error as Error).message}` };
  }
}

export type EventVerdict =
  | { ok: true; messageId: string; event: JsonObject }
  | { ok: false; messageId: string; reason: string };

/** Id used in error lines for an event that has none, so the line format stays parseable. */
export const MISSING_ID = '[missing]';

/** Checks one Jitsu "Next" event; `rejectedIds` are refused as the test script asked. */
export function validateEvent(value: unknown, rejectedIds: ReadonlySet<string>): EventVerdict {
  if (!isJsonObject(value)) {
    return { ok: false, messageId: MISSING_ID, reason: 'event must be a JSON object' };
  }
  const id = value.messageId;
  if (typeof id !== 'string' || id === '') {
    return { ok: false, messageId: MISSING_ID, reason: 'messageId is required and must be a string' };
  }
  const reason = eventProblem(value) ?? (rejectedIds.has(id) ? 'rejected by the test script' : undefined);
  return reason === undefined ? { ok: true, messageId: id, event: value } : { ok: false, messageId: id, reason };
}

function eventProblem(event: JsonObject): string | undefined {
  if (typeof event.type !== 'string' || event.type === '') return 'type is required and must be a string';
  if (event.type === 'track') {
    if (typeof event.event !== 'string' || event.event === '') return 'track event requires an event name';
    const chars = [...event.event].length;
    if (chars > MAX_EVENT_NAME_CHARS) {
      return `event name is ${chars} characters, the limit is ${MAX_EVENT_NAME_CHARS}`;
    }
  }
  if ('context' in event && !isJsonObject(event.context)) return 'context must be an object';
  const bytes = Buffer.byteLength(JSON.stringify(event));
  if (bytes > MAX_EVENT_BYTES) return `event is ${bytes} bytes, the limit is ${MAX_EVENT_BYTES} bytes`;
  return undefined;
}

/** The exact line Jitsu puts in `errors` for an event it refused. */
export function eventErrorLine(messageId: string, reason: string): string {
  return `Message ID: ${messageId}: event error: ${reason}`;
}

/** Jitsu merges the batch-level context under each event's own: the event's keys win. */
export function mergeBatchContext(event: JsonObject, batchContext: JsonObject | undefined): JsonObject {
  if (batchContext === undefined) return event;
  const own = isJsonObject(event.context) ? event.context : {};
  return { ...event, context: { ...batchContext, ...own } };
}

export type ParsedBatch =
  | { ok: true; events: unknown[]; context: JsonObject | undefined }
  | { ok: false; error: string };

/** The batch envelope: `{"batch":[...], "context"?: {...}}`. */
export function parseBatchEnvelope(json: unknown): ParsedBatch {
  if (!isJsonObject(json)) return { ok: false, error: 'Body must be a JSON object with a batch array' };
  if (!Array.isArray(json.batch)) return { ok: false, error: 'Payload should contain a `batch` array' };
  if (json.context !== undefined && !isJsonObject(json.context)) {
    return { ok: false, error: 'Batch `context` must be an object' };
  }
  return { ok: true, events: json.batch, context: json.context };
}

/** Classic events carry their id in `messageId`, older SDKs in `eventn_ctx_event_id`. */
export function classicEventId(event: JsonObject): string | undefined {
  for (const key of ['messageId', 'eventn_ctx_event_id']) {
    const value = event[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Classic accepts a JSON array of events or a single event object. */
export function classicEvents(json: unknown): unknown[] | undefined {
  if (Array.isArray(json)) return json;
  return isJsonObject(json) ? [json] : undefined;
}
