// Kept apart from spool-test-support.ts, which must load no library module: a spec that mocks
// node:fs imports that one before registering its mock.
import { AnalyticsReporter } from '../../lib/pipeline/analytics-reporter.js';
import type { DroppedInfo } from '../../lib/pipeline/analytics-stats.interface.js';
import { DeliveryPipeline } from '../../lib/pipeline/delivery-pipeline.js';
import type { PipelineOptions } from '../../lib/pipeline/pipeline-options.interface.js';
import { DiskSpool } from '../../lib/spool/disk-spool.js';
import { segmentBytesFor } from '../../lib/spool/spool-options.resolver.js';
import type { AnalyticsTransport } from '../../lib/transports/transport.interface.js';

/**
 * A pipeline over a DiskSpool on `dir` (`maxBytes` of disk, its window the pipeline's queue
 * bounds), with what its reporter said: opening one again on the same `dir` stands for the next
 * process.
 */
export function spooledPipeline(dir: string, transport: AnalyticsTransport, options: PipelineOptions, maxBytes = 8 * 1024 * 1024) {
  const reporter = new AnalyticsReporter(undefined, false);
  const drops: DroppedInfo[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  reporter.on('dropped', (d) => drops.push(d));
  reporter.on('error', (e) => errors.push(e.message));
  const warn = reporter.warn.bind(reporter);
  reporter.warn = (kind, message) => (warnings.push(kind), warn(kind, message));
  const spool = DiskSpool.open(
    { dir, maxBytes, fsync: 'never', segmentBytes: segmentBytesFor(maxBytes) },
    { maxEvents: options.maxQueueSize, maxBytes: options.maxQueueBytes },
    reporter,
  );
  const pipeline = new DeliveryPipeline(transport, options, reporter, spool);
  const dropped = (reason: string) => drops.filter((d) => d.reason === reason).reduce((n, d) => n + d.count, 0);
  return { pipeline, spool, reporter, drops, warnings, errors, dropped };
}
