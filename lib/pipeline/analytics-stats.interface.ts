/** Why events were dropped; the keys of `stats().dropped`. */
export type DropReason =
  | 'queue_full'
  | 'too_large'
  | 'rejected'
  | 'unauthorized'
  | 'retries_exhausted'
  | 'closed'
  | 'shutdown'
  | 'invalid_event'
  | 'filtered'
  | 'before_send_failed'
  | 'extractor_failed'
  | 'spool_full'
  | 'spool_failed';

export interface AnalyticsStats {
  /** Events waiting to be sent. */
  queued: number;
  queuedBytes: number;
  /** Events in batches being delivered (or waiting to retry). */
  inFlight: number;
  /** Events the destination accepted. */
  sent: number;
  /** Successful delivery requests. */
  batches: number;
  /** Delivery attempts that failed (each retry that fails counts). */
  failed: number;
  /** Delivery attempts that were retries. */
  retried: number;
  dropped: Partial<Record<DropReason, number>>;
  /** Events kept with a documented change (truncated strings, unserialisable values, missing amounts...). */
  warnings: Record<string, number>;
  lastError?: string;
  lastSuccessAt?: string;
  /** Since when every delivery attempt has failed (unset while deliveries succeed). */
  failingSince?: string;
}

export interface DroppedInfo {
  reason: DropReason;
  count: number;
  messageIds: readonly string[];
  /** Why, in words safe to log (never the write key). */
  detail?: string;
}

export interface SentInfo {
  count: number;
  messageIds: readonly string[];
}
