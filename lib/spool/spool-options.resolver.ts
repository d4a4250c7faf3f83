import { resolve } from 'node:path';
import { AnalyticsConfigError } from '../analytics-config.error.js';
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
const KNOWN_KEYS = new Set(['dir', 'maxBytes', 'fsync']);

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
    throw new AnalyticsConfigError([`spool: got ${describe(raw)}, expected { dir: string, maxBytes?: number, fsync?: 'always' | 'interval' | 'never' }`]);
  }
  const input = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.has(key)) problems.push(`spool.${key}: unknown option; expected dir, maxBytes or fsync`);
  }
  const dir = input.dir;
  if (typeof dir !== 'string' || dir.trim() === '') {
    problems.push(`spool.dir: got ${describe(dir)}, expected the path of a directory for the spool files (created if missing)`);
  }
  const maxBytes = readMaxBytes(input.maxBytes, problems);
  const fsync = input.fsync ?? 'interval';
  if (!FSYNC_POLICIES.includes(fsync as SpoolFsyncPolicy)) {
    problems.push(`spool.fsync: got ${describe(fsync)}, expected one of ${FSYNC_POLICIES.map((p) => `'${p}'`).join(', ')}`);
  }
  if (problems.length > 0) throw new AnalyticsConfigError(problems);
  return {
    dir: resolve(dir as string),
    maxBytes,
    fsync: fsync as SpoolFsyncPolicy,
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

function readMaxBytes(value: unknown, problems: string[]): number {
  if (value === undefined || value === null || value === '') return DEFAULT_SPOOL_MAX_BYTES;
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= MIN_SPOOL_MAX_BYTES) return n;
  problems.push(`spool.maxBytes: got ${describe(value)}, expected an integer number of bytes >= ${MIN_SPOOL_MAX_BYTES} (a number or a numeric string)`);
  return DEFAULT_SPOOL_MAX_BYTES;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}
