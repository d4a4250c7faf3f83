import type { HttpServer } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, type ModulesContainer } from '@nestjs/core';
import { classMethods } from './class-methods.js';

/** Every controller a route method serves, with its paths: an inherited method serves several. */
export const ROUTE_OWNERS_METADATA = 'jitsu-analytics:route-owners';

export interface RouteOwner {
  name: string;
  paths: string[];
}

/** The adapter methods Nest's router registers routes with (its `REQUEST_METHOD_MAP`). */
const ROUTER_METHODS = ['get', 'post', 'put', 'delete', 'patch', 'all', 'options', 'head', 'search', 'propfind', 'proppatch', 'mkcol', 'copy', 'move', 'lock', 'unlock', 'query'];

/**
 * Marks each controller route method with the `Controller.method` names of the controllers it
 * serves. Nest copies a route method's metadata onto the function it registers with the router,
 * so a request a guard rejected (no interceptor ran) can still be named from the router's
 * function. NestJS 12 also names that function `Controller.method`; NestJS 11 leaves it
 * anonymous, which is why this exists. Must run before the router is registered (the module's
 * providers are built before).
 */
export function nameRouteHandlers(modules: ModulesContainer): void {
  for (const method of classMethods(new DiscoveryService(modules).getControllers())) {
    const fn = method.fn;
    if (Reflect.getMetadata(PATH_METADATA, fn) === undefined) continue;
    const name = `${method.owner}.${method.name}`;
    const paths = pathsOf(Reflect.getMetadata(PATH_METADATA, method.cls));
    const owners = (Reflect.getOwnMetadata(ROUTE_OWNERS_METADATA, fn) as RouteOwner[] | undefined) ?? [];
    if (!owners.some((owner) => owner.name === name)) Reflect.defineMetadata(ROUTE_OWNERS_METADATA, [...owners, { name, paths }], fn);
  }
}

/**
 * NestJS 11 hands the adapter an anonymous function per route, and Fastify binds it: a bound
 * function carries no metadata, so the mark above is lost there. As the adapter receives each
 * handler, this names it `Controller.method`, as NestJS 12 does itself; a method inherited by
 * several controllers takes the name of the one whose path the route's path contains. Must run
 * before the router is registered. Handlers that already have a name are left alone.
 */
export function nameRegisteredHandlers(adapter: HttpServer | undefined): void {
  const target = adapter as unknown as Record<string, unknown> | undefined;
  if (!target) return;
  for (const method of ROUTER_METHODS) {
    const register = target[method];
    if (typeof register !== 'function') continue;
    target[method] = function registerNamed(this: unknown, ...args: unknown[]) {
      const handler = args[args.length - 1];
      if (typeof handler === 'function' && handler.name === '') {
        const name = ownerName(handler, args.length > 1 ? args[0] : undefined);
        if (name !== undefined) Object.defineProperty(handler, 'name', { value: name, configurable: true });
      }
      return register.apply(this, args);
    };
  }
}

/** The first controller's name a route function was marked with (an inherited method serves several). */
export function markedRouteName(handler: object): string | undefined {
  return (Reflect.getMetadata(ROUTE_OWNERS_METADATA, handler) as RouteOwner[] | undefined)?.[0]?.name;
}

function ownerName(handler: object, routePath: unknown): string | undefined {
  const owners = Reflect.getMetadata(ROUTE_OWNERS_METADATA, handler) as RouteOwner[] | undefined;
  if (!owners?.length) return undefined;
  if (owners.length === 1 || typeof routePath !== 'string') return owners[0]!.name;
  const route = `/${trimSlashes(routePath)}/`;
  let best = owners[0]!;
  let bestLength = -1;
  for (const owner of owners) {
    for (const path of owner.paths) {
      const trimmed = trimSlashes(path);
      if (trimmed.length > bestLength && route.includes(`/${trimmed}/`)) {
        best = owner;
        bestLength = trimmed.length;
      }
    }
  }
  return best.name;
}

function pathsOf(metadata: unknown): string[] {
  const list = Array.isArray(metadata) ? metadata : [metadata];
  return list.filter((path): path is string => typeof path === 'string');
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
