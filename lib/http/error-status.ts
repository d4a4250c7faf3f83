/**
 * The HTTP status an exception stands for, the way Nest's `BaseExceptionFilter` answers it: an
 * `HttpException`'s `getStatus()`, the `statusCode` of an "http-errors"/Fastify error, else 500.
 * Also used for non-HTTP handlers, whose errors are recorded with HTTP-style codes.
 */
export function statusOfError(error: unknown): number {
  if (typeof error !== 'object' || error === null) return 500;
  try {
    const e = error as { getStatus?: unknown; statusCode?: unknown; status?: unknown };
    const status = typeof e.getStatus === 'function' ? (e.getStatus as () => unknown).call(error) : e.statusCode ?? e.status;
    return isErrorStatus(status) ? status : 500;
  } catch {
    // A hostile getter or getStatus() must not turn the error report into a crash.
    return 500;
  }
}

function isErrorStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599;
}

/**
 * Nest answers a guard that returns false with `RpcException('Forbidden resource')` in
 * microservices and `WsException('Forbidden resource')` in gateways (its HTTP platform with
 * `ForbiddenException`, the same words): a refusal, recorded as 403 on every transport.
 */
const NEST_FORBIDDEN_MESSAGE = 'Forbidden resource';

/** The status of what a microservice or gateway handler (or its guard) threw: as `statusOfError`, a guard's refusal 403. */
export function statusOfTransportError(error: unknown): number {
  return isNestRefusal(error) ? 403 : statusOfError(error);
}

function isNestRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && carriedError(error) === NEST_FORBIDDEN_MESSAGE;
}

/**
 * What an `RpcException` or `WsException` carries (`getError()`: a message or an object), else the
 * error itself; undefined when reading it throws (a hostile `getError()` must not turn the error
 * report into a crash).
 */
export function carriedError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  try {
    const getError = (error as { getError?: unknown }).getError;
    return typeof getError === 'function' ? (getError as () => unknown).call(error) : error;
  } catch {
    return undefined;
  }
}
