import { AnalyticsConfigError } from './analytics-config.error.js';
import type {
  IpPolicyOption,
  JitsuAnalyticsOptions,
  OverflowPolicy,
} from './analytics.options.js';
import type { AnalyticsEvent } from './events/analytics-event.interface.js';
import { DEFAULT_TABLES, resolveTableNames, TABLE_NAME_PATTERN, TableNames } from './events/table-router.js';
import { describeValue } from './options/describe-value.js';
import { resolveApiTracking } from './http/api-tracking.resolver.js';
import { resolveDatabaseOptions } from './instrumentation/database-options.js';
import { resolveOutboundHttpOptions } from './instrumentation/outbound-http-options.js';
import { resolveSystemOptions } from './instrumentation/system-options.js';
import { MAX_TIMER_MS, OptionReader } from './options/option-reader.js';
import { knownSecretSpellings, removeKnownSecrets } from './privacy/known-secrets.js';
import { resolveSpoolOptions } from './spool/spool-options.resolver.js';
import { checkWriteKey, resolveDestination, type ResolvedDestination, withoutEndpointPath } from './transports/destination-options.resolver.js';

export interface RetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  maxElapsedMs: number;
}

/** Options after validation: every default filled in, every number a number. */
export interface ResolvedOptions {
  enabled: boolean;
  debug: boolean;
  jitsuUrl?: string;
  writeKey?: string;
  protocol: 'next' | 'classic';
  destination: ResolvedDestination;
  batchSize: number;
  batchTimeout: number;
  maxQueueSize: number;
  maxQueueBytes: number;
  overflow: OverflowPolicy;
  maxBatchBytes: number;
  maxBatchEvents: number;
  maxInFlight: number;
  retry: RetryPolicy;
  requestTimeout: number;
  shutdownTimeout: number;
  gzipMinBytes?: number;
  proxy?: string;
  tables: TableNames;
  redactKeys: ReadonlyArray<string | RegExp>;
  maxStringLength: number;
  ipPolicy: IpPolicyOption;
  serviceName?: string;
  environment?: string;
  beforeSend?: (event: AnalyticsEvent) => AnalyticsEvent | null | undefined;
  raw: JitsuAnalyticsOptions;
}

/**
 * Every key of `JitsuAnalyticsOptions` (the record type makes the compiler check the list): a
 * misspelt option is an error, not a silent default.
 */
const TOP_LEVEL: Record<keyof JitsuAnalyticsOptions, true> = {
  jitsuUrl: true, writeKey: true, enabled: true, batchSize: true, batchTimeout: true, debug: true, protocol: true,
  destination: true, maxQueueSize: true, maxQueueBytes: true, overflow: true, maxBatchBytes: true,
  maxBatchEvents: true, maxInFlight: true, retry: true, requestTimeout: true, shutdownTimeout: true,
  gzipMinBytes: true, tables: true, redact: true, ipPolicy: true, serviceName: true, environment: true,
  beforeSend: true, api: true, errors: true, system: true, outboundHttp: true, database: true, spool: true, proxy: true,
};
const TOP_LEVEL_KEYS = Object.keys(TOP_LEVEL);
const RETRY_KEYS = ['maxAttempts', 'initialDelayMs', 'maxDelayMs', 'maxElapsedMs'];
const REDACT_KEYS = ['keys', 'maxStringLength'];

/** Jitsu refuses single events over 1,000,000 bytes. */
export const MAX_EVENT_BYTES = 1_000_000;

export function resolveOptions(input: JitsuAnalyticsOptions | undefined | null): ResolvedOptions {
  try {
    return resolve(input);
  } catch (error) {
    if (isConfigError(error)) throw error;
    // A getter or proxy among the options threw while they were read.
    const why = removeKnownSecrets(describeFailure(error), knownSecretSpellings(readWriteKey(input)));
    throw new AnalyticsConfigError([`options: reading them threw ${why}; expected plain values`]);
  }
}

function resolve(input: JitsuAnalyticsOptions | undefined | null): ResolvedOptions {
  const raw: JitsuAnalyticsOptions = input ?? {};
  const problems: string[] = [];
  const read = new OptionReader('', problems);
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new AnalyticsConfigError([`options: expected an object, got ${Array.isArray(raw) ? 'an array' : typeof raw}`]);
  read.object(raw, TOP_LEVEL_KEYS, 'an option listed in the README (Options)');
  read.nested('retry').object(raw.retry, RETRY_KEYS);
  read.nested('redact').object(raw.redact, REDACT_KEYS);
  read.nested('tables').object(raw.tables, Object.keys(DEFAULT_TABLES));

  const enabled = read.bool('enabled', raw.enabled, true);
  const protocol = read.oneOf('protocol', raw.protocol, ['next', 'classic'] as const, 'next');
  const jitsuUrl = withoutEndpointPath(read.url('jitsuUrl', raw.jitsuUrl), problems);
  const destination = resolveDestination(raw, jitsuUrl, problems);
  const writeKey = raw.writeKey;
  if (!('send' in destination) && destination.type === 'jitsu' && enabled) checkWriteKey(writeKey, protocol, problems);
  const retry = raw.retry ?? {};
  const maxBatchBytes = read.int('maxBatchBytes', raw.maxBatchBytes, 1024 * 1024, { min: 1024 });
  const tables = resolveTableNames(raw.tables);
  for (const [kind, name] of Object.entries(tables)) {
    if (typeof name !== 'string' || !TABLE_NAME_PATTERN.test(name)) {
      problems.push(`tables.${kind}: got ${typeof name === 'string' ? JSON.stringify(name) : describeValue(name)}, expected a table name of letters, digits and _ (not starting with a digit, at most 63 characters)`);
    }
  }
  if (raw.beforeSend !== undefined && typeof raw.beforeSend !== 'function') {
    read.problem('beforeSend', raw.beforeSend, 'a function (event) => event | null');
  }

  const resolved: ResolvedOptions = {
    enabled,
    debug: read.bool('debug', raw.debug, false),
    jitsuUrl,
    writeKey,
    protocol,
    destination,
    batchSize: read.int('batchSize', raw.batchSize, 10, { min: 1 }),
    batchTimeout: read.int('batchTimeout', raw.batchTimeout, 5000, { min: 1, max: MAX_TIMER_MS }),
    maxQueueSize: read.int('maxQueueSize', raw.maxQueueSize, 100_000, { min: 1 }),
    maxQueueBytes: read.int('maxQueueBytes', raw.maxQueueBytes, 64 * 1024 * 1024, { min: MAX_EVENT_BYTES }),
    overflow: read.oneOf('overflow', raw.overflow, ['dropNewest', 'dropOldest'] as const, 'dropNewest'),
    maxBatchBytes,
    maxBatchEvents: read.int('maxBatchEvents', raw.maxBatchEvents, 500, { min: 1 }),
    maxInFlight: read.int('maxInFlight', raw.maxInFlight, 2, { min: 1 }),
    retry: {
      maxAttempts: read.int('retry.maxAttempts', retry.maxAttempts, 10, { min: 1 }),
      initialDelayMs: read.int('retry.initialDelayMs', retry.initialDelayMs, 500, { min: 0, max: MAX_TIMER_MS }),
      maxDelayMs: read.int('retry.maxDelayMs', retry.maxDelayMs, 30_000, { min: 0, max: MAX_TIMER_MS }),
      maxElapsedMs: read.int('retry.maxElapsedMs', retry.maxElapsedMs, 300_000, { min: 0 }),
    },
    requestTimeout: read.int('requestTimeout', raw.requestTimeout, 10_000, { min: 1, max: MAX_TIMER_MS }),
    shutdownTimeout: read.int('shutdownTimeout', raw.shutdownTimeout, 5000, { min: 0, max: MAX_TIMER_MS }),
    gzipMinBytes: gzipMinBytes(read, raw.gzipMinBytes),
    proxy: read.url('proxy', raw.proxy),
    tables,
    redactKeys: redactKeys(read, raw.redact?.keys),
    maxStringLength: read.int('redact.maxStringLength', raw.redact?.maxStringLength, 16_384, { min: 16 }),
    ipPolicy: read.oneOf('ipPolicy', raw.ipPolicy, ['keep', 'stripLastOctet', 'remove'] as const, 'stripLastOctet'),
    serviceName: read.text('serviceName', raw.serviceName),
    environment: read.text('environment', raw.environment) ?? (process.env.NODE_ENV || undefined),
    beforeSend: raw.beforeSend,
    raw,
  };
  // The feature groups are resolved again by their features. Reading them here too makes a bad
  // option anywhere stop the bootstrap in one message, before anything (a spool's lock, a timer)
  // exists that a failed bootstrap would leave behind.
  const groups = [
    () => resolveApiTracking(raw, resolved.ipPolicy),
    () => resolveSystemOptions(raw.system),
    () => resolveOutboundHttpOptions(raw.outboundHttp),
    () => resolveDatabaseOptions(raw.database),
    () => resolveSpoolOptions(raw.spool),
  ];
  for (const group of groups) {
    try {
      group();
    } catch (error) {
      if (!isConfigError(error)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) {
    // Values are quoted back, and a mixed-up environment puts the key into any of them.
    const secrets = knownSecretSpellings(raw.writeKey);
    throw new AnalyticsConfigError(problems.map((problem) => removeKnownSecrets(problem, secrets)));
  }
  return resolved;
}

/** `redact.keys`: names and RegExps. Anything else would silently redact nothing. */
function redactKeys(read: OptionReader, keys: unknown): ReadonlyArray<string | RegExp> {
  if (keys === undefined || keys === null) return [];
  if (!Array.isArray(keys)) {
    read.problem('redact.keys', keys, "an array of key names and RegExps, e.g. ['internal_note', /^x-/i]");
    return [];
  }
  keys.forEach((key: unknown, i) => {
    if (!(typeof key === 'string' && key.trim() !== '') && !(key instanceof RegExp)) read.problem(`redact.keys[${i}]`, key, 'a non-empty key name or a RegExp');
  });
  return keys as Array<string | RegExp>;
}

/** `gzipMinBytes`: bytes, or `Infinity` (also as text, from `process.env`) to send every body uncompressed. */
function gzipMinBytes(read: OptionReader, value: unknown): number | undefined {
  if (value === Number.POSITIVE_INFINITY || (typeof value === 'string' && value.trim() === 'Infinity')) return Number.POSITIVE_INFINITY;
  if (value === undefined || value === null || value === '') return undefined;
  return read.int('gzipMinBytes', value, 0, { min: 0, unit: 'bytes' });
}

/** `instanceof` itself throws on a revoked proxy, which a hostile getter may throw. */
function isConfigError(error: unknown): error is AnalyticsConfigError {
  try {
    return error instanceof AnalyticsConfigError;
  } catch {
    return false;
  }
}

function describeFailure(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
  } catch {
    return 'an unreadable error';
  }
}

function readWriteKey(input: unknown): unknown {
  try {
    return (input as JitsuAnalyticsOptions | null | undefined)?.writeKey;
  } catch {
    return undefined;
  }
}
