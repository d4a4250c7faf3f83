import { carriedError, statusOfTransportError } from './error-status.js';
import { httpStatusOfGrpcCode, isGrpcCode } from './grpc-status-codes.js';

/** The pattern `@GrpcMethod()`/`@GrpcStreamMethod()` declare: `{ service, rpc, streaming }`. */
interface GrpcPattern {
  service: string;
  rpc: string;
}

export function isGrpcPattern(pattern: unknown): pattern is GrpcPattern {
  if (typeof pattern !== 'object' || pattern === null) return false;
  const { service, rpc } = pattern as Partial<Record<string, unknown>>;
  return typeof service === 'string' && typeof rpc === 'string';
}

/**
 * How a gRPC handler takes its requests: `rx` for `@GrpcStreamMethod()` (an Observable Nest feeds
 * from the call's stream), `pt` for `@GrpcStreamCall()` (grpc-js's call stream itself), undefined
 * for a single request. Nest's `GrpcMethodStreamingType` values, as literals: `@nestjs/microservices`
 * is optional.
 */
export function grpcStreamingOf(pattern: unknown): 'rx' | 'pt' | undefined {
  if (!isGrpcPattern(pattern)) return undefined;
  const { streaming } = pattern as { streaming?: unknown };
  return streaming === 'rx_stream' ? 'rx' : streaming === 'pt_stream' ? 'pt' : undefined;
}

/** A gRPC method as its own path names it (`OrdersService/FindOne`), whatever its streaming kind. */
export function grpcMethodName(pattern: GrpcPattern): string {
  return `${pattern.service}/${pattern.rpc}`;
}

/**
 * The status of what a gRPC handler threw: the gRPC code of an `RpcException({ code, message })`
 * (or of an error carrying one itself), mapped to HTTP; otherwise as for any microservice handler.
 */
export function statusOfGrpcError(error: unknown): number {
  const code = grpcCodeOf(error);
  return code !== undefined && code > 0 ? httpStatusOfGrpcCode(code) : statusOfTransportError(error);
}

/**
 * The method a gRPC call is for, from the call object grpc-js hands the handler (its third
 * argument): `getPath()` gives `/orders.OrdersService/FindOne`, named here without the package,
 * as `@GrpcMethod('OrdersService', 'FindOne')` declares it. What an exception filter has to go by,
 * as Nest gives filters no handler.
 */
export function grpcMethodOfCall(call: unknown): string | undefined {
  if (typeof call !== 'object' || call === null) return undefined;
  try {
    const getPath = (call as { getPath?: unknown }).getPath;
    const path: unknown = typeof getPath === 'function' ? (getPath as () => unknown).call(call) : undefined;
    const match = typeof path === 'string' ? /^\/(?:[^/]*\.)?([^./]+)\/([^/]+)$/.exec(path) : null;
    return match ? `${match[1]}/${match[2]}` : undefined;
  } catch {
    return undefined;
  }
}

/** What a gRPC answer's error argument means a failure: anything but none, or an OK status. */
export function isGrpcFailure(error: unknown): boolean {
  return error !== null && error !== undefined && grpcCodeOf(error) !== 0;
}

function grpcCodeOf(error: unknown): number | undefined {
  const carried = carriedError(error);
  if (typeof carried !== 'object' || carried === null) return undefined;
  try {
    const code = (carried as { code?: unknown }).code;
    return isGrpcCode(code) ? code : undefined;
  } catch {
    // A hostile getter must not turn the error report into a crash.
    return undefined;
  }
}
