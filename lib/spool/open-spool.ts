import type { ResolvedOptions } from '../analytics-options.resolver.js';
import { DiskSpool } from './disk-spool.js';
import type { SpoolReporter } from './spool-notices.js';
import type { ResolvedSpoolOptions } from './spool-options.resolver.js';

/**
 * The pipeline's pending store for a configured spool. Memory stays bounded by the same
 * options as without a spool: `maxQueueSize`/`maxQueueBytes` size the in-memory window.
 * Throws `AnalyticsConfigError` when the directory cannot be used or another process holds it.
 */
export function openSpool(spool: ResolvedSpoolOptions, options: Pick<ResolvedOptions, 'maxQueueSize' | 'maxQueueBytes'>, reporter: SpoolReporter): DiskSpool {
  return DiskSpool.open(spool, { maxEvents: options.maxQueueSize, maxBytes: options.maxQueueBytes }, reporter);
}
