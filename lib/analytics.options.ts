import type { AnalyticsEvent } from './events/analytics-event.interface.js';
import type { TableOverrides } from './events/table-router.js';
import type { ApiTrackingOptions, ErrorTrackingOptions } from './http/api-tracking.options.js';
import type { DatabaseOptions } from './instrumentation/database-options.js';
import type { OutboundHttpOptions } from './instrumentation/outbound-http-options.js';
import type { SystemOptions } from './instrumentation/system-options.js';
import type { SpoolOptions } from './spool/spool.options.js';
import type { AnalyticsTransport } from './transports/transport.interface.js';

export type IpPolicyOption = 'keep' | 'stripLastOctet' | 'remove';
export type OverflowPolicy = 'dropNewest' | 'dropOldest';

/** Where batches go. Defaults to `'jitsu'` when `jitsuUrl` is set, else `'console'`. */
export type DestinationOption =
  | 'jitsu'
  | 'memory'
  | 'console'
  | { type: 'jitsu' }
  | { type: 'memory' }
  | { type: 'console' }
  | { type: 'warehouse'; url: string }
  | AnalyticsTransport;

export interface RetryOptions {
  /** Attempts per batch, the first included. Default 10. */
  maxAttempts?: number | string;
  /** Backoff base: the wait after the n-th failed attempt is random in [0, min(maxDelayMs, initialDelayMs·2^(n-1))]. Default 500. */
  initialDelayMs?: number | string;
  /** Cap of one backoff wait. Default 30 000. */
  maxDelayMs?: number | string;
  /** A batch is given up after this long since its first attempt. Default 300 000 (5 min). */
  maxElapsedMs?: number | string;
}

export interface RedactOptions {
  /** Extra property keys (names or patterns) whose values are replaced by "[REDACTED]". */
  keys?: ReadonlyArray<string | RegExp>;
  /** Longer strings are cut (and counted in `stats().warnings.truncated`). Default 16 384. */
  maxStringLength?: number | string;
}

/** Options of `JitsuAnalyticsModule.forRoot` and `createAnalytics`. Strings are accepted for numbers and booleans, since values often come from `process.env`. */
export interface JitsuAnalyticsOptions {
  /** Base URL of the Jitsu server, e.g. `http://localhost:8080`. */
  jitsuUrl?: string;
  /** Jitsu server-to-server write key `keyId:secret` (Classic: the server token). Never logged. */
  writeKey?: string;
  /** `false` turns every call into a cheap no-op: nothing is queued or sent. Default true. */
  enabled?: boolean | string;
  /** A flush starts once this many events are queued. Default 10. */
  batchSize?: number | string;
  /** A flush starts this many ms after the first event enters an empty queue. Default 5000. */
  batchTimeout?: number | string;
  /** Log every delivery and retry through Nest's Logger. Default false. */
  debug?: boolean | string;
  /** Jitsu flavour. Default 'next'. */
  protocol?: 'next' | 'classic';
  destination?: DestinationOption;
  /** Most events held (queued + in flight). Default 100 000 (a synchronous burst cannot be sent until the loop yields). */
  maxQueueSize?: number | string;
  /** Most bytes of serialised events held (queued + in flight). Default 64 MiB. */
  maxQueueBytes?: number | string;
  /** Which event a full queue drops. Default 'dropNewest'. */
  overflow?: OverflowPolicy;
  /** Most serialised bytes in one request. Default 1 MiB. */
  maxBatchBytes?: number | string;
  /** Most events in one request. Default 500. */
  maxBatchEvents?: number | string;
  /** Batches in flight at once. Default 2. */
  maxInFlight?: number | string;
  retry?: RetryOptions;
  /** Deadline of one delivery request, ms. Default 10 000. */
  requestTimeout?: number | string;
  /** How long shutdown may spend delivering what is queued, ms. Default 5000. */
  shutdownTimeout?: number | string;
  /** Gzip Jitsu request bodies at or above this many bytes; `Infinity` never gzips. Default: the transport's measured threshold. */
  gzipMinBytes?: number | string;
  /**
   * An HTTP(S) forward proxy for the requests to Jitsu (a `CONNECT` tunnel), e.g.
   * `http://user:pass@proxy.internal:3128`; never logged. Default none: `HTTPS_PROXY` is not read
   * by itself (pass `process.env.HTTPS_PROXY`).
   */
  proxy?: string;
  /** Table names by event kind (`api`, `database`, ..., `custom`). */
  tables?: TableOverrides;
  redact?: RedactOptions;
  /** What is kept of client IPs. Default 'stripLastOctet'. */
  ipPolicy?: IpPolicyOption;
  /** Sent as `service_name` on every event. */
  serviceName?: string;
  /** Sent as `environment` on every event. Default `process.env.NODE_ENV` when set. */
  environment?: string;
  /** Last look at each event before it is queued: return it (changed or not), or null to drop it (counted as `filtered`). */
  beforeSend?: (event: AnalyticsEvent) => AnalyticsEvent | null | undefined;
  /** One `API Call` per request: `enabled` (true), `identify`, `trustProxy` (false), `exclude` ([]), `sampleRate` (1), `contexts` ('track'). See `ApiTrackingOptions`. */
  api?: ApiTrackingOptions;
  /** One `Backend Error` per exception reaching Nest's exception layer: `enabled` (true). See `ErrorTrackingOptions`. */
  errors?: ErrorTrackingOptions;
  /** `System Performance` every `intervalMs`: `enabled` (true), `intervalMs` (60 000, at least 100). See `SystemOptions`. */
  system?: SystemOptions;
  /** `External API Call` per outbound fetch/undici/http(s) request: `enabled` (false), `services` (host → name, {}). See `OutboundHttpOptions`. */
  outboundHttp?: OutboundHttpOptions;
  /** Recording of automatically timed queries (TypeORM): `slowQueryMs` (1000), `sampleRate` (1), `ignore` ([]). See `DatabaseOptions`. */
  database?: DatabaseOptions;
  /**
   * Disk spool, off by default: `{ dir, maxBytes (256 MiB), fsync ('interval') }`. Events are
   * written to files under `dir` before they count as queued and survive a crash or a restart;
   * see `SpoolOptions`.
   */
  spool?: SpoolOptions;
}
