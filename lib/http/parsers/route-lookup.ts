import { controllerAndHandlerOf } from './http-request.parser.js';

interface RouteLayerLike {
  route?: { path?: unknown; stack?: ReadonlyArray<{ handle?: unknown }>; _handlesMethod?(method: string): boolean };
  match?(path: string): boolean;
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
 * For a request an Express `app` never dispatched (a Nest middleware answered it first, e.g. with
 * 429), the route it was for: the first route layer that matches its method and
 * path, as Express picks, among those a controller serves (Nest mounts middleware as routes too,
 * and their handlers carry no `Controller.method` name). Express 5's router; anything else finds
 * nothing. `match` sets the layer's `params`, which Express only reads right after its own call.
 */
export function expressRouteFor(app: unknown, method: string, path: string): RouteLookup | undefined {
  const stack = (app as { router?: { stack?: unknown } } | null | undefined)?.router?.stack;
  if (!Array.isArray(stack)) return undefined;
  for (const layer of stack as RouteLayerLike[]) {
    const route = layer?.route;
    if (route === undefined || typeof route.path !== 'string' || typeof layer.match !== 'function') continue;
    if (typeof route._handlesMethod !== 'function' || !route._handlesMethod(method)) continue;
    const handler = route.stack?.[route.stack.length - 1]?.handle;
    if (typeof handler !== 'function' || controllerAndHandlerOf(handler).handler === undefined) continue;
    if (layer.match(path)) return { template: route.path, handler: handler as (...args: unknown[]) => unknown };
  }
  return undefined;
}

/**
 * Fastify's router for a request that middleware answered before its `onRequest` hooks could
 * hand over the `FastifyRequest`: `findRoute` tells the parameters (not the route template), which
 * is enough to keep a secret parameter's value out of the path.
 */
export function fastifyRouteFor(app: unknown, method: string, path: string): RouteLookup | undefined {
  const find = (app as { findRoute?: unknown } | null | undefined)?.findRoute;
  if (typeof find !== 'function') return undefined;
  const found = (find as (options: { method: string; url: string }) => { params?: unknown } | null).call(app, { method, url: path });
  const params = found?.params;
  return typeof params === 'object' && params !== null ? { params: params as Record<string, unknown> } : undefined;
}
