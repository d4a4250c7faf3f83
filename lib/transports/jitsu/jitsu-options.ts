import { MAX_TIMER_MS } from '../../options/option-reader.js';
import { DEFAULT_GZIP_MIN_BYTES } from './gzip-body.js';
import type { JitsuProtocol } from './jitsu-response.js';

export interface JitsuTransportOptions {
  /** e.g. `http://localhost:8080`; a trailing slash or a path prefix (`https://host/jitsu`) works. */
  jitsuUrl: string;
  /** Next: a server-to-server key `keyId:secret` (sent as `X-Write-Key`); Classic: the server token. */
  writeKey: string;
  /** Default `'next'`. */
  protocol?: JitsuProtocol;
  /** Deadline for the whole request (headers and body), default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Gzip bodies of at least this many bytes (Next only); default `DEFAULT_GZIP_MIN_BYTES`. */
  gzipMinBytes?: number;
  /** Keep-alive sockets in the pool, default 4. */
  connections?: number;
  /** An HTTP(S) forward proxy to reach Jitsu through (`http://user:pass@proxy:3128`); default none. */
  proxy?: string;
}

export interface ResolvedJitsuOptions {
  readonly origin: string;
  /** The request path: jitsuUrl's own path prefix plus the protocol's endpoint. */
  readonly path: string;
  readonly protocol: JitsuProtocol;
  readonly writeKey: string;
  readonly requestTimeoutMs: number;
  readonly gzipMinBytes: number;
  readonly connections: number;
  readonly proxy?: string;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECTIONS = 4;

/** Where each protocol's events go, below `jitsuUrl`. */
export const ENDPOINTS: Readonly<Record<JitsuProtocol, string>> = {
  next: '/api/s/s2s/batch',
  classic: '/api/v1/s2s/event',
};

/**
 * Checks the options and derives what the transport needs. Error messages name the option and
 * never repeat the write key, nor the URL (a user may have pasted a token into its query).
 */
export function resolveJitsuOptions(options: JitsuTransportOptions): ResolvedJitsuOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Jitsu transport options must be an object with jitsuUrl and writeKey');
  }
  const protocol = options.protocol ?? 'next';
  if (protocol !== 'next' && protocol !== 'classic') {
    throw new TypeError(`Jitsu transport option protocol must be 'next' or 'classic'`);
  }
  const url = parseJitsuUrl(options.jitsuUrl);
  validateWriteKey(options.writeKey, protocol);
  const prefix = url.pathname.replace(/\/+$/, '');
  return {
    origin: url.origin,
    path: `${prefix}${ENDPOINTS[protocol]}`,
    protocol,
    writeKey: options.writeKey,
    requestTimeoutMs: timeoutMs('requestTimeoutMs', options.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS),
    gzipMinBytes: gzipThreshold(options.gzipMinBytes),
    connections: positiveInteger('connections', options.connections, DEFAULT_CONNECTIONS),
    proxy: proxyUrl(options.proxy),
  };
}

/** Checked here, not at the first request; never quoted back: it may carry the proxy's password. */
function proxyUrl(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value.trim()) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError('Jitsu transport option proxy must be an http:// or https:// URL, e.g. "http://proxy.internal:3128"');
  }
  return url.href;
}

function parseJitsuUrl(value: unknown): URL {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError('Jitsu transport option jitsuUrl is required (e.g. "http://localhost:8080")');
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new TypeError('Jitsu transport option jitsuUrl is not a valid URL (expected e.g. "http://localhost:8080")');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Jitsu transport option jitsuUrl must be an http:// or https:// URL (got ${url.protocol}//)`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError('Jitsu transport option jitsuUrl must not contain credentials: pass the key as writeKey');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError('Jitsu transport option jitsuUrl must not contain a query or fragment: pass the key as writeKey');
  }
  return url;
}

function validateWriteKey(value: unknown, protocol: JitsuProtocol): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError('Jitsu transport option writeKey is required');
  }
  // A header value cannot carry these; undici would refuse every request later.
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new TypeError('Jitsu transport option writeKey contains whitespace, control characters or characters outside ASCII');
  }
  if (protocol === 'next') {
    const colon = value.indexOf(':');
    if (colon <= 0 || colon === value.length - 1) {
      throw new TypeError('Jitsu transport option writeKey must be a server-to-server key "keyId:secret"');
    }
  }
}

function gzipThreshold(value: unknown): number {
  if (value === undefined) return DEFAULT_GZIP_MIN_BYTES;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new TypeError('Jitsu transport option gzipMinBytes must be a number >= 0 (Infinity disables gzip)');
  }
  return value;
}

function timeoutMs(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new TypeError(`Jitsu transport option ${name} must be a positive number of milliseconds (at most ${MAX_TIMER_MS})`);
  }
  return value;
}

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`Jitsu transport option ${name} must be a positive integer`);
  }
  return value;
}
