import { DiscoveryService, type ModulesContainer } from '@nestjs/core';
import { classMethods } from './class-methods.js';
import { isTrackingSkipped } from './skip-tracking.decorator.js';

/**
 * Which route handlers carry `@SkipTracking()`, by the name Nest gives the function it registers
 * with the router (`Controller.method`). A request that a guard rejects never reaches the
 * interceptor; the router's handler function is all that identifies it, and Fastify hands over
 * a bound copy of it without the controller's metadata, so the name is looked up here. Built on
 * first use, when every controller is known. Two controllers with the same class name share an
 * entry: if either is skipped, the name is.
 */
export class SkippedRoutes {
  private names?: ReadonlySet<string>;

  constructor(private readonly modules: ModulesContainer) {}

  has(controller: string, handler: string): boolean {
    this.names ??= this.collect();
    return this.names.has(`${controller}.${handler}`);
  }

  private collect(): Set<string> {
    const names = new Set<string>();
    for (const { owner, cls, name, fn } of classMethods(new DiscoveryService(this.modules).getControllers())) {
      if (isTrackingSkipped(fn, cls)) names.add(`${owner}.${name}`);
    }
    return names;
  }
}
