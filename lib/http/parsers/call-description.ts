import type { ExecutionContext } from '@nestjs/common';
import type { IpPolicy } from '../../privacy/ip-policy.js';
import { grpcMethodName, isGrpcPattern } from '../grpc-calls.js';
import type { HandlerFacts } from '../handler-facts.js';

/**
 * What identifies one call of a non-HTTP handler, in the `API Call` columns: `method` names the
 * transport or operation (`RPC`, `WS`, `QUERY`), `path` the concrete pattern, event or field,
 * `route` its declared, low-cardinality form.
 */
export interface CallDescription {
  method: string;
  path: string;
  route?: string;
  ipAddress?: string;
  userAgent?: string;
  /** The HTTP request carrying the call (GraphQL over HTTP): the call is recorded as that request. */
  httpRequest?: unknown;
  /** False for calls that are part of a larger one (a nested GraphQL field): not recorded on their own. */
  standalone: boolean;
  /** A GraphQL subscription: its handler returns an event stream, and the call lasts as long as it. */
  subscription?: boolean;
  /**
   * One object per call that the transport hands both the interceptor and the exception filter
   * (a microservice message's context, a resolver's `info`, a gateway message's object payload):
   * how the filter tells a call the interceptor saw from one refused before it (by a guard).
   */
  callKey?: object;
  /** The status of what the handler threw, where the transport has its own (gRPC codes, microservice refusals); else `statusOfError`. */
  statusOfError?: (error: unknown) => number;
}

export interface ParserSettings {
  trustProxy: boolean;
  ipPolicy: IpPolicy;
}

/** One per context type, as the `ogma` library has one parser per transport. */
export type ContextParser = (context: ExecutionContext, handler: HandlerFacts, settings: ParserSettings) => CallDescription;

/** Patterns may be objects (`{ cmd: 'sum' }`): written with sorted keys so one pattern is one string. */
export function patternText(pattern: unknown): string | undefined {
  if (typeof pattern === 'string') return pattern;
  if (typeof pattern === 'number') return String(pattern);
  if (typeof pattern !== 'object' || pattern === null) return undefined;
  if (isGrpcPattern(pattern)) return grpcMethodName(pattern);
  try {
    return JSON.stringify(sortKeys(pattern));
  } catch {
    return undefined;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}
