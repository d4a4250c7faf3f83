import { isGrpcPattern, isGrpcStreamCallPattern } from './grpc-calls.js';
import { patternText } from './parsers/call-description.js';
import { isTrackingSkipped } from './skip-tracking.decorator.js';

/** Nest's metadata keys, as literals: `@nestjs/microservices` and `@nestjs/websockets` are optional. */
const MESSAGE_PATTERN_METADATA = 'microservices:pattern';
const WS_MESSAGE_METADATA = 'message';

/** What never changes for one handler: read from its metadata once, on its first call. */
export interface HandlerFacts {
  controller?: string;
  name?: string;
  skip: boolean;
  /** `@MessagePattern`/`@EventPattern` or `@SubscribeMessage` pattern, as text. */
  declaredPattern?: string;
  /** A `@GrpcMethod()`/`@GrpcStreamMethod()`/`@GrpcStreamCall()` handler. */
  grpc?: true;
  /** A `@GrpcStreamCall()` handler: it answers on grpc-js's call stream, after returning. */
  grpcStreamCall?: true;
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
  const name = nameOf(handler);
  if (controller) facts.controller = controller;
  if (name) facts.name = name;
  if (typeof handler === 'function') {
    const messagePattern = messagePatternsOf(handler)[0];
    const declared = patternText(messagePattern) ?? patternText(Reflect.getMetadata(WS_MESSAGE_METADATA, handler));
    if (declared !== undefined) facts.declaredPattern = declared;
    if (isGrpcPattern(messagePattern)) facts.grpc = true;
    if (isGrpcStreamCallPattern(messagePattern)) facts.grpcStreamCall = true;
  }
  return facts;
}

/** The patterns `@MessagePattern`/`@EventPattern`/`@GrpcMethod` declare on a handler (several decorators add up). */
export function messagePatternsOf(handler: object): unknown[] {
  const patterns: unknown = Reflect.getMetadata(MESSAGE_PATTERN_METADATA, handler);
  if (patterns === undefined) return [];
  return Array.isArray(patterns) ? patterns : [patterns];
}

function nameOf(target: unknown): string | undefined {
  const name = typeof target === 'function' ? target.name : undefined;
  return name ? name : undefined;
}
