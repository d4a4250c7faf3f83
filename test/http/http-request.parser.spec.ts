import { ROUTE_OWNERS_METADATA, type RouteOwner } from '../../lib/http/route-names.js';
import {
  clientIpOf,
  controllerAndHandlerOf,
  rawRequestOf,
  requestPathOf,
  routeHandlerOf,
  routeTemplateOf,
} from '../../lib/http/parsers/http-request.parser.js';

describe('the HTTP request parser', () => {
  it('finds the Node request behind a FastifyRequest and takes an Express one as it is', () => {
    const raw = { url: '/a' };
    expect(rawRequestOf({ raw })).toBe(raw);
    const express = { url: '/b' };
    expect(rawRequestOf(express)).toBe(express);
    expect(rawRequestOf(undefined)).toEqual({});
  });

  it('the concrete path comes from originalUrl (middie and routers rewrite url), without query or fragment', () => {
    expect(requestPathOf({ url: '/?x=1', originalUrl: '/api/users/7?x=1' })).toBe('/api/users/7');
    expect(requestPathOf({ url: '/plain#frag' })).toBe('/plain');
    expect(requestPathOf({})).toBe('/');
  });

  it("the route template: Fastify's routeOptions.url, or Express's route path under the router's mount path", () => {
    expect(routeTemplateOf({ routeOptions: { url: '/api/users/:id' } })).toBe('/api/users/:id');
    expect(routeTemplateOf({ route: { path: '/items/:id' }, baseUrl: '/legacy' })).toBe('/legacy/items/:id');
    expect(routeTemplateOf({ route: { path: '/items/:id' } })).toBe('/items/:id');
    expect(routeTemplateOf({ route: { path: /regexp/ } })).toBeUndefined();
    expect(routeTemplateOf({ url: '/x' })).toBeUndefined();
    expect(routeTemplateOf(null)).toBeUndefined();
  });

  it("ignores the routes that dispatched to tracking middleware (Nest's catch-all middleware route)", () => {
    const handle = () => 1;
    const middlewareRoute = { path: '/{*path}', stack: [{ handle }] };
    expect(routeTemplateOf({ route: middlewareRoute }, [middlewareRoute])).toBeUndefined();
    expect(routeHandlerOf({ route: middlewareRoute }, [middlewareRoute])).toBeUndefined();
    // By identity: an app route that merely looks the same (a real catch-all) is still read.
    const lookalike = { path: '/{*path}', stack: [{ handle }] };
    expect(routeTemplateOf({ route: middlewareRoute }, [lookalike])).toBe('/{*path}');
    expect(routeHandlerOf({ route: middlewareRoute }, [lookalike])).toBe(handle);
  });

  it('the dispatched handler and its Nest name, bound by Fastify or not', () => {
    function named() {}
    Object.defineProperty(named, 'name', { value: 'UsersController.findOne' });
    expect(routeHandlerOf({ route: { path: '/x', stack: [{ handle: () => 0 }, { handle: named }] } })).toBe(named);
    const bound = named.bind(null);
    expect(routeHandlerOf({ routeOptions: { handler: bound } })).toBe(bound);
    expect(controllerAndHandlerOf(bound)).toEqual({ controller: 'UsersController', handler: 'findOne' });
    expect(controllerAndHandlerOf(function plain() {})).toEqual({});
    expect(controllerAndHandlerOf(undefined)).toEqual({});
  });

  it('names an anonymous router function (NestJS 11) from the mark nameRouteHandlers leaves on the route method', () => {
    const anonymous = (() => () => 0)();
    const owners: RouteOwner[] = [{ name: 'OrdersController.pay', paths: ['orders'] }];
    Reflect.defineMetadata(ROUTE_OWNERS_METADATA, owners, anonymous);
    expect(controllerAndHandlerOf(anonymous)).toEqual({ controller: 'OrdersController', handler: 'pay' });
  });

  it('the client IP: socket address unless a trusted proxy forwarded it, then the ip policy', () => {
    const raw = { socket: { remoteAddress: '::ffff:192.0.2.10' }, headers: { 'x-forwarded-for': '203.0.113.77, 10.0.0.1' } };
    expect(clientIpOf(raw, false, 'stripLastOctet')).toBe('192.0.2.0');
    expect(clientIpOf(raw, true, 'keep')).toBe('203.0.113.77');
    expect(clientIpOf(raw, true, 'remove')).toBeUndefined();
    expect(clientIpOf({ headers: { 'x-forwarded-for': 'not-an-ip' } }, true, 'keep')).toBeUndefined();
  });
});
