import { isCardNumber, REDACTED_CARD } from '../privacy/scrub-string.js';
import { remember } from './bounded-memo.js';
import { putField } from './field-values.js';

/**
 * Turns any caller-supplied value into plain JSON data, once, at enqueue: the caller's object can
 * change afterwards without changing the event, and nothing the caller passes can make
 * serialisation throw. What is not JSON is replaced by a documented stand-in rather than lost
 * silently: BigInt → decimal string, invalid Date → null, Map → object, Set → array,
 * binary → "[binary N bytes]", Error → {name, message}, a cycle → "[Circular]", nesting beyond
 * `maxDepth` → "[MaxDepth]", a throwing getter/proxy → "[Unreadable]". Functions, symbols and
 * `undefined` are omitted from objects (null in arrays), as JSON.stringify does.
 * Keys the redactor calls sensitive keep their place with the value "[REDACTED]"; strings pass
 * through `scrub` and are cut at `maxStringLength`.
 */
export interface SanitizeOptions {
  isSensitiveKey(key: string): boolean;
  scrub(value: string): string;
  maxStringLength: number;
  maxDepth: number;
  maxArrayLength: number;
  /** Most entries of one object or Map kept. */
  maxEntries: number;
}

/** Notable replacements, counted for `stats().warnings`. */
export interface SanitizeReport {
  truncated: number;
  unserialisable: number;
}

export const REDACTED = '[REDACTED]';
/** What stands in for a value that throws when read (a getter, a hostile proxy). */
export const UNREADABLE = '[Unreadable]';
const OMIT = Symbol('omit');

/** Distinct keys whose scrubbed spelling and sensitivity are remembered (the same keys recur on every event). */
const KEY_MEMO_SIZE = 1000;
/** Longer keys are worked out each time rather than held. */
const KEY_MEMO_MAX_LENGTH = 64;
/**
 * Distinct short strings whose scrubbed form is remembered: routes, methods, user agents, query
 * fingerprints and table names recur on most events, and scrubbing is the costliest step of
 * building one. Longer strings are scrubbed each time.
 */
const VALUE_MEMO_SIZE = 2000;
const VALUE_MEMO_MAX_LENGTH = 256;
/** How far past the cut a string is read by the privacy rules: longer than any token or address they know. */
const CUT_SCRUB_MARGIN = 4096;

export interface KeyFacts {
  readonly key: string;
  /** `key` as JSON text. */
  readonly json: string;
  readonly sensitive: boolean;
}

/**
 * A string its caller explicitly chose to send as written (`@TrackEmail({ includeRecipient:
 * true })` records the full address): it is cut at `maxStringLength` but not scrubbed. A
 * sensitive key holding it is still redacted. Only for values a user opted into by name.
 */
export class Verbatim {
  constructor(readonly value: string) {}
}

/** One per pipeline: reused across events (it holds no state between calls but its counters). */
export class Sanitizer {
  readonly report: SanitizeReport = { truncated: 0, unserialisable: 0 };
  private readonly ancestors = new Set<object>();
  private readonly keyMemo = new Map<string, KeyFacts>();
  private readonly valueMemo = new Map<string, string>();

  constructor(private readonly options: SanitizeOptions) {}

  sanitize(value: unknown): unknown {
    const out = this.value(value, 0);
    return out === OMIT ? null : out;
  }

  /**
   * An event's property bag, entry by entry. The bag is built by spreading the caller's objects,
   * which copies an own `toJSON` too; honouring it here would replace the whole bag, the
   * library's own fields included, with whatever it returns.
   */
  sanitizeProperties(bag: object): Record<string, unknown> {
    this.ancestors.add(bag);
    try {
      return this.fields(bag, 1);
    } finally {
      this.ancestors.delete(bag);
    }
  }

  private value(v: unknown, depth: number): unknown {
    switch (typeof v) {
      case 'string':
        return this.text(v);
      case 'number':
        if (isCardNumber(v)) return REDACTED_CARD;
        return Number.isFinite(v) ? v : null;
      case 'boolean':
        return v;
      case 'bigint':
        return this.bigintText(v);
      case 'undefined':
      case 'function':
      case 'symbol':
        return OMIT;
      default:
        return v === null ? null : this.object(v as object, depth);
    }
  }

  /** A string as every event string leaves: scrubbed, and cut at `maxStringLength` (counted). */
  text(s: string): string {
    // Only strings that need no cutting are remembered, so every cut is still counted.
    if (s.length > this.options.maxStringLength) return this.cutScrubbed(s);
    if (s.length > VALUE_MEMO_MAX_LENGTH) return this.options.scrub(s);
    const known = this.valueMemo.get(s);
    if (known !== undefined) return known;
    return remember(this.valueMemo, s, this.options.scrub(s), VALUE_MEMO_SIZE);
  }

  /** A bigint as text, scrubbed like any string (a card number held as one), never cut. */
  bigintText(v: bigint): string {
    return this.options.scrub(v.toString());
  }

  /**
   * Scrubbed before it is cut, with a margin past the cut: an address or a token straddling the
   * cut would otherwise leave its first part, which no rule recognises once its end is gone.
   */
  private cutScrubbed(s: string): string {
    return this.cut(this.options.scrub(s.slice(0, this.options.maxStringLength + CUT_SCRUB_MARGIN)), s.length);
  }

  private truncate(s: string): string {
    return s.length <= this.options.maxStringLength ? s : this.cut(s, s.length);
  }

  /** `text` cut at `maxStringLength` (counted), its marker saying how much of the original `length` went. */
  private cut(text: string, length: number): string {
    const { maxStringLength } = this.options;
    this.note('truncated');
    return `${text.slice(0, maxStringLength)}…[truncated ${length - maxStringLength} chars]`;
  }

  private object(o: object, depth: number): unknown {
    if (this.ancestors.has(o)) return this.stand('[Circular]');
    if (depth >= this.options.maxDepth) return this.stand('[MaxDepth]');
    try {
      this.ancestors.add(o);
      return this.structured(o, depth + 1);
    } catch {
      return this.stand(UNREADABLE);
    } finally {
      this.ancestors.delete(o);
    }
  }

  private structured(o: object, depth: number): unknown {
    if (Array.isArray(o)) return this.array(o, depth);
    if (o instanceof Date) return Number.isNaN(o.getTime()) ? this.stand(null) : o.toISOString();
    if (o instanceof Verbatim) return this.truncate(String(o.value));
    if (ArrayBuffer.isView(o) || o instanceof ArrayBuffer) {
      return this.stand(`[binary ${o.byteLength} bytes]`);
    }
    if (o instanceof Map) return this.mapEntries(o, depth);
    if (o instanceof Set) return this.array([...o], depth);
    if (o instanceof Error) {
      return { name: this.text(o.name), message: this.text(String(o.message)) };
    }
    const toJSON = (o as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return this.value(toJSON.call(o), depth);
    return this.fields(o, depth);
  }

  private array(a: readonly unknown[], depth: number): unknown[] {
    const { maxArrayLength } = this.options;
    const n = Math.min(a.length, maxArrayLength);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const item = this.value(a[i], depth);
      out[i] = item === OMIT ? null : item;
    }
    if (a.length > n) {
      this.note('truncated');
      out.push(`…[${a.length - n} more items]`);
    }
    return out;
  }

  /**
   * An object's own enumerable string keys, read one by one (no [key, value] pair per field); of a
   * nested one at most `maxEntries`, so a cache handed to `track()` by mistake costs a bounded time.
   */
  private fields(o: object, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const values = o as Record<string, unknown>;
    const keys = Object.keys(o);
    // The event's own properties are all kept: a builder's fields come last and must not be cut.
    const n = depth > 1 ? Math.min(keys.length, this.options.maxEntries) : keys.length;
    for (let i = 0; i < n; i++) this.field(out, keys[i], this.read(values, keys[i]), depth);
    if (keys.length > n) this.note('truncated');
    return out;
  }

  /** One field; a getter that throws costs that field ("[Unreadable]"), not its siblings. */
  private read(values: Record<string, unknown>, key: string): unknown {
    try {
      return values[key];
    } catch {
      return this.stand(UNREADABLE);
    }
  }

  private mapEntries(map: Map<unknown, unknown>, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let room = this.options.maxEntries;
    for (const [rawKey, v] of map) {
      if (room-- === 0) {
        this.note('truncated');
        break;
      }
      this.field(out, typeof rawKey === 'string' ? rawKey : String(rawKey), v, depth);
    }
    return out;
  }

  private field(out: Record<string, unknown>, rawKey: string, v: unknown, depth: number): void {
    const { key, sensitive } = this.keyFacts(rawKey);
    if (sensitive) {
      if (v !== undefined) putField(out, key, REDACTED);
      return;
    }
    const item = this.value(v, depth);
    if (item !== OMIT) putField(out, key, item);
  }

  /** A key's scrubbed spelling and whether it is redacted. Keys are data too: `{ [email]: ... }` must not carry the address out. */
  keyFacts(rawKey: string): KeyFacts {
    const known = this.keyMemo.get(rawKey);
    if (known !== undefined) return known;
    // A key is cut like any string, before the privacy rules read it.
    const key = rawKey.length > this.options.maxStringLength ? this.cutScrubbed(rawKey) : this.options.scrub(rawKey);
    // The raw key too: a rule can consume the word that made it sensitive ("Bearer token_1" → "Bearer [REDACTED]").
    const sensitive = this.options.isSensitiveKey(key) || (key !== rawKey && this.options.isSensitiveKey(rawKey));
    const facts = { key, json: JSON.stringify(key), sensitive };
    return rawKey.length <= KEY_MEMO_MAX_LENGTH ? remember(this.keyMemo, rawKey, facts, KEY_MEMO_SIZE) : facts;
  }

  /** The stand-in for a value that threw when read, counted like the ones found here. */
  unreadable(): string {
    return this.stand(UNREADABLE);
  }

  private stand<T>(replacement: T): T {
    this.note('unserialisable');
    return replacement;
  }

  private note(kind: keyof SanitizeReport): void {
    this.report[kind]++;
  }
}
