import { UUID_V7_PATTERN } from '../../../lib/events/message-id.js';
import { TABLE_NAME_PATTERN } from '../../../lib/events/table-router.js';

const ENVELOPE_KEYS = new Set(['type', 'event', 'messageId', 'timestamp', 'userId', 'anonymousId', 'properties', 'context', 'JITSU_TABLE_NAME']);

/** What a test knows about the event it expects, beyond the shape every event has. */
export interface ExpectedEvent {
  event?: string;
  action?: string;
  table?: string;
}

/**
 * Everything wrong with one payload as DESIGN.md documents a track event: valid JSON, type
 * 'track', a non-empty event name of at most 128 characters, a UUIDv7 messageId, an ISO 8601
 * timestamp, a properties object carrying event_category and event_action as strings,
 * context.library {name, version}, a valid JITSU_TABLE_NAME, and string ids when present.
 * Returns [] for a valid payload, so a failing property prints what was wrong.
 */
export function shapeProblems(json: string, expected: ExpectedEvent = {}): string[] {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(json) as Record<string, unknown>;
  } catch (error) {
    return [`not JSON: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  const fail = (what: string) => problems.push(what);
  if (!isPlainObject(event)) return ['not a JSON object'];
  for (const key of Object.keys(event)) if (!ENVELOPE_KEYS.has(key)) fail(`unexpected top-level key ${key}`);
  if (event.type !== 'track') fail(`type is ${String(event.type)}`);
  if (typeof event.event !== 'string' || event.event.trim() === '' || event.event.length > 128) fail(`bad event name ${JSON.stringify(event.event)}`);
  if (typeof event.messageId !== 'string' || !UUID_V7_PATTERN.test(event.messageId)) fail(`messageId ${String(event.messageId)} is not a UUIDv7`);
  if (typeof event.timestamp !== 'string' || !isIsoTimestamp(event.timestamp)) fail(`timestamp ${String(event.timestamp)} is not ISO 8601`);
  if (typeof event.JITSU_TABLE_NAME !== 'string' || !TABLE_NAME_PATTERN.test(event.JITSU_TABLE_NAME)) fail(`bad table ${String(event.JITSU_TABLE_NAME)}`);
  for (const id of ['userId', 'anonymousId'] as const) {
    if (id in event && (typeof event[id] !== 'string' || event[id] === '')) fail(`${id} is not a non-empty string`);
  }
  const properties = event.properties;
  if (!isPlainObject(properties)) fail('properties is not an object');
  else {
    if (typeof properties.event_category !== 'string') fail(`event_category is ${JSON.stringify(properties.event_category)}`);
    if (typeof properties.event_action !== 'string') fail(`event_action is ${JSON.stringify(properties.event_action)}`);
    if (expected.action !== undefined && properties.event_action !== expected.action) fail(`event_action ${String(properties.event_action)}, expected ${expected.action}`);
  }
  const library = isPlainObject(event.context) ? event.context.library : undefined;
  if (!isPlainObject(library) || typeof library.name !== 'string' || typeof library.version !== 'string') fail('context.library is not {name, version}');
  if (expected.event !== undefined && event.event !== expected.event) fail(`event ${String(event.event)}, expected ${expected.event}`);
  if (expected.table !== undefined && event.JITSU_TABLE_NAME !== expected.table) fail(`table ${String(event.JITSU_TABLE_NAME)}, expected ${expected.table}`);
  return problems;
}

function isIsoTimestamp(text: string): boolean {
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
