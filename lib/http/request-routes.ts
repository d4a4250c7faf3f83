import type { HttpCallState } from './http-call-state.js';
import type { RouteLookup } from './parsers/route-lookup.js';
import { controllerAndHandlerOf, routeHandlerOf, routeTemplateOf } from './parsers/http-request.parser.js';
import { redactParamValues, redactPathParams, sensitiveSegments, type SensitiveSegments } from './path-params.js';
import { isTrackingSkipped } from './skip-tracking.decorator.js';
import type { SkippedRoutes } from './skipped-routes.js';

/**
 * Which route a request was for when no interceptor said so (a guard or a middleware rejected it,
 * or no controller serves it), and the concrete path as it may be sent: without the values of
 * route parameters named like secrets (`/reset/:token`).
 */
export class RequestRoutes {
  /** Set by the Nest module; absent for `createAnalytics`, which has no controllers. */
  skipped?: SkippedRoutes;
  /** Set by the Nest module: the route a request was for, asked of the router, when none was dispatched. */
  lookup?: (method: string, path: string) => RouteLookup | undefined;
  /** Set by the Nest module on Express: the handler Nest routes unmatched requests to, which is no route of the app's. */
  notFoundHandler?: () => unknown;
  /** Per route template, where its sensitive parameters sit in a concrete path. */
  private readonly secrets = new Map<string, SensitiveSegments>();

  constructor(private readonly isSensitive: (name: string) => boolean) {}

  /** Route, controller and handler from the router; `skip` when the handler is `@SkipTracking()`. */
  identify(state: HttpCallState): void {
    const ignored = state.middlewareRoutes;
    let handler = routeHandlerOf(state.request, ignored) ?? routeHandlerOf(state.raw, ignored);
    // Under a global prefix, Nest's answer to an unmatched request is itself routed: no route of the app's.
    if (handler !== undefined && handler === this.notFoundHandler?.()) handler = undefined;
    else state.route ??= routeTemplateOf(state.request, ignored) ?? routeTemplateOf(state.raw, ignored);
    // A middleware answered before the router dispatched: what matched, if anything, is the
    // middleware's own route (Nest mounts middleware as routes), not the controller's.
    if (controllerAndHandlerOf(handler).handler === undefined) {
      const found = this.lookup?.(state.method, state.path);
      if (found?.template !== undefined) {
        state.route = found.template;
        handler = found.handler;
      }
      state.routeParams = found?.params;
    }
    if (!handler) return;
    const names = controllerAndHandlerOf(handler);
    state.controller ??= names.controller;
    state.handler ??= names.handler;
    const named = names.controller !== undefined && names.handler !== undefined;
    if (isTrackingSkipped(handler) || (named && this.skipped?.has(names.controller!, names.handler!))) state.skip = true;
  }

  /** The concrete path, without the values of route parameters named like secrets. */
  pathOf(state: HttpCallState): string {
    const route = state.route;
    if (route === undefined) return state.routeParams ? redactParamValues(state.path, state.routeParams, this.isSensitive) : state.path;
    let where = this.secrets.get(route);
    if (where === undefined && !this.secrets.has(route)) {
      where = sensitiveSegments(route, this.isSensitive);
      this.secrets.set(route, where);
    }
    return redactPathParams(state.path, route, where);
  }
}
