import { AsyncResource } from 'node:async_hooks';
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
import { isReadableStream, onStreamOver } from './instrumentation/stream-end.js';
import type { SqlDialect } from './privacy/sql-dialect.js';
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
    const fields = this.core.callerFields(properties, 'track() properties') ?? {};
    try {
      this.core.record({
        event,
        table: options?.table ?? this.core.options.tables.custom,
        // `event_action` defaults to 'custom' in the envelope, not here: a field added to the copy would slow it (see `callerFields`).
        properties: fields,
        userId: options?.userId,
        anonymousId: options?.anonymousId,
        timestamp: options?.timestamp,
      });
    } catch {
      // record() never throws; this guards options whose fields cannot be read.
      this.core.reporter.dropped('invalid_event', ['(unassigned)'], 'track() options could not be read');
    }
  }

  /** Another name for `track`: resolves once the event is queued. */
  sendEvent(event: string, properties?: object | null): Promise<void> {
    this.track(event, properties);
    return queued;
  }

  trackUserAuth(action: string, userId: string | number | null | undefined, success: boolean, extra?: Extra): Promise<void> {
    return this.kind('trackUserAuth', extra, (fields) => authEvent(action, userId, success, fields));
  }

  trackPayment(action: string, amount: number, currency: string, success: boolean, extra?: Extra): Promise<void> {
    return this.kind('trackPayment', extra, (fields) => paymentEvent(action, amount, currency, success, fields));
  }

  /**
   * Records the SQL as a fingerprint (no literal values), its type and table. A failed query
   * also records a `Backend Error` (`error_source: 'database'`); pass the driver's error as
   * `extra.error` to name it.
   */
  trackDbQuery(query: string, durationMs: number, success: boolean, extra?: Extra): Promise<void> {
    if (!this.core.enabled) return queued;
    const { error, ...rest } = this.extraOf('trackDbQuery', extra);
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
    return this.kind('trackEmailSend', extra, (fields) => emailEvent(to, template, success, fields));
  }

  trackFileOperation(operation: string, fileType: string, fileSize: number, success: boolean, extra?: Extra): Promise<void> {
    return this.kind('trackFileOperation', extra, (fields) => fileEvent(operation, fileType, fileSize, success, fields));
  }

  trackExternalApiCall(service: string, endpoint: string, durationMs: number, success: boolean, extra?: Extra): Promise<void> {
    return this.kind('trackExternalApiCall', extra, (fields) => externalApiEvent(service, endpoint, durationMs, success, fields));
  }

  /**
   * Records a `Backend Error` with `error_source: 'api'`, with method and route when a request is
   * given. For a request the library is tracking (an app's own exception filter calling this),
   * the error joins that request instead: recorded once, when its response ends, with the status
   * sent, however many of the library's components and filters report it.
   */
  trackApiError(error: unknown, request?: { method?: string; url?: string; route?: { path?: string } }): Promise<void> {
    if (request !== undefined && captureRequestError(this.core, request, error)) return queued;
    if (!this.core.enabled) return queued;
    const { method, route } = requestFields(request);
    this.record(() => backendErrorEvent({ source: 'api', error, statusCode: errorStatus(error), method, route }));
    return queued;
  }

  /** Express/Fastify middleware for routes no Nest controller serves. */
  trackApiRequest(req: unknown, res: unknown, next: MiddlewareNext): void {
    trackApiRequest(this.core, req, res, next);
  }

  /**
   * Times a raw driver query and records it like `trackDbQuery`; the result or error passes
   * through untouched. A query that gives back a stream of rows (`pg-query-stream`, mysql2's
   * `stream()`) is timed until the stream ends, fails or is closed by its reader.
   */
  async timeDbQuery<T>(sql: string, run: () => T | Promise<T>): Promise<T> {
    const started = performance.now();
    const done = (error?: unknown) => {
      const durationMs = performance.now() - started;
      void (error === undefined
        ? this.trackDbQuery(sql, durationMs, true)
        : this.trackDbQuery(sql, durationMs, false, { errorCode: dbErrorCode(error), error }));
    };
    let result: T;
    try {
      result = await run();
    } catch (error) {
      done(error);
      throw error;
    }
    // The rows arrive in the connection's context: the query belongs to this caller's request.
    if (isReadableStream(result)) onStreamOver(result, AsyncResource.bind(done));
    else done();
    return result;
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
    const fields = this.extraOf('recordError', extra);
    this.record(() => backendErrorEvent({ source, error, statusCode: errorStatus(error) }, fields));
  }

  private kind(method: string, extra: Extra, build: (fields: Record<string, unknown>) => KindEvent): Promise<void> {
    if (!this.core.enabled) return queued;
    const fields = this.extraOf(method, extra);
    this.record(() => build(fields));
    return queued;
  }

  private record(build: () => KindEvent): void {
    try {
      this.core.recordKind(build());
    } catch (error) {
      this.core.reporter.dropped('invalid_event', ['(unassigned)'], `could not build the event: ${describeThrown(error)}`);
    }
  }

  /** The fields of a method's `extra`, copied; one that is no object of fields is left out (see `callerFields`). */
  private extraOf(method: string, extra: unknown): Record<string, unknown> {
    return this.core.callerFields(extra, `${method}() extra`, 'left out') ?? {};
  }
}

/** The method and route of the request `trackApiError` was given, or none if it cannot be read. */
function requestFields(request: { method?: string; url?: string; route?: { path?: string } } | undefined): { method?: string; route?: string } {
  try {
    return { method: request?.method, route: request?.route?.path ?? request?.url?.split('?')[0] };
  } catch {
    return {};
  }
}
