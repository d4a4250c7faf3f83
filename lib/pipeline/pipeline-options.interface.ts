import type { RetryPolicy } from '../analytics-options.resolver.js';
import type { OverflowPolicy } from '../analytics.options.js';

export interface PipelineOptions {
  batchSize: number;
  batchTimeout: number;
  maxQueueSize: number;
  maxQueueBytes: number;
  overflow: OverflowPolicy;
  maxBatchEvents: number;
  maxBatchBytes: number;
  maxInFlight: number;
  retry: RetryPolicy;
  /**
   * The transport's own deadline per request, ms. A send still unsettled a grace period later is
   * treated as timed out and retried, so a destination that never answers (and ignores the abort
   * signal) cannot hold a batch, its in-flight slot and every flush forever. None when absent.
   */
  requestTimeout?: number;
}

export interface ShutdownReport {
  /** Events that could not be delivered before the deadline (counted as dropped `shutdown`, unless spooled). */
  undelivered: number;
  /** With a durable store (the disk spool): how many of them were kept for the next start instead. */
  spooled?: number;
}
