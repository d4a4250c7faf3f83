import type { RequestFacts } from '../context/request-context.js';
import type { AnalyticsReporter } from '../pipeline/analytics-reporter.js';
import { LIBRARY_VERSION, PACKAGE_NAME } from '../transports/jitsu/library-version.js';
import type { AnalyticsEvent } from './analytics-event.interface.js';
import { remember } from './bounded-memo.js';
import type { EventDraft } from './event-draft.interface.js';
import type { EnvelopeDefaults, EnvelopeParts } from './flat-event-writer.js';
import type { Sanitizer } from './sanitize.js';
import { TABLE_NAME_PATTERN } from './table-router.js';

const MAX_EVENT_NAME_LENGTH = 128;
/** The largest time a `Date` holds (±100,000,000 days around 1970). */
const MAX_DATE_MS = 8.64e15;
/** Distinct event names whose scrubbed spelling is remembered. */
const EVENT_NAME_MEMO_SIZE = 500;

/** `context.library` of every event; one frozen object, shared by every event built. */
export const LIBRARY = Object.freeze({ name: PACKAGE_NAME, version: LIBRARY_VERSION });

interface EventName {
  readonly name: string;
  readonly json: string;
}

/**
 * The envelope Jitsu expects around a draft: its name, time and ids (`parts`, shared with
 * FlatEventWriter) and, for `beforeSend` and drafts the flat writer leaves aside, the event object.
 * It runs once per event, so what recurs (names, the current millisecond's text) is remembered.
 */
export class EnvelopeBuilder {
  /** Event names as sent: scrubbed, cut, and as JSON text. */
  private readonly eventNames = new Map<string, EventName>();
  /** The last timestamp formatted: events recorded within one millisecond share the text. */
  private isoMs = Number.NaN;
  private iso = '';

  constructor(
    private readonly sanitizer: Sanitizer,
    private readonly defaults: EnvelopeDefaults,
    /** The privacy rules every string of an event passes; ids and names are not properties, so they are scrubbed here. */
    private readonly scrub: (text: string) => string,
    private readonly reporter: Pick<AnalyticsReporter, 'warn'>,
  ) {}

  /** What both ways of writing an event share: its name, id, time and ids. */
  parts(draft: EventDraft, messageId: string, at: number, facts: RequestFacts | undefined): EnvelopeParts {
    const { name, json } = this.eventName(draft.event);
    return {
      name,
      nameJson: json,
      messageId,
      timestamp: this.timestamp(draft.timestamp, at),
      userId: idOf(draft.userId, this.scrub) ?? facts?.userId,
      anonymousId: idOf(draft.anonymousId, this.scrub) ?? facts?.anonymousId,
    };
  }

  /** The event object, for `beforeSend` and for drafts the flat writer leaves to `JSON.stringify`. */
  event(draft: EventDraft, parts: EnvelopeParts, facts: RequestFacts | undefined): AnalyticsEvent {
    const properties = this.sanitizer.sanitizeProperties(draft.properties ?? {});
    // Both are text columns of every table (COMMON_FIELDS): a caller's value of another type loses to the default.
    if (typeof properties.event_category !== 'string') properties.event_category = 'backend';
    if (typeof properties.event_action !== 'string') properties.event_action = 'custom';
    if (facts?.requestId !== undefined) properties.request_id ??= facts.requestId;
    if (this.defaults.serviceName !== undefined) properties.service_name ??= this.defaults.serviceName;
    if (this.defaults.environment !== undefined) properties.environment ??= this.defaults.environment;
    const event: AnalyticsEvent = {
      type: 'track',
      event: parts.name,
      messageId: parts.messageId,
      timestamp: parts.timestamp,
      properties,
      // The user agent is the client's text: it passes the privacy rules like any property.
      context: { library: LIBRARY, ...(draft.context && this.sanitizer.sanitizeProperties(draft.context)) },
      JITSU_TABLE_NAME: draft.table,
    };
    if (parts.userId !== undefined) event.userId = parts.userId;
    if (parts.anonymousId !== undefined) event.anonymousId = parts.anonymousId;
    return event;
  }

  /** A redaction can lengthen a name past Jitsu's limit; it is cut back to it. Names recur, so their form as sent is remembered. */
  private eventName(raw: string): EventName {
    const known = this.eventNames.get(raw);
    if (known !== undefined) return known;
    const name = this.scrub(raw).slice(0, MAX_EVENT_NAME_LENGTH);
    return remember(this.eventNames, raw, { name, json: JSON.stringify(name) }, EVENT_NAME_MEMO_SIZE);
  }

  private timestamp(value: unknown, at: number): string {
    if (value === undefined || value === null) return this.isoAt(at);
    // Epoch milliseconds (a request's start) share the formatted text of the last event's millisecond.
    if (typeof value === 'number' && Math.abs(value) <= MAX_DATE_MS) return this.isoAt(value);
    const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
    if (date && !Number.isNaN(date.getTime())) return date.toISOString();
    this.reporter.warn('invalid_timestamp', `an event's timestamp is not a valid date (${typeof value}); the current time was used`);
    return this.isoAt(at);
  }

  private isoAt(ms: number): string {
    if (ms !== this.isoMs) {
      this.isoMs = ms;
      this.iso = new Date(ms).toISOString();
    }
    return this.iso;
  }
}

/** What makes a draft unsendable, or `undefined`: checked first, so a bad event costs no envelope. */
export function invalidDraft(draft: EventDraft): string | undefined {
  if (typeof draft.event !== 'string' || draft.event.trim() === '') {
    return `event name must be a non-empty string, got ${typeof draft.event === 'string' ? 'an empty string' : typeof draft.event}`;
  }
  if (draft.event.length > MAX_EVENT_NAME_LENGTH) {
    return `event name is ${draft.event.length} characters; Jitsu accepts at most ${MAX_EVENT_NAME_LENGTH}`;
  }
  if (typeof draft.table !== 'string' || !TABLE_NAME_PATTERN.test(draft.table)) {
    return `table name ${JSON.stringify(String(draft.table)).slice(0, 80)} is not a valid table name (letters, digits and _)`;
  }
  return undefined;
}

/** Ids are scrubbed too: an e-mail address used as a user id keeps only its domain. */
function idOf(value: unknown, scrub: (text: string) => string): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : scrub(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}
