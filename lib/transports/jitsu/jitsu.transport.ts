import { type Dispatcher, Pool, ProxyAgent } from 'undici';
import { DeliveryError } from '../delivery-error.js';
import type { AnalyticsTransport, QueuedEvent } from '../transport.interface.js';
import { buildClassicBatchBody, buildNextBatchBody } from './batch-body.js';
import { secretsOf } from './body-excerpt.js';
import { encodeBody } from './gzip-body.js';
import { type JitsuTransportOptions, resolveJitsuOptions } from './jitsu-options.js';
import { classifyJitsuResponse, type JitsuDeliveryResult } from './jitsu-response.js';
import { USER_AGENT } from './library-version.js';
import { type AbortCause, networkDeliveryError } from './network-error.js';
import { MARKER_HEADER, MARKER_VALUE } from './request-marker.js';
import { readBodyText } from './response-body.js';

export { DEFAULT_GZIP_MIN_BYTES } from './gzip-body.js';
export type { JitsuTransportOptions } from './jitsu-options.js';
export type { JitsuDeliveryResult } from './jitsu-response.js';
export { isJitsuTransportRequest } from './request-marker.js';
export { parseRetryAfter } from './retry-after.js';

/** How long `close()` waits for in-flight requests before tearing the sockets down. */
export const CLOSE_GRACE_MS = 1000;

export interface JitsuTransport extends AnalyticsTransport {
  send(batch: readonly QueuedEvent[], signal: AbortSignal): Promise<JitsuDeliveryResult>;
  /** Lets in-flight requests finish for up to `CLOSE_GRACE_MS`, then destroys the pool. Idempotent. */
  close(): Promise<void>;
  /** The Jitsu origin requests go to (`protocol://host:port`, never a credential). */
  readonly origin: string;
}

/**
 * The transport that speaks Jitsu's ingest protocol (Next batches, or Classic arrays) over a
 * keep-alive undici pool. It delivers one batch per call and describes every failure precisely;
 * retrying, splitting and backoff belong to the pipeline.
 */
export function createJitsuTransport(options: JitsuTransportOptions): JitsuTransport {
  const config = resolveJitsuOptions(options);
  const secrets = secretsOf(config.writeKey);
  const poolOptions = {
    connections: config.connections,
    pipelining: 1,
    headersTimeout: config.requestTimeoutMs,
    bodyTimeout: config.requestTimeoutMs,
  };
  // Through a proxy: a CONNECT tunnel to Jitsu's origin, the same keep-alive pool inside it.
  const pool: Dispatcher = config.proxy ? new ProxyAgent({ uri: config.proxy, ...poolOptions }) : new Pool(config.origin, poolOptions);
  const baseHeaders: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    [MARKER_HEADER]: MARKER_VALUE,
    // Classic also takes the token as ?token=, but a query string lands in proxy logs.
    ...(config.protocol === 'next' ? { 'x-write-key': config.writeKey } : { 'x-auth-token': config.writeKey }),
  };
  let closing: Promise<void> | undefined;

  const failure = (error: unknown, abortCause: AbortCause): DeliveryError =>
    networkDeliveryError(error, { origin: config.origin, requestTimeoutMs: config.requestTimeoutMs, abortCause });

  async function send(batch: readonly QueuedEvent[], signal: AbortSignal): Promise<JitsuDeliveryResult> {
    if (closing) throw failure(undefined, 'closed');
    if (batch.length === 0) return {};
    const built = config.protocol === 'next' ? buildNextBatchBody(batch) : buildClassicBatchBody(batch);
    if (built.eventCount === 0) return { rejected: built.invalid };
    if (signal?.aborted) throw failure(signal.reason, 'caller');

    // Jitsu Classic does not decode gzip (its parser reads the raw body), so it never gets one.
    const gzipMinBytes = config.protocol === 'next' ? config.gzipMinBytes : Number.POSITIVE_INFINITY;
    const { payload, gzipped } = await encodeBody(built.payload, gzipMinBytes);
    const headers = gzipped ? { ...baseHeaders, 'content-encoding': 'gzip' } : baseHeaders;

    // One controller per request, linked to the caller's signal by hand rather than with
    // AbortSignal.any: removing the listener afterwards keeps a long-lived pipeline signal from
    // collecting one per request, and the cause of an abort stays known.
    const controller = new AbortController();
    let abortCause: AbortCause;
    const abort = (cause: Exclude<AbortCause, undefined>) => {
      abortCause ??= cause;
      controller.abort(new Error(`Jitsu request aborted (${cause})`));
    };
    const onCallerAbort = () => abort('caller');
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    if (signal?.aborted) onCallerAbort();
    const deadline = setTimeout(() => abort('deadline'), config.requestTimeoutMs);
    deadline.unref();

    const sentIds = new Set(batch.map((event) => event.messageId));
    for (const { messageId } of built.invalid) sentIds.delete(messageId);
    let outcome: JitsuDeliveryResult | DeliveryError;
    try {
      const response = await pool.request({
        origin: config.origin,
        path: config.path,
        method: 'POST',
        headers,
        body: payload,
        signal: controller.signal,
      });
      const { statusCode } = response;
      // A 401/403 body echoes the raw key: it is drained unread.
      const text = statusCode === 401 || statusCode === 403 ? await drain(response.body) : await readBodyText(response.body);
      outcome = classifyJitsuResponse(
        { status: statusCode, headers: response.headers, body: text },
        {
          protocol: config.protocol,
          messageIds: sentIds,
          secrets,
          endpoint: `${config.origin}${config.path}`,
          bytes: payload.length,
        },
      );
    } catch (error) {
      throw failure(error, abortCause ?? (closing ? 'closed' : undefined));
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onCallerAbort);
    }
    if (outcome instanceof DeliveryError) throw outcome;
    return withInvalid(outcome, built.invalid);
  }

  function close(): Promise<void> {
    closing ??= closePool(pool);
    return closing;
  }

  return { send, close, origin: config.origin };
}

async function drain(body: { dump(): Promise<void> }): Promise<string> {
  await body.dump();
  return '';
}

function withInvalid(
  result: JitsuDeliveryResult,
  invalid: ReadonlyArray<{ messageId: string; reason: string }>,
): JitsuDeliveryResult {
  if (invalid.length === 0) return result;
  return { ...result, rejected: [...invalid, ...(result.rejected ?? [])] };
}

async function closePool(pool: Dispatcher): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const graceful = pool.close().then(
    () => true,
    () => false,
  );
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS);
    timer.unref();
  });
  const closed = await Promise.race([graceful, expired]);
  clearTimeout(timer);
  if (!closed) await pool.destroy().catch(() => undefined);
}
