import type { RequestFacts } from '../context/request-context.js';
import { isCardNumber, REDACTED_CARD } from '../privacy/scrub-string.js';
import { remember } from './bounded-memo.js';
import type { EventDraft } from './event-draft.interface.js';
import { REDACTED, type Sanitizer } from './sanitize.js';

/** Distinct strings whose JSON text is remembered: routes, fingerprints, names and agents recur. */
const JSON_MEMO_SIZE = 2000;
/** Longer strings are written each time rather than held. */
const JSON_MEMO_MAX_LENGTH = 256;

/** What the envelope adds to every event's properties, and that a writer must decide about. */
export interface EnvelopeDefaults {
  readonly serviceName?: string;
  readonly environment?: string;
}

/**
 * `serviceName` and `environment` as every event carries them. Both usually come from the
 * environment, where a mixed-up variable puts the write key or a connection URL into them: they
 * pass the rules of every event string, once, at startup.
 */
export function envelopeDefaults(sanitizer: Sanitizer, options: EnvelopeDefaults): EnvelopeDefaults {
  const { serviceName, environment } = options;
  return {
    serviceName: serviceName === undefined ? undefined : sanitizer.text(serviceName),
    environment: environment === undefined ? undefined : sanitizer.text(environment),
  };
}

/** The parts of an event the core has decided before writing it. */
export interface EnvelopeParts {
  /** The event name, scrubbed and cut to Jitsu's limit. */
  readonly name: string;
  /** `name` as JSON text. */
  readonly nameJson: string;
  readonly messageId: string;
  /** ISO 8601 text. */
  readonly timestamp: string;
  readonly userId?: string;
  readonly anonymousId?: string;
}

const REDACTED_JSON = JSON.stringify(REDACTED);
const REDACTED_CARD_JSON = JSON.stringify(REDACTED_CARD);

/**
 * Writes the JSON text of an event whose properties are a flat bag of primitives (the common
 * case: every builder and most `track` calls), without building the envelope object or a
 * sanitised copy first. It applies the same rules as `Sanitizer` plus the envelope's defaults in
 * one pass, and remembers the JSON text of recurring strings, so a fingerprint full of quotes is
 * escaped once rather than on every event. The text is the one `JSON.stringify` gives for the
 * envelope the core would build (same keys, order and values; tested against it).
 *
 * The context (`ip`, `userAgent`) passes the same rules as the properties.
 *
 * A draft it cannot write exactly so returns `undefined`, and the core takes the general path:
 * a value that is an object, a key the privacy rules rename (two renamed keys could collide), or
 * a field the envelope would overwrite in place (a non-text `event_category`, a null `request_id`,
 * a context `library`).
 */
export class FlatEventWriter {
  private readonly jsonMemo = new Map<string, string>();
  /** `{"library":{...}` — the context's first field, always. */
  private readonly libraryContext: string;
  private readonly serviceJson?: string;
  private readonly environmentJson?: string;

  constructor(
    private readonly sanitizer: Sanitizer,
    defaults: EnvelopeDefaults,
    private readonly maxStringLength: number,
    library: object,
  ) {
    this.libraryContext = `{"library":${JSON.stringify(library)}`;
    if (defaults.serviceName !== undefined) this.serviceJson = JSON.stringify(defaults.serviceName);
    if (defaults.environment !== undefined) this.environmentJson = JSON.stringify(defaults.environment);
  }

  write(draft: EventDraft, parts: EnvelopeParts, facts: RequestFacts | undefined): string | undefined {
    const properties = this.properties(draft.properties ?? {}, facts);
    if (properties === undefined) return undefined;
    const context = draft.context === undefined ? `${this.libraryContext}}` : this.context(draft.context);
    if (context === undefined) return undefined;
    // Ids, timestamps and table names are ASCII that the core made or validated: nothing to escape.
    let json = `{"type":"track","event":${parts.nameJson},"messageId":"${parts.messageId}","timestamp":"${parts.timestamp}","properties":${properties},"context":${context},"JITSU_TABLE_NAME":"${draft.table}"`;
    if (parts.userId !== undefined) json += `,"userId":${this.quote(parts.userId)}`;
    if (parts.anonymousId !== undefined) json += `,"anonymousId":${this.quote(parts.anonymousId)}`;
    return `${json}}`;
  }

  private properties(bag: Record<string, unknown>, facts: RequestFacts | undefined): string | undefined {
    let json = '{';
    let category = false;
    let action = false;
    let requestId = false;
    let serviceName = false;
    let environment = false;
    for (const rawKey of Object.keys(bag)) {
      const { key, json: keyJson, sensitive } = this.sanitizer.keyFacts(rawKey);
      if (key !== rawKey) return undefined;
      const text = this.fieldValue(sensitive, bag[rawKey]);
      if (text === undefined) return undefined;
      if (text === '') continue;
      switch (key) {
        case 'event_category':
        case 'event_action':
          if (text.charCodeAt(0) !== 34) return undefined;
          if (key === 'event_category') category = true;
          else action = true;
          break;
        case 'request_id':
        case 'service_name':
        case 'environment':
          if (text === 'null') return undefined;
          if (key === 'request_id') requestId = true;
          else if (key === 'service_name') serviceName = true;
          else environment = true;
          break;
      }
      json += `${json.length === 1 ? '' : ','}${keyJson}:${text}`;
    }
    if (!category) json += `${json.length === 1 ? '' : ','}"event_category":"backend"`;
    if (!action) json += ',"event_action":"custom"';
    if (!requestId && facts?.requestId !== undefined) json += `,"request_id":${this.quote(facts.requestId)}`;
    if (!serviceName && this.serviceJson !== undefined) json += `,"service_name":${this.serviceJson}`;
    if (!environment && this.environmentJson !== undefined) json += `,"environment":${this.environmentJson}`;
    return `${json}}`;
  }

  private context(context: object): string | undefined {
    let json = this.libraryContext;
    const fields = context as Record<string, unknown>;
    for (const rawKey of Object.keys(context)) {
      const { key, json: keyJson, sensitive } = this.sanitizer.keyFacts(rawKey);
      if (key !== rawKey || key === 'library') return undefined;
      const text = this.fieldValue(sensitive, fields[rawKey]);
      if (text === undefined) return undefined;
      if (text !== '') json += `,${keyJson}:${text}`;
    }
    return `${json}}`;
  }

  /** A field's value after the privacy rules, as JSON text: '' to omit it, undefined when it is not a primitive. */
  private fieldValue(sensitive: boolean, value: unknown): string | undefined {
    if (sensitive) return value === undefined ? '' : REDACTED_JSON;
    return this.value(value);
  }

  /** A primitive's JSON text; '' to omit it (as JSON.stringify omits undefined); undefined when not a primitive. */
  private value(value: unknown): string | undefined {
    switch (typeof value) {
      case 'string':
        return this.text(value);
      case 'number':
        if (isCardNumber(value)) return REDACTED_CARD_JSON;
        return Number.isFinite(value) ? String(value) : 'null';
      case 'boolean':
        return value ? 'true' : 'false';
      case 'bigint':
        return JSON.stringify(this.sanitizer.bigintText(value));
      case 'undefined':
        return '';
      default:
        return value === null ? 'null' : undefined;
    }
  }

  /** A caller's string, through the privacy rules, as JSON text. */
  private text(s: string): string {
    // Only strings that need no cutting are remembered, so every cut is still counted.
    if (s.length > JSON_MEMO_MAX_LENGTH || s.length > this.maxStringLength) return JSON.stringify(this.sanitizer.text(s));
    const known = this.jsonMemo.get(s);
    if (known !== undefined) return known;
    return remember(this.jsonMemo, s, JSON.stringify(this.sanitizer.text(s)), JSON_MEMO_SIZE);
  }

  /** A string the core has already scrubbed, as JSON text. */
  private quote(s: string): string {
    return JSON.stringify(s);
  }
}
