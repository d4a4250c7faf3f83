export {
  CLOSE_GRACE_MS,
  createJitsuTransport,
  DEFAULT_GZIP_MIN_BYTES,
  isJitsuTransportRequest,
  parseRetryAfter,
  type JitsuDeliveryResult,
  type JitsuTransport,
  type JitsuTransportOptions,
} from './jitsu.transport.js';
export { MARKER_HEADER, MARKER_VALUE } from './request-marker.js';
export { MAX_RETRY_AFTER_MS } from './retry-after.js';
