import { randomUUID } from 'node:crypto';
import type { ArgumentsHost, ExecutionContext } from '@nestjs/common';
import type { RequestFacts } from '../context/request-context.js';
import { recordApiCall, recordApiError, type CallOrigin } from './api-event-recorder.js';
import type { ApiTracker } from './api-tracker.js';
import type { NonHttpContextType } from './api-tracking.resolver.js';
import { statusOfError } from './error-status.js';
import type { HandlerFacts } from './handler-facts.js';
import { httpCallStateOf, type HttpCallState } from './http-call-state.js';
import type { CallDescription } from './parsers/call-description.js';
import { CONTEXT_PARSERS } from './parsers/context-parsers.js';
import { rawRequestOf } from './parsers/http-request.parser.js';

/** One call of a microservice, gateway or resolver handler, recorded when its stream ends. */
export interface NonHttpCall {
  readonly facts: RequestFacts;
  readonly description: CallDescription;
  readonly handler: HandlerFacts;
  readonly startedAt: number;
  readonly timestamp: number;
  hasError: boolean;
  error?: unknown;
  /** Set when the call ended otherwise than its handler's outcome says (a client that cancelled a gRPC stream call). */
  statusCode?: number;
  /** Set for a call whose handler never ran (a guard refused it): nothing of its own to time. */
  durationMs?: number;
}

/**
 * Where a non-HTTP call is tracked: on its own (`call`), or as part of the HTTP request that
 * carries it (`http`, GraphQL over HTTP), or not at all (undefined: a nested resolver outside
 * any tracked request).
 */
export type CallTracking = { call: NonHttpCall } | { http: HttpCallState } | undefined;

const NO_HANDLER: HandlerFacts = { skip: false };

export function beginNonHttpCall(tracker: ApiTracker, type: NonHttpContextType, context: ExecutionContext): CallTracking {
  const handler = tracker.handlers.get(context.getClass(), context.getHandler());
  const description = CONTEXT_PARSERS[type](context, handler, tracker.settings);
  const http = httpStateFor(tracker, description);
  if (http) {
    if (description.standalone) joinHttpRequest(http, description, handler);
    return { http };
  }
  if (!description.standalone) return undefined;
  const call = newCall(tracker, description, handler);
  if (description.callKey) tracker.nonHttpCalls.set(description.callKey, call);
  return { call };
}

function newCall(tracker: ApiTracker, description: CallDescription, handler: HandlerFacts): NonHttpCall {
  const facts = tracker.core.requestContext.get() ?? { requestId: randomUUID() };
  return { facts, description, handler, startedAt: performance.now(), timestamp: Date.now(), hasError: false };
}

/** The handler threw: its `Backend Error` is recorded now (a non-HTTP call has no response to wait for). */
export function failNonHttpCall(tracker: ApiTracker, call: NonHttpCall, error: unknown): void {
  if (!call.hasError) {
    call.hasError = true;
    call.error = error;
  }
  tracker.guard(() => recordOnce(tracker, error, call.description, originOf(call.facts, call.description)));
}

export function endNonHttpCall(tracker: ApiTracker, call: NonHttpCall): void {
  if (!tracker.settings.apiEnabled || call.handler.skip || (!call.hasError && !tracker.sampled())) return;
  const { description, handler } = call;
  tracker.guard(() => {
    call.facts.apiRecorded = true;
    recordApiCall(
      tracker.core,
      {
        method: description.method,
        path: description.path,
        route: description.route,
        statusCode: call.statusCode ?? (call.hasError ? errorStatus(description, call.error) : 200),
        durationMs: call.durationMs ?? performance.now() - call.startedAt,
        userAgent: description.userAgent,
        ipAddress: description.ipAddress,
        controller: handler.controller,
        handler: handler.name,
      },
      originOf(call.facts, description),
      call.timestamp,
    );
  });
}

/**
 * For the exception filter: what the interceptor recorded is not recorded again (a thrown string
 * included). A call the interceptor never saw was refused before it, by a guard: it is recorded
 * as a call that failed at once (`duration_ms` 0: its handler never ran), named from the handler
 * its route declares, as a request a guard rejects is.
 */
export function captureNonHttpError(tracker: ApiTracker, type: NonHttpContextType, host: ArgumentsHost, error: unknown): void {
  const description = CONTEXT_PARSERS[type](host as ExecutionContext, NO_HANDLER, tracker.settings);
  const http = httpStateFor(tracker, description);
  if (http) {
    // GraphQL over HTTP whose root field a guard refused: the request is still named by that field.
    if (description.standalone && http.handlerStartedAt === undefined) nameHttpRequest(http, description, refusedHandler(tracker, type, description));
    return tracker.captureError(http, error);
  }
  const seen = description.callKey && tracker.nonHttpCalls.get(description.callKey);
  if (seen) {
    // Something outside the interceptor (an app's interceptor around it) may throw another error.
    if (!(seen.hasError && Object.is(seen.error, error))) recordOnce(tracker, error, seen.description, originOf(seen.facts, seen.description));
    return;
  }
  if (description.standalone && description.callKey && tracker.settings.contexts[type] === 'track') {
    return recordRefusedCall(tracker, type, host as ExecutionContext, description, error);
  }
  const facts = tracker.core.requestContext.get() ?? { requestId: randomUUID() };
  recordOnce(tracker, error, description, originOf(facts, description));
}

function recordRefusedCall(tracker: ApiTracker, type: NonHttpContextType, context: ExecutionContext, described: CallDescription, error: unknown): void {
  const handler = refusedHandler(tracker, type, described);
  const call = newCall(tracker, handler === NO_HANDLER ? described : CONTEXT_PARSERS[type](context, handler, tracker.settings), handler);
  call.durationMs = 0;
  failNonHttpCall(tracker, call, error);
  endNonHttpCall(tracker, call);
}

/** The handler a refused call's route declares, as far as the app's classes tell. */
function refusedHandler(tracker: ApiTracker, type: NonHttpContextType, described: CallDescription): HandlerFacts {
  const ref = tracker.refusedCallHandlers?.find(type, described.route);
  return ref ? tracker.handlers.get(ref.cls, ref.fn) : NO_HANDLER;
}

function recordOnce(tracker: ApiTracker, error: unknown, description: CallDescription, origin: CallOrigin): void {
  if (!tracker.settings.errorsEnabled) return;
  if (typeof error === 'object' && error !== null) {
    if (tracker.recordedErrors.has(error)) return;
    tracker.recordedErrors.add(error);
  }
  recordApiError(tracker.core, error, { statusCode: errorStatus(description, error), method: description.method, route: description.route }, origin);
}

function errorStatus(description: CallDescription, error: unknown): number {
  return (description.statusOfError ?? statusOfError)(error);
}

function httpStateFor(tracker: ApiTracker, description: CallDescription): HttpCallState | undefined {
  if (!description.httpRequest) return undefined;
  const state = httpCallStateOf(rawRequestOf(description.httpRequest));
  return state?.owner === tracker ? state : undefined;
}

/** GraphQL over HTTP: the request is the call, named by its (first) root field whose handler runs. */
function joinHttpRequest(state: HttpCallState, description: CallDescription, handler: HandlerFacts): void {
  if (state.handlerStartedAt !== undefined) {
    if (handler.skip) state.skip = true;
    return;
  }
  state.handlerStartedAt = performance.now();
  nameHttpRequest(state, description, handler);
}

function nameHttpRequest(state: HttpCallState, description: CallDescription, handler: HandlerFacts): void {
  if (handler.skip) state.skip = true;
  state.route = description.route;
  state.controller = handler.controller;
  state.handler = handler.name;
}

function originOf(facts: RequestFacts, description: CallDescription): CallOrigin {
  return {
    facts,
    identity: { userId: facts.userId, anonymousId: facts.anonymousId },
    ipAddress: description.ipAddress,
    userAgent: description.userAgent,
  };
}
