import { controllerAndHandlerOf } from './http-request.parser.js';

interface RouteLayerLike {
  route?: {
    path?: unknown;
    stack?: ReadonlyArray<{ handle?: unknown }>;
    methods?: { _all?: unknown };
    _handlesMethod?(method: string): boolean;
  };
  handle?: { stack?: unknown };
  match?(path: string): unknown;
  params?: Record<string, unknown>;
}

/** What the router would have dispatched a request to: its route (Express) or only its parameters (Fastify). */
export interface RouteLookup {
  template?: string;
  handler?: (...args: unknown[]) => unknown;
  params?: Record<string, unknown>;
}

/** The route lookup of the adapter's router, for the HTTP platforms that have one. */
export function routeLookupFor(
  adapter: { getType(): string; getInstance(): unknown } | undefined,
): ((method: string, path: string) => RouteLookup | undefined) | undefined {
  const type = adapter?.getType();
  const app = adapter?.getInstance();
  if (type === 'express') return (method, path) => expressRouteFor(app, method, path);
  if (type === 'fastify') return (method, path) => fastifyRouteFor(app, method, path);
  return undefined;
}

/**
 * Express's not-found handler (see `expressNotFoundHandler`), looked up on first use: Nest routes
 * it after the module's middleware is mounted, and before the first request.
 */
export function notFoundHandlerFor(adapter: { getType(): string; getInstance(): unknown } | undefined): (() => unknown) | undefined {
  if (adapter?.getType() !== 'express') return undefined;
  const app = adapter.getInstance();
  let found: { handler: unknown } | undefined;
  return () => (found ??= { handler: expressNotFoundHandler(app) }).handler;
}

/**
 * For a request an Express `app` never dispatched (a Nest middleware answered it first, e.g. with
 * 429), the route it was for: the first route layer that matches its method and
 * path, as Express picks, among those a controller serves (Nest mounts middleware as routes too,
 * and their handlers carry no `Controller.method` name). Express 5's router; anything else finds
 * nothing.
 */
export function expressRouteFor(app: unknown, method: string, path: string): RouteLookup | undefined {
  const routes = controllerRoutesOf(app);
  for (const { layer, template, handler, handlesMethod } of routes) {
    if (handlesMethod(method) && layerMatches(layer, path)) return { template, handler };
  }
  // No route for this method (a 404): one for another method still tells which segments are
  // parameters, enough to keep a secret one's value out of the path (`PUT` to `GET /reset/:token`).
  for (const { layer } of routes) {
    try {
      const params = paramsOfMatch(layer, layer.match!(path));
      if (params) return { params };
    } catch {
      // Its parameters do not decode: Express answers 400 and the request's own route says so.
    }
  }
  return undefined;
}

interface ControllerRoute {
  layer: RouteLayerLike;
  template: string;
  handler: (...args: unknown[]) => unknown;
  handlesMethod(method: string): boolean;
}

/** What a layer's `match` found: Express 5's router returns it (`{ params, path }`); older ones set `layer.params`. */
function paramsOfMatch(layer: RouteLayerLike, match: unknown): Record<string, unknown> | undefined {
  if (!match) return undefined;
  const params = typeof match === 'object' ? (match as { params?: unknown }).params : layer.params;
  return typeof params === 'object' && params !== null ? { ...(params as Record<string, unknown>) } : undefined;
}

/** The app's route layers whose last handler is a controller's (not middleware Nest mounted as a route). */
function controllerRoutesOf(app: unknown): ControllerRoute[] {
  const routes: ControllerRoute[] = [];
  for (const layer of routerStackOf(app)) {
    const route = layer?.route;
    if (route === undefined || typeof route.path !== 'string' || typeof layer.match !== 'function') continue;
    const handlesMethod = route._handlesMethod;
    if (typeof handlesMethod !== 'function') continue;
    const handler = route.stack?.[route.stack.length - 1]?.handle;
    if (typeof handler !== 'function' || controllerAndHandlerOf(handler).handler === undefined) continue;
    routes.push({ layer, template: route.path, handler: handler as (...args: unknown[]) => unknown, handlesMethod: (m) => handlesMethod.call(route, m) });
  }
  return routes;
}

/**
 * The handler Nest's Express adapter answers unmatched requests with (`setNotFoundHandler`), when
 * it is routed: under a global prefix, as the one all-methods `*path` route of a router mounted at
 * the prefix, and at each path excluded from the prefix (for the methods no route serves there).
 * `req.route` then names a route no request was for.
 */
function expressNotFoundHandler(app: unknown): unknown {
  for (const layer of routerStackOf(app)) {
    const inner = layer?.handle?.stack;
    if (!Array.isArray(inner) || inner.length !== 1) continue;
    const route = (inner[0] as RouteLayerLike | undefined)?.route;
    if (route?.path === '*path' && route.methods?._all === true) return route.stack?.[0]?.handle;
  }
  return undefined;
}

/** Express 5's router keeps its layers in `stack`. */
function routerStackOf(app: unknown): RouteLayerLike[] {
  const stack = (app as { router?: { stack?: unknown } } | null | undefined)?.router?.stack;
  return Array.isArray(stack) ? (stack as RouteLayerLike[]) : [];
}

/**
 * A layer decodes its parameters only once its pattern has matched, and throws when one is not
 * valid percent-encoding (`/reset/4f1c%ZZ`, which Express answers with 400): the route still is
 * the one the request was for, and naming it keeps a secret parameter's value out of the path.
 */
function layerMatches(layer: RouteLayerLike, path: string): boolean {
  try {
    return Boolean(layer.match?.(path));
  } catch {
    return true;
  }
}

/**
 * Fastify's router for a request that middleware answered before its `onRequest` hooks could
 * hand over the `FastifyRequest`: `findRoute` tells the parameters (not the route template), which
 * is enough to keep a secret parameter's value out of the path.
 */
export function fastifyRouteFor(app: unknown, method: string, path: string): RouteLookup | undefined {
  const find = (app as { findRoute?: unknown } | null | undefined)?.findRoute;
  if (typeof find !== 'function') return undefined;
  // The request's own method first; else another's route at that path (a 404), for its parameters.
  for (const candidate of [method, ...ROUTE_METHODS.filter((m) => m !== method)]) {
    const found = (find as (options: { method: string; url: string }) => { params?: unknown } | null).call(app, { method: candidate, url: path });
    const params = found?.params;
    if (typeof params === 'object' && params !== null) return { params: params as Record<string, unknown> };
  }
  return undefined;
}

const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
