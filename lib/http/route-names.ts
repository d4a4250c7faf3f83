import { PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, type ModulesContainer } from '@nestjs/core';

export const ROUTE_NAMES_METADATA = 'jitsu-analytics:route-names';

/**
 * Marks each controller route method with its `Controller.method` name. Nest copies a route
 * method's metadata onto the function it registers with the router, so a request a guard
 * rejected (no interceptor ran) can still be named from the router's function. NestJS 12 also
 * names that function `Controller.method`; NestJS 11 leaves it anonymous, which is why this
 * exists. Must run before the router is registered (the module's providers are built before).
 */
export function nameRouteHandlers(modules: ModulesContainer): void {
  const scanner = new MetadataScanner();
  for (const wrapper of new DiscoveryService(modules).getControllers()) {
    const cls = wrapper.metatype;
    if (typeof cls !== 'function' || !cls.prototype) continue;
    for (const method of scanner.getAllMethodNames(cls.prototype)) {
      const fn = (cls.prototype as Record<string, unknown>)[method];
      // An inherited method shared by several controllers keeps the first name: NestJS 12's own
      // function names, read first, tell them apart.
      if (typeof fn !== 'function' || Reflect.getMetadata(PATH_METADATA, fn) === undefined) continue;
      if (!Reflect.hasOwnMetadata(ROUTE_NAMES_METADATA, fn)) Reflect.defineMetadata(ROUTE_NAMES_METADATA, `${wrapper.name}.${method}`, fn);
    }
  }
}
