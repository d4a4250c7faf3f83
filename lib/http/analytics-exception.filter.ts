import { type ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter, type HttpAdapterHost } from '@nestjs/core';
import type { AnalyticsCore } from '../analytics-core.js';
import { recordApiException } from './record-api-exception.js';
import type { ShadowedFilters } from './shadowed-filters.js';

/**
 * Registered globally by `JitsuAnalyticsModule` (`errors.enabled`, default on). Records each
 * exception that reaches Nest's exception layer as one `Backend Error` (`error_source: 'api'`),
 * then lets Nest answer exactly as it would without the library: HTTP through
 * `BaseExceptionFilter` (same status, body and log line), microservices and GraphQL by returning
 * nothing, which their exception handlers read as "not handled" and answer themselves.
 *
 * Composition with an app's own filters: Nest runs ONE filter per exception — a method's, else
 * its controller's, else the global filter registered last that catches it. The app's
 * `useGlobalFilters()` filters and its controller filters are registered after this one, so they
 * answer the exceptions they catch instead of it. An app's `APP_FILTER` providers are registered
 * before it (its module imports this one): for an exception one of them catches, this filter
 * records it and then hands it to that filter (`ShadowedFilters`), so the app answers as it would
 * without the library. Nothing is
 * lost for exceptions thrown in handlers, pipes and interceptors: the library's interceptor sees
 * them, and the request's `API Call` carries the status the app's filter sent. Exceptions thrown
 * in guards and middleware reach only the filter that answers them: to record those too, call
 * `recordApiException(analytics, exception, host)` in your filter (each exception still counts once).
 * A microservice call or GraphQL subscription that a guard refused is recorded here, as an
 * `API Call` that failed at once and its `Backend Error` (`non-http-calls.ts`).
 * Nest does not apply global filters to WebSocket gateways; their handlers' exceptions are
 * recorded by the interceptor.
 */
@Catch()
export class AnalyticsExceptionFilter extends BaseExceptionFilter {
  constructor(
    private readonly analytics: { core: AnalyticsCore },
    adapterHost?: HttpAdapterHost,
    /** The app's own `APP_FILTER`s, which Nest would have picked had this one not been registered after them. */
    private readonly shadowed?: ShadowedFilters,
  ) {
    super();
    // Read when an exception is caught, not now: a testing module builds its providers before
    // the application gets its HTTP adapter.
    if (adapterHost) (this as unknown as { httpAdapterHost?: HttpAdapterHost }).httpAdapterHost = adapterHost;
  }

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    recordApiException(this.analytics, exception, host);
    const shadowed = this.shadowed?.catching(exception);
    if (shadowed) return shadowed.catch(exception, host);
    if (host.getType() === 'http') super.catch(exception, host);
    return undefined;
  }
}
