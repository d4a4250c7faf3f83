import { type HttpServer, type MiddlewareConsumer, type Provider, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import type { AnalyticsCore } from '../analytics-core.js';
import { ANALYTICS_CORE } from '../jitsu-analytics.constants.js';
import { AnalyticsExceptionFilter } from './analytics-exception.filter.js';
import type { ApiTracker } from './api-tracker.js';
import { apiTrackerFor } from './api-tracker.registry.js';
import { ApiTrackingInterceptor } from './api-tracking.interceptor.js';
import { FastifyRequestBinding } from './fastify-request-binding.js';
import { notFoundHandlerFor, routeLookupFor } from './parsers/route-lookup.js';
import { nameRegisteredHandlers, nameRouteHandlers } from './route-names.js';
import { RefusedCallHandlers } from './refused-call-handlers.js';
import { ShadowedFilters } from './shadowed-filters.js';
import { SkippedRoutes } from './skipped-routes.js';
import { trackApiRequest, type MiddlewareNext } from './track-api-request.js';

export const API_TRACKER = Symbol('JITSU_ANALYTICS_API_TRACKER');

/**
 * What `JitsuAnalyticsModule` registers for API tracking. The tracker is built with the module
 * (so bad `api`/`errors` options fail the bootstrap); a factory that returns null registers no
 * global enhancer, so a disabled feature costs nothing per request.
 */
export const apiTrackingProviders: Provider[] = [
  {
    provide: API_TRACKER,
    inject: [ANALYTICS_CORE, ModulesContainer, HttpAdapterHost],
    useFactory: (core: AnalyticsCore, modules: ModulesContainer, adapterHost: HttpAdapterHost) => {
      const tracker = apiTrackerFor(core);
      nameRouteHandlers(modules);
      if (tracker.active) nameRegisteredHandlers(adapterHost.httpAdapter);
      tracker.routes.skipped = new SkippedRoutes(modules);
      tracker.refusedCallHandlers = new RefusedCallHandlers(modules);
      return tracker;
    },
  },
  {
    provide: APP_INTERCEPTOR,
    inject: [API_TRACKER],
    useFactory: (tracker: ApiTracker) => (tracker.active ? new ApiTrackingInterceptor(tracker) : null),
  },
  {
    provide: APP_FILTER,
    inject: [API_TRACKER, HttpAdapterHost, ModulesContainer],
    useFactory: (tracker: ApiTracker, adapterHost: HttpAdapterHost, modules: ModulesContainer) => {
      if (!tracker.core.enabled || !tracker.settings.errorsEnabled) return null;
      const filter: AnalyticsExceptionFilter = new AnalyticsExceptionFilter(tracker, adapterHost, new ShadowedFilters(modules, () => filter));
      return filter;
    },
  },
  {
    provide: FastifyRequestBinding,
    inject: [API_TRACKER, HttpAdapterHost],
    useFactory: (tracker: ApiTracker, adapterHost: HttpAdapterHost) => new FastifyRequestBinding(tracker, adapterHost),
  },
];

/**
 * Mounts the request middleware on every route (from the module's `configure`). On Express it goes
 * straight onto the app, ahead of every other middleware, the app's own included (Nest's mounting
 * would add a path match, an async exception proxy and a per-request set to every request).
 * Elsewhere (Fastify's middie) it is mounted as Nest middleware. The adapter's router also answers
 * which route a request a middleware rejected was for.
 */
export function applyApiTrackingMiddleware(consumer: MiddlewareConsumer, core: AnalyticsCore, adapter: HttpServer | undefined): void {
  const tracker = apiTrackerFor(core);
  if (!tracker.active) return;
  const middleware = function jitsuAnalyticsRequest(req: unknown, res: unknown, next: MiddlewareNext) {
    trackApiRequest(core, req, res, next);
  };
  if (adapter?.getType() === 'express') {
    adapter.use(middleware);
    moveToFront(adapter.getInstance(), middleware);
  } else consumer.apply(middleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  tracker.routes.lookup = routeLookupFor(adapter);
  tracker.routes.notFoundHandler = notFoundHandlerFor(adapter);
}

/**
 * The app's own `app.use()` middleware (helmet, a rate limiter, CORS) was mounted before the
 * module's `configure` ran: moved ahead of it, the tracking middleware also sees the requests they
 * answer, and their events carry the request id. Express 5's router keeps its layers in `stack`.
 */
function moveToFront(app: unknown, middleware: unknown): void {
  const stack = (app as { router?: { stack?: unknown } } | null | undefined)?.router?.stack;
  if (!Array.isArray(stack)) return;
  const at = stack.findIndex((layer: { handle?: unknown } | null) => layer?.handle === middleware);
  if (at > 0) stack.unshift(...stack.splice(at, 1));
}
