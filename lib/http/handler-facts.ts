import { grpcStreamingOf, isGrpcPattern } from './grpc-calls.js';
import { patternText } from './parsers/call-description.js';
import { isTrackingSkipped } from './skip-tracking.decorator.js';

/** Nest's metadata keys, as literals: `@nestjs/microservices` and `@nestjs/websockets` are optional. */
const MESSAGE_PATTERN_METADATA = 'microservices:pattern';
export const WS_MESSAGE_METADATA = 'message';

/** What never changes for one handler: read from its metadata once, on its first call. */
export interface HandlerFacts {
  controller?: string;
  name?: string;
  skip: boolean;
  /** `@MessagePattern`/`@EventPattern` or `@SubscribeMessage` pattern, as text. */
  declaredPattern?: string;
  /** A `@GrpcMethod()`/`@GrpcStreamMethod()`/`@GrpcStreamCall()` handler. */
  grpc?: true;
  /** How a gRPC handler takes a stream of requests (see `grpcStreamingOf`). */
  grpcStreaming?: 'rx' | 'pt';
}

/**
 * Per analytics instance, keyed by the handler function and then its class: a route method
 * inherited from a base controller is one function shared by every controller that extends it,
 * each with its own name and its own `@SkipTracking()`. WeakMaps, so a reloaded module frees its
 * entries.
 */
export class HandlerFactsCache {
  private readonly cache = new WeakMap<object, WeakMap<object, HandlerFacts>>();

  get(cls: unknown, handler: unknown): HandlerFacts {
    if (typeof handler !== 'function' || typeof cls !== 'function') return factsOf(cls, handler);
    let byClass = this.cache.get(handler);
    if (!byClass) this.cache.set(handler, (byClass = new WeakMap()));
    let facts = byClass.get(cls);
    if (!facts) byClass.set(cls, (facts = factsOf(cls, handler)));
    return facts;
  }
}

function factsOf(cls: unknown, handler: unknown): HandlerFacts {
  const facts: HandlerFacts = { skip: isTrackingSkipped(handler, cls) };
  const controller = nameOf(cls);
  const name = nameOf(handler) ?? methodKeyOf(cls, handler);
  if (controller) facts.controller = controller;
  if (name) facts.name = name;
  if (typeof handler === 'function') {
    const messagePattern = messagePatternsOf(handler)[0];
    const declared = patternText(messagePattern) ?? patternText(Reflect.getMetadata(WS_MESSAGE_METADATA, handler));
    if (declared !== undefined) facts.declaredPattern = declared;
    if (isGrpcPattern(messagePattern)) facts.grpc = true;
    const streaming = grpcStreamingOf(messagePattern);
    if (streaming) facts.grpcStreaming = streaming;
  }
  return facts;
}

/** The patterns `@MessagePattern`/`@EventPattern`/`@GrpcMethod` declare on a handler (several decorators add up). */
export function messagePatternsOf(handler: object): unknown[] {
  const patterns: unknown = Reflect.getMetadata(MESSAGE_PATTERN_METADATA, handler);
  if (patterns === undefined) return [];
  return Array.isArray(patterns) ? patterns : [patterns];
}

/**
 * The property a class holds its handler under, for a handler without a name of its own:
 * `@GrpcStreamMethod()` replaces the method with an anonymous function. Descriptors only, so no
 * getter of the class runs.
 */
function methodKeyOf(cls: unknown, handler: unknown): string | undefined {
  if (typeof cls !== 'function' || typeof handler !== 'function') return undefined;
  try {
    for (let proto: unknown = cls.prototype; typeof proto === 'object' && proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const key of Object.getOwnPropertyNames(proto)) {
        if (Object.getOwnPropertyDescriptor(proto, key)?.value === handler) return key;
      }
    }
  } catch {
    // A proxied prototype whose traps throw: the handler stays unnamed.
  }
  return undefined;
}

function nameOf(target: unknown): string | undefined {
  const name = typeof target === 'function' ? target.name : undefined;
  return name ? name : undefined;
}
