/** Why events were dropped; the keys of `stats().dropped`. */
export type DropReason =
  | 'queue_full'
  | 'too_large'
  | 'rejected'
  | 'unauthorized'
  | 'retries_exhausted'
  | 'closed'
  | 'shutdown'
  /** Still queued or in flight when the process exited without a shutdown (`process.exit()`, a crash, a script that ended). */
  | 'exit'
  | 'invalid_event'
  | 'filtered'
  | 'before_send_failed'
  | 'spool_full'
  | 'spool_failed'
  /** Spooled events lost with a spool file that was damaged or removed since they were written (ids unknown). */
  | 'spool_lost';

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
  /**
   * Set while queued events cannot be handed to the destination: with a spool, reading its
   * backlog back fails (it is tried again for up to 10 minutes, then left for the next start).
   */
  stalled?: { since: string; reason: string };
  /** Whether the pipeline keeps up, by the default thresholds (lib/health/pipeline-health.ts). */
  health: PipelineHealth;
}

/** The facts a health check reads; `AnalyticsHealthIndicator` applies the same rule with its own thresholds. */
export interface PipelineHealth {
  /**
   * 'down' once deliveries have failed, or queued events could not be read back, for longer than
   * 5 minutes, or the queue is 90% full.
   */
  status: 'up' | 'down';
  /** Why it is down, in words safe to show (empty when up). */
  reasons: string[];
  /** 0..1: the larger of held events / `maxQueueSize` and queued bytes / `maxQueueBytes`. */
  queueFill: number;
  /** How long every delivery attempt has failed, ms (absent while deliveries succeed). */
  failingForMs?: number;
}

export interface DroppedInfo {
  reason: DropReason;
  count: number;
  /** Empty when the ids are not known: events lost with a damaged or removed spool file (`spool_lost`). */
  messageIds: readonly string[];
  /** Why, in words safe to log (never the write key). */
  detail?: string;
}

export interface SentInfo {
  count: number;
  messageIds: readonly string[];
}
