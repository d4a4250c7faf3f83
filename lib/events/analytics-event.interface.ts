/** A Jitsu `track` event as it goes on the wire (DESIGN.md, "Event shape"). */
export interface AnalyticsEvent {
  type: 'track';
  event: string;
  messageId: string;
  /** When it happened (ISO 8601). */
  timestamp: string;
  userId?: string;
  anonymousId?: string;
  properties: Record<string, unknown>;
  context: AnalyticsEventContext;
  /** The destination table; Jitsu routes on this top-level field. */
  JITSU_TABLE_NAME: string;
}

export interface AnalyticsEventContext {
  library: { name: string; version: string };
  ip?: string;
  userAgent?: string;
  [key: string]: unknown;
}
