import { DiscoveryService, type ModulesContainer } from '@nestjs/core';
import type { NonHttpContextType } from './api-tracking.resolver.js';
import { classMethods } from './class-methods.js';
import { messagePatternsOf, WS_MESSAGE_METADATA } from './handler-facts.js';
import { patternText } from './parsers/call-description.js';
import { wildcardMatcher } from './wildcard-patterns.js';

/** `@nestjs/graphql`'s metadata keys, as literals: it is optional. */
const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
const RESOLVER_NAME_METADATA = 'graphql:resolver_name';
const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** A handler method and its class, as `HandlerFactsCache` takes them. */
export interface HandlerRef {
  cls: unknown;
  fn: unknown;
}

/**
 * The handler a non-HTTP call was for, by its route: what names a call that a guard refused. Nest
 * hands an exception filter the call's arguments but not its handler, and the interceptor never
 * ran. Microservice handlers by their declared patterns (`orders.get`, `OrdersService/FindOne`),
 * gateway handlers by their message (`orders.reset`), resolvers by their root field
 * (`Subscription.orderUpdates`); a concrete subject by the wildcard
 * pattern it falls under (`orders.*.created`), so it stays one route. Built on first use, when
 * every class is known.
 */
export class RefusedCallHandlers {
  private index?: ReadonlyMap<string, HandlerRef>;
  /** Microservice handlers whose pattern has wildcards, for the concrete subjects they take. */
  private wildcards: Array<{ matches: (subject: string) => boolean; ref: HandlerRef }> = [];

  constructor(private readonly modules: ModulesContainer) {}

  find(type: NonHttpContextType, route: string | undefined): HandlerRef | undefined {
    if (route === undefined) return undefined;
    this.index ??= this.collect();
    const exact = this.index.get(`${type} ${route}`);
    if (exact || type !== 'rpc') return exact;
    return this.wildcards.find(({ matches }) => matches(route))?.ref;
  }

  private collect(): Map<string, HandlerRef> {
    const index = new Map<string, HandlerRef>();
    const discovery = new DiscoveryService(this.modules);
    for (const { cls, fn } of classMethods(discovery.getControllers())) {
      for (const pattern of messagePatternsOf(fn)) {
        const text = patternText(pattern);
        if (text === undefined || index.has(`rpc ${text}`)) continue;
        index.set(`rpc ${text}`, { cls, fn });
        const matches = typeof pattern === 'string' ? wildcardMatcher(pattern) : undefined;
        if (matches) this.wildcards.push({ matches, ref: { cls, fn } });
      }
    }
    for (const { cls, name, fn } of classMethods(discovery.getProviders())) {
      const message = patternText(Reflect.getMetadata(WS_MESSAGE_METADATA, fn));
      if (message !== undefined && !index.has(`ws ${message}`)) index.set(`ws ${message}`, { cls, fn });
      const type: unknown = Reflect.getMetadata(RESOLVER_TYPE_METADATA, fn);
      if (typeof type !== 'string' || !ROOT_TYPES.has(type)) continue;
      const field: unknown = Reflect.getMetadata(RESOLVER_NAME_METADATA, fn);
      const key = `graphql ${type}.${typeof field === 'string' ? field : name}`;
      if (!index.has(key)) index.set(key, { cls, fn });
    }
    return index;
  }
}
