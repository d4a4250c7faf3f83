import { applyIpPolicy, clientIp, type IpPolicy } from '../../privacy/ip-policy.js';
import { markedRouteName } from '../route-names.js';

/**
 * Reads a request the way Express, Fastify and plain Node present it. Express hands over the
 * Node request itself; Fastify a `FastifyRequest` whose `raw` is the Node request, while Nest
 * middleware on Fastify (middie) sees the raw one only. Every reader tolerates any input.
 */
export interface NodeRequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
  /** Node sets it on a request that asks to switch protocols (a WebSocket handshake). */
  upgrade?: boolean;
}

export interface NodeResponseLike {
  statusCode?: number;
  writableEnded?: boolean;
  once?(event: 'close' | 'finish', listener: () => void): unknown;
}

export function rawRequestOf(request: unknown): NodeRequestLike {
  const raw = (request as { raw?: unknown } | null | undefined)?.raw;
  return (typeof raw === 'object' && raw !== null ? raw : request ?? {}) as NodeRequestLike;
}

export function rawResponseOf(response: unknown): NodeResponseLike {
  const raw = (response as { raw?: unknown } | null | undefined)?.raw;
  return (typeof raw === 'object' && raw !== null ? raw : response ?? {}) as NodeResponseLike;
}

/** The concrete path, without query string. `originalUrl` first: routers and middie rewrite `url`. */
export function requestPathOf(raw: NodeRequestLike): string {
  const url = typeof raw.originalUrl === 'string' ? raw.originalUrl : typeof raw.url === 'string' ? raw.url : '/';
  const query = url.search(/[?#]/);
  return query === -1 ? url : url.slice(0, query);
}

export function requestMethodOf(raw: NodeRequestLike): string {
  return typeof raw.method === 'string' ? raw.method : 'GET';
}

export function headerOf(raw: NodeRequestLike, name: string): string | undefined {
  const value = raw.headers?.[name];
  return Array.isArray(value) ? value[0] : typeof value === 'string' ? value : undefined;
}

/**
 * The client's IP after `ipPolicy`; `X-Forwarded-For` only when `trustProxy`. `remoteAddress`
 * defaults to the socket's now; a caller that read it earlier passes that.
 */
export function clientIpOf(
  raw: NodeRequestLike,
  trustProxy: boolean,
  policy: IpPolicy,
  remoteAddress = raw.socket?.remoteAddress,
): string | undefined {
  if (policy === 'remove') return undefined;
  const ip = clientIp({ remoteAddress, forwardedFor: raw.headers?.['x-forwarded-for'], trustProxy });
  return applyIpPolicy(ip, policy);
}

interface ExpressRouteLike {
  path?: unknown;
  stack?: ReadonlyArray<{ handle?: unknown }>;
}

/**
 * The route template the router matched (`/api/users/:id`), never the concrete path: Express's
 * `req.route.path` under the router's mount path (`req.baseUrl`), Fastify's `routeOptions.url`.
 * Undefined when no route matched (a 404, static files), so unmatched paths add no cardinality.
 * `ignoredRoutes` are Express routes that dispatched to tracking middleware (Nest mounts
 * middleware as a catch-all route), which stay in `req.route` when nothing else matches.
 */
export function routeTemplateOf(request: unknown, ignoredRoutes?: readonly unknown[]): string | undefined {
  const r = request as { route?: ExpressRouteLike; baseUrl?: unknown; routeOptions?: { url?: unknown } } | null | undefined;
  const fastifyUrl = r?.routeOptions?.url;
  if (typeof fastifyUrl === 'string') return fastifyUrl;
  if (r?.route === undefined || ignoredRoutes?.includes(r.route)) return undefined;
  const path = r.route.path;
  if (typeof path !== 'string') return undefined;
  const base = typeof r?.baseUrl === 'string' ? r.baseUrl : '';
  return base + path;
}

/**
 * The function the router dispatched to. For a Nest route it is named `Controller.method`, and on
 * Express it carries the controller method's metadata (Nest copies it there): enough to identify
 * a request that a guard rejected before any interceptor ran.
 */
export function routeHandlerOf(request: unknown, ignoredRoutes?: readonly unknown[]): ((...args: unknown[]) => unknown) | undefined {
  const r = request as { route?: ExpressRouteLike; routeOptions?: { handler?: unknown } } | null | undefined;
  const fastifyHandler = r?.routeOptions?.handler;
  if (typeof fastifyHandler === 'function') return fastifyHandler as (...args: unknown[]) => unknown;
  if (r?.route === undefined || ignoredRoutes?.includes(r.route)) return undefined;
  const stack = r.route.stack;
  const handle = Array.isArray(stack) && stack.length > 0 ? stack[stack.length - 1]?.handle : undefined;
  return typeof handle === 'function' ? (handle as (...args: unknown[]) => unknown) : undefined;
}

/**
 * `Controller.method`, as NestJS 12 names the route handlers it registers and
 * `nameRegisteredHandlers` names NestJS 11's (Fastify binds them: `bound X.y`), else as
 * `nameRouteHandlers` marked them (NestJS copies that mark over).
 */
export function controllerAndHandlerOf(handler: unknown): { controller?: string; handler?: string } {
  if (typeof handler !== 'function') return {};
  const own = typeof handler.name === 'string' ? handler.name.replace(/^(?:bound )+/, '') : '';
  for (const name of [own, markedRouteName(handler) ?? '']) {
    const dot = name.indexOf('.');
    if (dot > 0 && dot < name.length - 1) return { controller: name.slice(0, dot), handler: name.slice(dot + 1) };
  }
  return {};
}
