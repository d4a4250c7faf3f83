/** An event about to be recorded: what the caller or a builder knows, before the envelope is added. */
export interface EventDraft {
  event: string;
  table: string;
  properties: Record<string, unknown>;
  userId?: unknown;
  anonymousId?: unknown;
  /** When it happened; default now. A Date, an ISO string or epoch ms. */
  timestamp?: unknown;
  context?: { ip?: string; userAgent?: string };
}

/** Options of `track()`. */
export interface TrackOptions {
  /** Numbers are sent as text, as Jitsu ids are. */
  userId?: string | number;
  anonymousId?: string | number;
  /** Destination table; default `custom_events` (or `tables.custom`). */
  table?: string;
  timestamp?: Date | string | number;
}
