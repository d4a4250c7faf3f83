import { Injectable } from '@nestjs/common';
import type { AnalyticsCore } from './analytics-core.js';
import type { TrackOptions } from './events/event-draft.interface.js';
import {
  authEvent,
  backendErrorEvent,
  databaseQueryEvent,
  emailEvent,
  externalApiEvent,
  Extra,
  fileEvent,
  KindEvent,
  paymentEvent,
} from './events/event-builders.js';
import { captureRequestError } from './http/record-api-exception.js';
import { trackApiRequest, type MiddlewareNext } from './http/track-api-request.js';
import type { AnalyticsEventMap } from './pipeline/analytics-reporter.js';
import { resolveDatabaseOptions } from './instrumentation/database-options.js';
import { dbErrorCode, safeDbError } from './instrumentation/db-error-message.js';
import type { SqlDialect } from './privacy/sql-dialect.js';
import { UNREADABLE } from './events/sanitize.js';
import { errorStatus } from './decorators/default-extractors.js';
import { describeThrown } from './options/describe-thrown.js';
import type { AnalyticsStats } from './pipeline/analytics-stats.interface.js';

const queued = Promise.resolve();

/**
 * The public facade. No method throws into the caller or waits on the network: events are
 * queued and the returned promises resolve once they are queued (not delivered; `flush()` waits
 * for delivery). With `enabled: false` every method is a cheap no-op.
 */
@Injectable()
export class AnalyticsService {
  /** How `trackDbQuery`/`timeDbQuery` read SQL (`database.dialect`); the options were validated at bootstrap. */
  private readonly sqlDialect: SqlDialect;

  constructor(readonly core: AnalyticsCore) {
    this.sqlDialect = resolveDatabaseOptions(core.options.raw.database).dialect;
  }

  /** Queues a custom event; it goes to `options.table`, else `custom_events` (`tables.custom`). */
  track(event: string, properties?: object | null, options?: TrackOptions): void {
    if (!this.core.enabled) return;
    try {
      this.core.record({
        event,
        table: options?.table ?? this.core.options.tables.custom,
        // `event_action` defaults to 'custom' in the envelope, not here: see `snapshot`.
        properties: this.propertiesOf(properties),
        userId: options?.userId,
        anonymousId: options?.anonymousId,
        timestamp: options?.timestamp,
      });
    } catch {
      // record() never throws; this guards hostile options, or properties that cannot even be listed (a revoked proxy).
      this.core.reporter.dropped('invalid_event', ['(unassigned)'], 'track() properties or options could not be read');
    }
  }

  /** Another name for `track`: resolves once the event is queued. */
  sendEvent(event: string, properties?: object | null): Promise<void> {
    this.track(event, properties);
    return queued;
  }

  trackUserAuth(action: string, userId: string | number | null | undefined, success: boolean, extra?: Extra): Promise<void> {
    return this.kind(() => authEvent(action, userId, success, extra));
  }

  trackPayment(action: string, amount: number, currency: string, success: boolean, extra?: Extra): Promise<void> {
    return this.kind(() => paymentEvent(action, amount, currency, success, extra));
  }

  /**
   * Records the SQL as a fingerprint (no literal values), its type and table. A failed query
   * also records a `Backend Error` (`error_source: 'database'`); pass the driver's error as
   * `extra.error` to name it.
   */
  trackDbQuery(query: string, durationMs: number, success: boolean, extra?: Extra): Promise<void> {
    if (!this.core.enabled) return queued;
    let fields: { error: unknown; rest: Record<string, unknown> };
    try {
      const { error, ...rest } = extra ?? {};
      fields = { error, rest };
    } catch (thrown) {
      // A getter or proxy in `extra` threw: neither event can be built.
      const ids = success ? ['(unassigned)'] : ['(unassigned)', '(unassigned)'];
      this.core.reporter.dropped('invalid_event', ids, `trackDbQuery() extra could not be read: ${describeThrown(thrown)}`);
      return queued;
    }
    const { error, rest } = fields;
    this.record(() => databaseQueryEvent(query, durationMs, success, rest, this.sqlDialect));
    if (!success) {
      const fallback = rest.errorCode === undefined ? 'query failed' : `query failed with code ${String(rest.errorCode)}`;
      // Driver messages quote the offending values (`Duplicate entry 'bob@x.io'`): keep only object names.
      this.recordError('database', error === undefined ? { name: 'QueryFailed', message: fallback } : safeDbError(error, fallback));
    }
    return queued;
  }

  /** Records the recipient's domain only, never the address. */
  trackEmailSend(to: string, template: string, success: boolean, extra?: Extra): Promise<void> {
    return this.kind(() => emailEvent(to, template, success, extra));
  }

  trackFileOperation(operation: string, fileType: string, fileSize: number, success: boolean, extra?: Extra): Promise<void> {
    return this.kind(() => fileEvent(operation, fileType, fileSize, success, extra));
  }

  trackExternalApiCall(service: string, endpoint: string, durationMs: number, success: boolean, extra?: Extra): Promise<void> {
    return this.kind(() => externalApiEvent(service, endpoint, durationMs, success, extra));
  }

  /**
   * Records a `Backend Error` with `error_source: 'api'`, with method and route when a request is
   * given. For a request the library is tracking (an app's own exception filter calling this),
   * the error joins that request instead: recorded once, when its response ends, with the status
   * sent, however many of the library's components and filters report it.
   */
  trackApiError(error: unknown, request?: { method?: string; url?: string; route?: { path?: string } }): Promise<void> {
    if (request !== undefined && captureRequestError(this.core, request, error)) return queued;
    return this.kind(() =>
      backendErrorEvent({
        source: 'api',
        error,
        statusCode: errorStatus(error),
        method: request?.method,
        route: request?.route?.path ?? request?.url?.split('?')[0],
      }),
    );
  }

  /** Express/Fastify middleware for routes no Nest controller serves. */
  trackApiRequest(req: unknown, res: unknown, next: MiddlewareNext): void {
    trackApiRequest(this.core, req, res, next);
  }

  /** Times a raw driver query and records it like `trackDbQuery`; the result or error passes through untouched. */
  async timeDbQuery<T>(sql: string, run: () => T | Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await run();
      void this.trackDbQuery(sql, performance.now() - started, true);
      return result;
    } catch (error) {
      void this.trackDbQuery(sql, performance.now() - started, false, { errorCode: dbErrorCode(error), error });
      throw error;
    }
  }

  /** Resolves when everything queued before the call is delivered or finally dropped. */
  flush(): Promise<void> {
    return this.core.flush();
  }

  /** Delivers what is queued within `shutdownTimeout`, then stops; later events count as dropped (`closed`). */
  shutdown(): Promise<void> {
    return this.core.shutdown();
  }

  on<K extends keyof AnalyticsEventMap>(event: K, listener: (...args: AnalyticsEventMap[K]) => void): this {
    this.core.reporter.on(event, listener);
    return this;
  }

  off<K extends keyof AnalyticsEventMap>(event: K, listener: (...args: AnalyticsEventMap[K]) => void): this {
    this.core.reporter.off(event, listener);
    return this;
  }

  stats(): AnalyticsStats {
    return this.core.stats();
  }

  /** Adds a `Backend Error` for a failed tracked operation. */
  recordError(source: string, error: unknown, extra?: Extra): void {
    if (!this.core.enabled) return;
    this.record(() => backendErrorEvent({ source, error, statusCode: errorStatus(error) }, extra));
  }

  private kind(build: () => KindEvent): Promise<void> {
    if (!this.core.enabled) return queued;
    this.record(build);
    return queued;
  }

  private record(build: () => KindEvent): void {
    try {
      this.core.recordKind(build());
    } catch (error) {
      this.core.reporter.dropped('invalid_event', ['(unassigned)'], `could not build the event: ${describeThrown(error)}`);
    }
  }

  /** A snapshot of the caller's properties (events are built after `track()` returns). */
  private propertiesOf(properties: unknown): Record<string, unknown> {
    if (properties === undefined || properties === null) return {};
    if (properties instanceof Map) return Object.fromEntries([...properties].map(([key, value]) => [String(key), value]));
    if (typeof properties === 'object' && !Array.isArray(properties) && !(properties instanceof Date) && !(properties instanceof Error)) {
      return snapshot(properties);
    }
    const kind = Array.isArray(properties) ? 'an array' : properties instanceof Date ? 'a Date' : properties instanceof Error ? 'an Error' : typeof properties;
    this.core.reporter.warn('invalid_properties', `track() properties should be an object, got ${kind}: kept as { value }`);
    return { value: properties };
  }
}

/**
 * The object's own fields, copied (a spread keeps V8 on its fast copy: 41 ns against 110 ns with
 * a leading literal field); a field whose getter throws becomes "[Unreadable]" and the others stay.
 */
function snapshot(properties: object): Record<string, unknown> {
  try {
    return { ...properties };
  } catch {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(properties)) {
      try {
        out[key] = (properties as Record<string, unknown>)[key];
      } catch {
        out[key] = UNREADABLE;
      }
    }
    return out;
  }
}

