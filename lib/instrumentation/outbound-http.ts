import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { AnalyticsCore } from '../analytics-core.js';
import type { RequestFacts } from '../context/request-context.js';
import { backendErrorEvent, externalApiEvent } from '../events/event-builders.js';
import { type CallOutcome, grpcOutcome, http2FailureCode, http2ResponseOutcome } from './http2-outcome.js';
import type { ResolvedOutboundHttpOptions } from './outbound-http-options.js';
import {
  type ClientRequestLike,
  clientRequestTarget,
  type Http2HeadersLike,
  http2Target,
  type OutboundTarget,
  type UndiciRequestLike,
  undiciTarget,
} from './outbound-request.js';

/**
 * Channels published by undici (both the copy inside Node that serves the global `fetch` and the
 * `undici` package: channels are process-wide by name), by Node's `http`/`https` clients and by
 * its `http2` client (from Node 22.17 and 24.2; on older releases nobody publishes them).
 * Subscribing is how the calls are seen without patching any module.
 */
export const OUTBOUND_CHANNELS = {
  undiciCreate: 'undici:request:create',
  undiciHeaders: 'undici:request:headers',
  undiciError: 'undici:request:error',
  undiciSendHeaders: 'undici:client:sendHeaders',
  httpStart: 'http.client.request.start',
  httpResponse: 'http.client.response.finish',
  httpError: 'http.client.request.error',
  http2Created: 'http2.client.stream.created',
  http2Response: 'http2.client.stream.finish',
  http2Error: 'http2.client.stream.error',
} as const;

interface PendingCall extends OutboundTarget {
  startedAt: number;
  /** The request being served when the call started: the event belongs to it, not to whatever runs when the response arrives. */
  facts?: RequestFacts;
  /** An HTTP/2 stream's error, published before the stream closes and the call is recorded. */
  failure?: string;
}

interface Message {
  request?: object;
  response?: { statusCode?: unknown };
  error?: unknown;
}

interface Http2Message {
  stream?: Http2StreamLike;
  headers?: Http2HeadersLike;
  error?: unknown;
}

interface Http2StreamLike {
  sentHeaders?: unknown;
  rstCode?: unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * Records an `External API Call` per outbound HTTP request: service, endpoint (path without
 * query), method, status, duration until the response headers arrived, success (a response
 * below 400). A gRPC call lasts until its status arrives, which is its outcome. A request that
 * fails before any response is `success: false` with the error's `error_code`. Each analytics
 * instance subscribes on its own and unsubscribes on `stop()`.
 */
export class OutboundHttpInstrumentation {
  private readonly pending = new WeakMap<object, PendingCall>();
  private readonly handlers: Record<keyof typeof OUTBOUND_CHANNELS, (message: unknown) => void>;
  private started = false;
  /** undici is about to open an HTTP/2 stream for a request it publishes itself (see `undiciSendsHttp2`). */
  private undiciStreamNext = false;

  constructor(
    private readonly core: AnalyticsCore,
    private readonly options: ResolvedOutboundHttpOptions,
  ) {
    // diagnostics_channel turns a subscriber's exception into an uncaught exception: never throw.
    const guard = (handle: (message: unknown) => void) => (message: unknown) => {
      try {
        handle(message);
      } catch {
        // A message we cannot read is one call not tracked, never an error in the application.
      }
    };
    this.handlers = {
      undiciCreate: guard((m) => this.begin((m as Message | null)?.request, (r) => undiciTarget(r as UndiciRequestLike, this.options))),
      undiciHeaders: guard((m) => this.respond(m)),
      undiciError: guard((m) => this.fail(m)),
      undiciSendHeaders: guard((m) => this.undiciSendsHttp2(m)),
      httpStart: guard((m) => this.beginHttp(m)),
      httpResponse: guard((m) => this.respond(m)),
      httpError: guard((m) => this.fail(m)),
      http2Created: guard((m) => this.beginHttp2(m as Http2Message | null)),
      http2Response: guard((m) => this.respondHttp2(m as Http2Message | null)),
      http2Error: guard((m) => this.failHttp2(m as Http2Message | null)),
    };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.core.unrecordedCalls.watch();
    for (const key of Object.keys(OUTBOUND_CHANNELS) as Array<keyof typeof OUTBOUND_CHANNELS>) {
      subscribe(OUTBOUND_CHANNELS[key], this.handlers[key]);
    }
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    for (const key of Object.keys(OUTBOUND_CHANNELS) as Array<keyof typeof OUTBOUND_CHANNELS>) {
      unsubscribe(OUTBOUND_CHANNELS[key], this.handlers[key]);
    }
  }

  private begin(request: unknown, target: (request: object) => OutboundTarget | undefined): object | undefined {
    if (typeof request !== 'object' || request === null || this.core.unrecordedCalls.active) return undefined;
    const t = target(request);
    if (!t) return undefined;
    this.pending.set(request, { ...t, startedAt: performance.now(), facts: this.core.requestContext.get() });
    return request;
  }

  /**
   * `http.client.request.error` is missing from some Node 20 releases and is not published for
   * every way a request can end without a response, so `close` without a response also ends the
   * call, as failed (after the error channel, when there is one, has given its code).
   */
  private beginHttp(message: unknown): void {
    const request = this.begin((message as Message | null)?.request, (r) => clientRequestTarget(r as ClientRequestLike, this.options));
    const emitter = request as { once?: (event: string, listener: () => void) => unknown; res?: { statusCode?: unknown } } | undefined;
    if (typeof emitter?.once !== 'function') return;
    emitter.once('close', () => {
      // An upgrade (a WebSocket handshake's 101) is answered without the response channel firing.
      this.finish(request!, answered(emitter.res?.statusCode));
    });
  }

  private respond(message: unknown): void {
    const { request, response } = (message as Message | null) ?? {};
    if (request) this.finish(request, answered(response?.statusCode));
  }

  private fail(message: unknown): void {
    const { request, error } = (message as Message | null) ?? {};
    const code = (error as { code?: unknown } | null | undefined)?.code;
    if (request) this.finish(request, { success: false, errorCode: typeof code === 'string' ? code : (error as Error | undefined)?.name });
  }

  /**
   * The call is read from the stream's `sentHeaders`: the message's headers are the caller's own
   * on the first releases that publish it (22.17, 24.2: no `:authority`), and a stream Node
   * creates for a server's push, which is no call the app made, has none. Whatever has not ended
   * the call by the stream's `close` (no answer, or a gRPC call reset before its status) ends it
   * as failed; `close` comes after the error channel has given its code.
   */
  private beginHttp2(message: Http2Message | null): void {
    if (this.undiciStreamNext) {
      this.undiciStreamNext = false;
      return;
    }
    const stream = message?.stream;
    const headers = stream?.sentHeaders;
    if (!stream || typeof headers !== 'object' || headers === null) return;
    if (!this.begin(stream, () => http2Target(headers as Http2HeadersLike, this.options))) return;
    stream.once('close', () => {
      this.finish(stream, { success: false, errorCode: this.pending.get(stream)?.failure ?? http2FailureCode(undefined, stream.rstCode) });
    });
  }

  /**
   * undici (`allowH2`) sends a request over a `node:http2` session, so Node publishes its stream
   * too, and the call would count twice. undici publishes `sendHeaders` on an h2 socket right
   * before it opens the stream, in the same synchronous run: the next stream created is that one.
   */
  private undiciSendsHttp2(message: unknown): void {
    const socket = (message as { socket?: { alpnProtocol?: unknown } } | null)?.socket;
    if (socket?.alpnProtocol !== 'h2') return;
    this.undiciStreamNext = true;
    queueMicrotask(() => (this.undiciStreamNext = false));
  }

  private respondHttp2(message: Http2Message | null): void {
    const stream = message?.stream;
    if (!stream || !message.headers || !this.pending.has(stream)) return;
    const outcome = http2ResponseOutcome(message.headers);
    if (outcome) this.finish(stream, outcome);
    else stream.once('trailers', (trailers) => this.finish(stream, grpcOutcome((trailers ?? {}) as Http2HeadersLike)));
  }

  private failHttp2(message: Http2Message | null): void {
    const call = message?.stream && this.pending.get(message.stream);
    if (call) call.failure = http2FailureCode(message.error, message.stream!.rstCode);
  }

  private finish(request: object, { statusCode, success, errorCode }: CallOutcome): void {
    const call = this.pending.get(request);
    if (!call) return;
    this.pending.delete(request);
    const durationMs = performance.now() - call.startedAt;
    const record = () => {
      this.core.recordKind(
        externalApiEvent(call.service, call.endpoint, durationMs, success, {
          method: call.method,
          statusCode,
          ...(errorCode === undefined ? {} : { error_code: errorCode }),
        }),
      );
      // No answer at all is a call that threw in the app (a refused or reset connection, an
      // abort): like a decorated method that throws, it is also a Backend Error. An answer, 5xx
      // included, is the caller's to judge. Built from the code only: a client's error message
      // can quote the address or the URL.
      if (statusCode === undefined) this.core.recordKind(outboundFailure(call, errorCode));
    };
    try {
      if (call.facts) this.core.requestContext.run(call.facts, record);
      else record();
    } catch (error) {
      this.core.reporter.dropped('invalid_event', ['(unassigned)'], `could not record an outbound call: ${(error as Error)?.message ?? error}`);
    }
  }
}

/** A response, when a status came; a request that ended without one otherwise. */
function answered(status: unknown): CallOutcome {
  return typeof status === 'number' ? { statusCode: status, success: status < 400 } : { success: false };
}

function outboundFailure(call: PendingCall, errorCode: string | undefined) {
  const why = errorCode ?? 'no response';
  return backendErrorEvent(
    { source: 'external_api', error: { name: 'ExternalApiError', message: `${call.method} ${call.service}${call.endpoint} failed: ${why}` }, method: call.method },
    { service: call.service, endpoint: call.endpoint, error_code: errorCode },
  );
}
