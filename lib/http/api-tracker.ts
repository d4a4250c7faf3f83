import type { ExecutionContext } from '@nestjs/common';
import type { AnalyticsCore } from '../analytics-core.js';
import { describeThrown } from '../options/describe-thrown.js';
import { recordApiCall, recordApiError, type CallOrigin } from './api-event-recorder.js';
import type { ResolvedApiTracking } from './api-tracking.resolver.js';
import { statusOfError } from './error-status.js';
import { HandlerFactsCache } from './handler-facts.js';
import { attachHttpCallState, httpCallStateOf, type HttpCallState } from './http-call-state.js';
import { identifyRequest, type Identity } from './identify.js';
import type { NonHttpCall } from './non-http-calls.js';
import {
  clientIpOf,
  headerOf,
  rawRequestOf,
  rawResponseOf,
  requestMethodOf,
  requestPathOf,
  routeTemplateOf,
} from './parsers/http-request.parser.js';
import { redactedValues } from './path-params.js';
import type { RefusedCallHandlers } from './refused-call-handlers.js';
import { endStatus, statusSent } from './response-status.js';
import { requestIdFrom } from './request-id.js';
import { RequestRoutes } from './request-routes.js';

/**
 * The HTTP side of API tracking for one analytics instance. A request is begun by whichever
 * component sees it first (the module's middleware, normally), annotated by the interceptor
 * (handler, route, user) and the exception filter (the error), and recorded once, when its
 * response is over: only then are the status sent and the end of a streamed or `@Res()` body
 * known. Nothing here throws into the request: failures are counted as warnings.
 */
export class ApiTracker {
  readonly handlers = new HandlerFactsCache();
  /** Errors already recorded, so the interceptor and the filter of a non-HTTP call count one. */
  readonly recordedErrors = new WeakSet<object>();
  /** Non-HTTP calls being tracked, so the global interceptor and an `AnalyticsInterceptor` on the same handler time one. */
  readonly interceptedCalls = new WeakSet<object>();
  /** Non-HTTP calls the interceptor tracks, by their `callKey`: the filter records what it did not. */
  readonly nonHttpCalls = new WeakMap<object, NonHttpCall>();
  /** Names non-HTTP calls a guard refused; the Nest module gives it the app's classes. */
  refusedCallHandlers?: RefusedCallHandlers;
  /** Route and path of requests no interceptor saw; the Nest module gives it the router and the skipped routes. */
  readonly routes: RequestRoutes;
  /** The last client address seen and what `ipPolicy` made of it: behind a proxy most requests share one. */
  private lastClient?: { address: unknown; forwarded: unknown; ip: string | undefined };

  constructor(
    readonly core: AnalyticsCore,
    readonly settings: ResolvedApiTracking,
    private readonly random: () => number = Math.random,
  ) {
    this.routes = new RequestRoutes((name) => core.isSensitiveKey(name));
  }

  get active(): boolean {
    return this.core.enabled && (this.settings.apiEnabled || this.settings.errorsEnabled);
  }

  /** Starts tracking a request, or returns the state of one already begun. */
  begin(request: unknown, response: unknown, fromMiddleware = false): HttpCallState {
    const raw = rawRequestOf(request);
    const existing = httpCallStateOf(raw);
    if (existing) {
      if (existing.owner !== this) return existing;
      if (request !== raw) existing.request = request;
      if (fromMiddleware) noteMiddlewareRoute(existing, raw);
      return existing;
    }
    const path = requestPathOf(raw);
    const state: HttpCallState = {
      facts: { requestId: requestIdFrom(raw.headers?.['x-request-id'], this.core) },
      owner: this,
      startedAt: performance.now(),
      timestamp: Date.now(),
      method: requestMethodOf(raw),
      path,
      raw,
      remoteAddress: raw.socket?.remoteAddress,
      response: rawResponseOf(response),
      request,
      excluded: this.settings.isExcluded(path),
      skip: false,
      identified: false,
      hasError: false,
      errorRecorded: false,
      finished: false,
      ended: false,
    };
    attachHttpCallState(raw, state);
    if (fromMiddleware) noteMiddlewareRoute(state, raw);
    const res = state.response;
    if (typeof res.once === 'function') {
      // 'finish': answered in full. 'close' ends a response the client abandoned. A response
      // without a real socket (serverless adapters) may emit only 'finish'.
      res.once('finish', () => {
        state.finished = true;
        this.end(state);
      });
      res.once('close', () => this.end(state));
      if ((res as { closed?: unknown }).closed === true) queueMicrotask(() => this.end(state));
    } else {
      this.reportFailure(new Error('the response has no once(): its end cannot be observed, so the call is not recorded'));
    }
    return state;
  }

  /** Called by the interceptor once guards have passed: the handler, its route and its user are known. */
  enterHandler(context: ExecutionContext): HttpCallState | undefined {
    const http = context.switchToHttp();
    const request = http.getRequest<unknown>();
    const state = this.begin(request, http.getResponse<unknown>());
    if (state.owner !== this) return undefined;
    const handler = this.handlers.get(context.getClass(), context.getHandler());
    state.handlerStartedAt = performance.now();
    state.controller = handler.controller;
    state.handler = handler.name;
    if (handler.skip) state.skip = true;
    state.route = routeTemplateOf(request) ?? state.route;
    this.identify(state);
    return state;
  }

  /** An exception on its way to the client; recorded with the request, or now if that is over. */
  captureError(state: HttpCallState, error: unknown): void {
    if (state.owner !== this) return;
    if (!state.hasError) {
      state.hasError = true;
      state.error = error;
    }
    if (state.ended && !state.errorRecorded) this.guard(() => this.recordError(state));
  }

  /** The response is over: one `API Call` (unless excluded, skipped or sampled out), one `Backend Error` if something threw. */
  end(state: HttpCallState): void {
    if (state.ended) return;
    state.ended = true;
    this.guard(() => this.record(state));
  }

  private record(state: HttpCallState): void {
    const endedAt = performance.now();
    if (state.handlerStartedAt === undefined) this.routes.identify(state);
    const status = endStatus(state);
    const recordCall = this.settings.apiEnabled && !state.excluded && !state.skip && (state.hasError || status >= 400 || this.sampled());
    // A 5xx is a failure whether or not anything threw (`@HttpCode(503)`, `res.status(500)`).
    const recordError = this.settings.errorsEnabled && (state.hasError || status >= 500) && !state.errorRecorded;
    if (!recordCall && !recordError) return;
    this.identify(state);
    if (recordCall) {
      state.facts.apiRecorded = true;
      const origin = this.origin(state);
      const fields = {
        method: state.method,
        path: this.routes.pathOf(state),
        route: state.route,
        statusCode: status,
        durationMs: endedAt - (state.handlerStartedAt ?? state.startedAt),
        userAgent: origin.userAgent,
        ipAddress: origin.ipAddress,
        controller: state.controller,
        handler: state.handler,
      };
      recordApiCall(this.core, fields, origin, state.timestamp);
    }
    if (recordError) this.recordError(state);
  }

  private recordError(state: HttpCallState): void {
    if (!this.settings.errorsEnabled) return;
    state.errorRecorded = true;
    if (typeof state.error === 'object' && state.error !== null) this.recordedErrors.add(state.error);
    const sent = statusSent(state);
    this.identify(state);
    recordApiError(
      this.core,
      state.hasError ? state.error : { name: 'HttpError', message: `responded ${sent}` },
      {
        statusCode: sent >= 400 ? sent : statusOfError(state.error),
        method: state.method,
        route: state.route,
        secrets: redactedValues(state.path, this.routes.pathOf(state)),
      },
      this.origin(state),
    );
  }

  private identify(state: HttpCallState): void {
    if (state.identified) return;
    state.identified = true;
    const { identity, failure } = identifyRequest(this.settings.identify, state.request);
    if (failure) this.core.reporter.warn('identify_failed', failure);
    // Every event of the request carries these ids: an address used as one keeps only its domain.
    if (identity.userId !== undefined) state.facts.userId = this.core.scrubText(identity.userId);
    if (identity.anonymousId !== undefined) state.facts.anonymousId = this.core.scrubText(identity.anonymousId);
  }

  private origin(state: HttpCallState): CallOrigin {
    const identity: Identity = { userId: state.facts.userId, anonymousId: state.facts.anonymousId };
    return {
      facts: state.facts,
      identity,
      ipAddress: this.clientIp(state),
      userAgent: headerOf(state.raw, 'user-agent'),
    };
  }

  private clientIp(state: HttpCallState): string | undefined {
    const { raw, remoteAddress: address } = state;
    const forwarded = this.settings.trustProxy ? raw.headers?.['x-forwarded-for'] : undefined;
    const last = this.lastClient;
    if (last && last.address === address && last.forwarded === forwarded && !Array.isArray(forwarded)) return last.ip;
    const ip = clientIpOf(raw, this.settings.trustProxy, this.settings.ipPolicy, address);
    this.lastClient = { address, forwarded, ip };
    return ip;
  }

  sampled(): boolean {
    const rate = this.settings.sampleRate;
    return rate >= 1 || (rate > 0 && this.random() < rate);
  }

  /** Runs tracking work outside the app's control flow (event listeners): a failure is a warning, never a crash. */
  guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.reportFailure(error);
    }
  }

  reportFailure(error: unknown): void {
    this.core.reporter.warn('api_tracking_failed', `API tracking failed: ${describeThrown(error)}`);
  }
}

/** Nest mounts middleware as a catch-all Express route, which stays in `req.route` when no app route matches. */
function noteMiddlewareRoute(state: HttpCallState, raw: object): void {
  const route = (raw as { route?: unknown }).route;
  if (route !== undefined) (state.middlewareRoutes ??= []).push(route);
}
