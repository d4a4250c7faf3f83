import { grpcCodeName, httpStatusOfGrpcCode, isGrpcCode } from '../http/grpc-status-codes.js';
import type { Http2HeadersLike } from './outbound-request.js';

/** How an outbound call ended, as its External API Call says. */
export interface CallOutcome {
  statusCode?: number;
  success: boolean;
  errorCode?: string;
}

/**
 * What a `node:http2` response's headers say of the call. A gRPC call answers 200 and gives its
 * own status in `grpc-status`: in the headers when it ends at once (an error, "Trailers-Only"),
 * otherwise in the trailers after the messages, for which this returns undefined.
 */
export function http2ResponseOutcome(headers: Http2HeadersLike): CallOutcome | undefined {
  const status = headers[':status'];
  const statusCode = typeof status === 'number' ? status : Number(status);
  if (!Number.isInteger(statusCode)) return { success: false };
  if (statusCode !== 200 || !isGrpcResponse(headers)) return { statusCode, success: statusCode < 400 };
  return headers['grpc-status'] === undefined ? undefined : grpcOutcome(headers);
}

/**
 * A gRPC status as HTTP (NOT_FOUND is a 404), its name as the error code. A missing or unknown
 * status is UNKNOWN, as gRPC clients report it.
 */
export function grpcOutcome(headersOrTrailers: Http2HeadersLike): CallOutcome {
  const raw = headersOrTrailers['grpc-status'];
  const code = typeof raw === 'string' && /^\d{1,2}$/.test(raw) ? Number(raw) : typeof raw === 'number' ? raw : 2;
  const known = isGrpcCode(code) ? code : 2;
  if (known === 0) return { statusCode: 200, success: true };
  return { statusCode: httpStatusOfGrpcCode(known), success: false, errorCode: grpcCodeName(known) };
}

/** HTTP/2 error codes (RFC 9113, section 7) by number, as Node names them. */
const HTTP2_ERROR_CODES = [
  'NO_ERROR', 'PROTOCOL_ERROR', 'INTERNAL_ERROR', 'FLOW_CONTROL_ERROR', 'SETTINGS_TIMEOUT', 'STREAM_CLOSED',
  'FRAME_SIZE_ERROR', 'REFUSED_STREAM', 'CANCEL', 'COMPRESSION_ERROR', 'CONNECT_ERROR', 'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY', 'HTTP_1_1_REQUIRED',
];

/**
 * Why a stream ended without an answer. Node cancels the streams of a session that failed to
 * connect with ERR_HTTP2_STREAM_CANCEL, the connection's own error (ECONNREFUSED) as its cause:
 * that is the one that says what happened. ERR_HTTP2_STREAM_ERROR only restates the reset code,
 * which names a reset the other side sent, and a caller's own cancel, that came without an error.
 */
export function http2FailureCode(error: unknown, rstCode: unknown): string | undefined {
  const cause = codeOf((error as { cause?: unknown } | null | undefined)?.cause);
  if (cause !== undefined) return cause;
  const own = codeOf(error);
  if (own !== undefined && own !== 'ERR_HTTP2_STREAM_ERROR') return own;
  const reset = typeof rstCode === 'number' ? HTTP2_ERROR_CODES[rstCode] : undefined;
  return reset === undefined ? own : `NGHTTP2_${reset}`;
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

function isGrpcResponse(headers: Http2HeadersLike): boolean {
  const type = headers['content-type'];
  return typeof type === 'string' && /^application\/grpc(?:[+;]|$)/i.test(type);
}
