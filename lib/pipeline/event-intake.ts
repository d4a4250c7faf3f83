import type { RequestFacts } from '../context/request-context.js';
import type { EventDraft } from '../events/event-draft.interface.js';

/** Builds, serialises and queues one event recorded earlier. Must not throw. */
export type BuildEvent = (draft: EventDraft, at: number, facts: RequestFacts | undefined) => void;

/**
 * Drafts held before the intake builds them on the spot: bounds its memory within a long loop that
 * never yields. Not lower: a burst of a hundred events in one turn is common (the pipeline bench
 * offers them so), and every draft past the limit is built on the caller's path. 64 made a recorded
 * TypeORM loop faster (held drafts are objects every scavenge copies) but a track call in such a
 * burst cost 2.4 µs instead of 0.2.
 */
export const DEFAULT_INTAKE_LIMIT = 1024;

/**
 * Events recorded on the application's path but not built yet. Recording keeps the draft, the
 * time and the request it was made in; the envelope, sanitising, serialising and queueing run on
 * the next turn of the event loop — or at once on `drain()` (flush, stats, shutdown) and when
 * `limit` drafts are waiting. A handler that tracks an event pays for keeping it, and the
 * building runs after its turn (its response already written) instead of inside it.
 *
 * Only drafts that are a snapshot already may wait (see `isSnapshot`); the caller builds any
 * other at once, after draining what waits, so events keep their order.
 */
export class EventIntake {
  private drafts: EventDraft[] = [];
  private times: number[] = [];
  private facts: Array<RequestFacts | undefined> = [];
  private scheduled = false;

  constructor(
    private readonly build: BuildEvent,
    private readonly limit: number = DEFAULT_INTAKE_LIMIT,
  ) {}

  get length(): number {
    return this.drafts.length;
  }

  push(draft: EventDraft, at: number, facts: RequestFacts | undefined): void {
    this.drafts.push(draft);
    this.times.push(at);
    this.facts.push(facts);
    if (this.drafts.length >= this.limit) this.drain();
    else if (!this.scheduled) {
      this.scheduled = true;
      // Unreferenced like the pipeline's own timers: shutdown drains, and it is what apps await.
      setImmediate(this.onTurn).unref();
    }
  }

  /** Builds every waiting draft now, in order. Drafts recorded while it runs wait for the next turn. */
  drain(): void {
    const { drafts, times, facts } = this;
    if (drafts.length === 0) return;
    this.drafts = [];
    this.times = [];
    this.facts = [];
    for (let i = 0; i < drafts.length; i++) this.build(drafts[i]!, times[i]!, facts[i]);
  }

  private readonly onTurn = (): void => {
    this.scheduled = false;
    this.drain();
  };
}

/**
 * True when nothing the caller still holds can change the event before it is built: properties
 * (and context) are flat bags of primitives, with strings no longer than `maxStringLength` (a
 * longer one is cut when built; it is not kept alive meanwhile), and the timestamp is not a
 * mutable Date. The bag itself is the library's copy (`track` spreads the caller's object, the
 * builders make their own), so its primitive values are the snapshot.
 */
export function isSnapshot(draft: EventDraft, maxStringLength: number): boolean {
  try {
    if (typeof draft.timestamp === 'object' && draft.timestamp !== null) return false;
    return isFlat(draft.properties, maxStringLength) && isFlat(draft.context, maxStringLength);
  } catch {
    // A getter or proxy that throws: the event is built at once, where that is reported.
    return false;
  }
}

function isFlat(bag: object | undefined, maxStringLength: number): boolean {
  if (bag === undefined) return true;
  if (typeof bag !== 'object' || bag === null || Object.getPrototypeOf(bag) !== Object.prototype) return false;
  const values = bag as Record<string, unknown>;
  for (const key in values) {
    const value = values[key];
    switch (typeof value) {
      case 'string':
        if (value.length > maxStringLength) return false;
        break;
      case 'number':
      case 'boolean':
      case 'undefined':
      case 'bigint':
        break;
      default:
        if (value !== null) return false;
    }
  }
  return true;
}
