import { DeliveryError } from '../delivery-error.js';

/** Why a request that got no HTTP answer ended, as far as the transport itself knows. */
export type AbortCause = 'deadline' | 'caller' | 'closed' | undefined;

export interface NetworkFailureFacts {
  origin: string;
  requestTimeoutMs: number;
  abortCause: AbortCause;
}

const KNOWN_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'socket closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for response headers',
  UND_ERR_BODY_TIMEOUT: 'timed out reading the response body',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'response body cut short',
  UND_ERR_CLOSED: 'client closed',
  UND_ERR_DESTROYED: 'client destroyed',
  UND_ERR_INVALID_ARG: 'the request could not be built',
};

/**
 * A failure without an HTTP answer, as a `DeliveryError`. All are retryable (the pipeline owns
 * the retry budget) except sends on a closed transport and requests undici refuses to build. Messages name the failure and the origin,
 * never the key: undici errors carry no request headers, so keeping them as `cause` is safe.
 */
export function networkDeliveryError(error: unknown, facts: NetworkFailureFacts): DeliveryError {
  if (facts.abortCause === 'closed') {
    return new DeliveryError(`Jitsu transport for ${facts.origin} is closed`, {
      retryable: false,
      dropReason: 'closed',
      cause: error,
    });
  }
  const proxyStatus = facts.abortCause === undefined ? tunnelRefusal(error) : undefined;
  if (proxyStatus === 407) {
    // Wrong or missing proxy credentials: every attempt would be refused alike.
    return new DeliveryError(`Could not deliver to Jitsu at ${facts.origin}: the proxy refused to open a tunnel (HTTP 407): check the credentials in proxy`, {
      retryable: false,
      dropReason: 'unauthorized',
      cause: error,
    });
  }
  const kind = proxyStatus === undefined ? describe(error, facts) : `the proxy answered HTTP ${proxyStatus} instead of opening a tunnel`;
  // undici refused to build the request (a header it cannot send): every attempt would fail alike.
  const retryable = errorCode(error) !== 'UND_ERR_INVALID_ARG';
  return new DeliveryError(`Could not deliver to Jitsu at ${facts.origin}: ${kind}`, { retryable, cause: error });
}

/** undici's ProxyAgent fails a refused `CONNECT` with "Proxy response (407) !== 200 when HTTP Tunneling". */
function tunnelRefusal(error: unknown): number | undefined {
  const message = error instanceof Error ? error.message : undefined;
  const status = message === undefined ? undefined : /^Proxy response \((\d{3})\)/.exec(message)?.[1];
  return status === undefined ? undefined : Number(status);
}

function describe(error: unknown, facts: NetworkFailureFacts): string {
  if (facts.abortCause === 'deadline') return `request timed out after ${facts.requestTimeoutMs} ms`;
  if (facts.abortCause === 'caller') return 'request aborted by the caller';
  const code = errorCode(error);
  if (code !== undefined && KNOWN_CODES[code]) return `${KNOWN_CODES[code]} (${code})`;
  if (code !== undefined) return `network error (${code})`;
  const name = error instanceof Error ? error.name : typeof error;
  return `network error (${name})`;
}

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
