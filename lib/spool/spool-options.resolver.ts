import { resolve } from 'node:path';
import { AnalyticsConfigError } from '../analytics-config.error.js';
import { describeValue } from '../options/describe-value.js';
import { OptionReader } from '../options/option-reader.js';
import type { SpoolFsyncPolicy } from './spool.options.js';

export interface ResolvedSpoolOptions {
  /** Absolute, so a later `process.chdir` cannot move the spool. */
  dir: string;
  maxBytes: number;
  fsync: SpoolFsyncPolicy;
  /** A segment is sealed once it reaches this size (derived from maxBytes: see below). */
  segmentBytes: number;
}

export const DEFAULT_SPOOL_MAX_BYTES = 256 * 1024 * 1024;
export const MIN_SPOOL_MAX_BYTES = 64 * 1024;
const MAX_SEGMENT_BYTES = 4 * 1024 * 1024;
const MIN_SEGMENT_BYTES = 16 * 1024;
const FSYNC_POLICIES: readonly SpoolFsyncPolicy[] = ['always', 'interval', 'never'];
const KNOWN_KEYS = ['dir', 'maxBytes', 'fsync'];

/**
 * Validates `options.spool`; undefined when the spool is off (absent, null or false). Throws
 * `AnalyticsConfigError` naming every bad field.
 */
export function resolveSpoolOptions(raw: unknown): ResolvedSpoolOptions | undefined {
  try {
    return readSpoolOptions(raw);
  } catch (error) {
    if (error instanceof AnalyticsConfigError) throw error;
    // A getter or proxy among the options threw while they were read.
    throw new AnalyticsConfigError([`spool: reading it threw (${(error as { name?: unknown } | null)?.name ?? typeof error}); expected a plain object`]);
  }
}

function readSpoolOptions(raw: unknown): ResolvedSpoolOptions | undefined {
  if (raw === undefined || raw === null || raw === false) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AnalyticsConfigError([`spool: got ${describeValue(raw)}, expected { dir: string, maxBytes?: number, fsync?: 'always' | 'interval' | 'never' }`]);
  }
  const read = new OptionReader('spool');
  const input = read.object(raw, KNOWN_KEYS, 'dir, maxBytes or fsync');
  const dir = input.dir;
  if (typeof dir !== 'string' || dir.trim() === '') {
    read.problem('dir', dir, 'the path of a directory for the spool files (created if missing)');
  }
  const maxBytes = read.int('maxBytes', input.maxBytes, DEFAULT_SPOOL_MAX_BYTES, { min: MIN_SPOOL_MAX_BYTES, unit: 'bytes' });
  const fsync = read.oneOf('fsync', input.fsync, FSYNC_POLICIES, 'interval');
  read.throwIfAny();
  return {
    dir: resolve(dir as string),
    maxBytes,
    fsync,
    segmentBytes: segmentBytesFor(maxBytes),
  };
}

/**
 * Disk is freed a whole segment at a time, so segments are kept to an eighth of the budget
 * (at most 4 MiB): a spool near `maxBytes` always has sealed segments that deliveries can free.
 */
export function segmentBytesFor(maxBytes: number): number {
  return Math.min(MAX_SEGMENT_BYTES, Math.max(MIN_SEGMENT_BYTES, Math.floor(maxBytes / 8)));
}
