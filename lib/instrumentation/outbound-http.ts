import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { AnalyticsCore } from '../analytics-core.js';
import type { RequestFacts } from '../context/request-context.js';
import { backendErrorEvent, externalApiEvent } from '../events/event-builders.js';
import type { ResolvedOutboundHttpOptions } from './outbound-http-options.js';
import {
  type ClientRequestLike,
  clientRequestTarget,
  type OutboundTarget,
  type UndiciRequestLike,
  undiciTarget,
} from './outbound-request.js';

/**
 * Channels published by undici (both the copy inside Node that serves the global `fetch` and the
 * `undici` package: channels are process-wide by name) and by Node's `http`/`https` clients.
 * Subscribing is how the calls are seen without patching any module.
 */
export const OUTBOUND_CHANNELS = {
  undiciCreate: 'undici:request:create',
  undiciHeaders: 'undici:request:headers',
  undiciError: 'undici:request:error',
  httpStart: 'http.client.request.start',
  httpResponse: 'http.client.response.finish',
  httpError: 'http.client.request.error',
} as const;

interface PendingCall extends OutboundTarget {
  startedAt: number;
  /** The request being served when the call started: the event belongs to it, not to whatever runs when the response arrives. */
  facts?: RequestFacts;
}

interface Message {
  request?: object;
  response?: { statusCode?: unknown };
  error?: unknown;
}

/**
 * Records an `External API Call` per outbound HTTP request: service, endpoint (path without
 * query), method, status, duration until the response headers arrived, success (a response
 * below 400). A request that fails before any response is `success: false` with the error's
 * `error_code`. Each analytics instance subscribes on its own and unsubscribes on `stop()`.
 */
export class OutboundHttpInstrumentation {
  private readonly pending = new WeakMap<object, PendingCall>();
  private readonly handlers: Record<keyof typeof OUTBOUND_CHANNELS, (message: unknown) => void>;
  private started = false;

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
      undiciCreate: guard((m) => this.begin(m, (r) => undiciTarget(r as UndiciRequestLike, this.options.services))),
      undiciHeaders: guard((m) => this.respond(m)),
      undiciError: guard((m) => this.fail(m)),
      httpStart: guard((m) => this.beginHttp(m)),
      httpResponse: guard((m) => this.respond(m)),
      httpError: guard((m) => this.fail(m)),
    };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.core.deliveryScope.watch();
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

  private begin(message: unknown, target: (request: object) => OutboundTarget | undefined): object | undefined {
    const request = (message as Message | null)?.request;
    if (typeof request !== 'object' || request === null || this.core.deliveryScope.active) return undefined;
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
    const request = this.begin(message, (r) => clientRequestTarget(r as ClientRequestLike, this.options.services));
    const emitter = request as { once?: (event: string, listener: () => void) => unknown; res?: { statusCode?: unknown } } | undefined;
    if (typeof emitter?.once !== 'function') return;
    emitter.once('close', () => {
      // An upgrade (a WebSocket handshake's 101) is answered without the response channel firing.
      const status = emitter.res?.statusCode;
      if (typeof status === 'number') this.finish(request!, status, status < 400, undefined);
      else this.finish(request!, undefined, false, undefined);
    });
  }

  private respond(message: unknown): void {
    const { request, response } = (message as Message | null) ?? {};
    const status = response?.statusCode;
    if (request) this.finish(request, typeof status === 'number' ? status : undefined, typeof status === 'number' && status < 400, undefined);
  }

  private fail(message: unknown): void {
    const { request, error } = (message as Message | null) ?? {};
    const code = (error as { code?: unknown } | null | undefined)?.code;
    if (request) this.finish(request, undefined, false, typeof code === 'string' ? code : (error as Error | undefined)?.name);
  }

  private finish(request: object, statusCode: number | undefined, success: boolean, errorCode: string | undefined): void {
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

function outboundFailure(call: PendingCall, errorCode: string | undefined) {
  const why = errorCode ?? 'no response';
  return backendErrorEvent(
    { source: 'external_api', error: { name: 'ExternalApiError', message: `${call.method} ${call.service}${call.endpoint} failed: ${why}` }, method: call.method },
    { service: call.service, endpoint: call.endpoint, error_code: errorCode },
  );
}
