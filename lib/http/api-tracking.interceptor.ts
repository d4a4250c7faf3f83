import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
// rxjs exports its operators from the root only since 7.2; the peer range starts at 7.1, as NestJS's does.
import { finalize, map, tap } from 'rxjs/operators';
import type { ApiTracker } from './api-tracker.js';
import { beginNonHttpCall, endNonHttpCall, failNonHttpCall, type CallTracking, type NonHttpCall } from './non-http-calls.js';
import { isNonHttpContextType } from './parsers/context-parsers.js';
import { followGrpcStream } from './grpc-stream-calls.js';
import { followSubscription } from './subscription-calls.js';

/**
 * Registered globally by `JitsuAnalyticsModule` (`api.enabled` or `errors.enabled`). For an HTTP
 * request it adds what only the handler knows (controller, handler, route, user) to the request
 * tracked since the middleware, and notes an exception on its way out, so the request's
 * `Backend Error` is kept even when an app's own filter answers it. The `API Call` itself is
 * recorded when the response is over (see `ApiTracker`). Microservice, gateway and resolver
 * calls are timed from here to the end of their stream (`finalize`); a GraphQL subscription's to
 * the end of the event stream its resolver returns, a `@GrpcStreamCall()`'s to its answer.
 */
export class ApiTrackingInterceptor implements NestInterceptor {
  constructor(private readonly tracker: ApiTracker) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const tracker = this.tracker;
    if (!tracker.active) return next.handle();
    const type = context.getType<string>();
    if (type === 'http') return this.http(context, next);
    if (isNonHttpContextType(type) && tracker.settings.contexts[type] === 'track') return this.nonHttp(type, context, next);
    return next.handle();
  }

  private http(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const tracker = this.tracker;
    let state;
    try {
      state = tracker.enterHandler(context);
    } catch (error) {
      tracker.reportFailure(error);
    }
    if (!state) return next.handle();
    const requestContext = tracker.core.requestContext;
    const facts = state.facts;
    // The middleware normally entered the request's context; without it (a lazily loaded module),
    // the handler chain is started inside it here, so the handler's events still carry the id.
    const stream = requestContext.get() === facts ? next.handle() : requestContext.run(facts, () => next.handle());
    const tracked = state;
    return stream.pipe(tap({ error: (error: unknown) => tracker.captureError(tracked, error) }));
  }

  private nonHttp(type: 'rpc' | 'ws' | 'graphql', context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const tracker = this.tracker;
    // The global interceptor and an AnalyticsInterceptor on the handler share the call's context.
    if (tracker.interceptedCalls.has(context)) return next.handle();
    tracker.interceptedCalls.add(context);
    let tracking: CallTracking;
    try {
      tracking = beginNonHttpCall(tracker, type, context);
    } catch (error) {
      tracker.reportFailure(error);
    }
    if (!tracking) return next.handle();
    if ('http' in tracking) {
      const state = tracking.http;
      return next.handle().pipe(tap({ error: (error: unknown) => tracker.captureError(state, error) }));
    }
    const call = tracking.call;
    const endStreamCall = call.handler.grpcStreaming ? followGrpcStream(tracker, call, context.getArgs()) : undefined;
    const handled = tracker.core.requestContext.run(call.facts, () => next.handle());
    if (call.description.subscription) return this.subscription(call, handled);
    if (endStreamCall) {
      // The handler returned; its call goes on until the stream's answer is out (see followGrpcStream).
      return handled.pipe(
        tap({
          error: (error: unknown) => {
            failNonHttpCall(tracker, call, error);
            endStreamCall();
          },
        }),
      );
    }
    return handled.pipe(
      tap({ error: (error: unknown) => failNonHttpCall(tracker, call, error) }),
      finalize(() => endNonHttpCall(tracker, call)),
    );
  }

  /** The resolver's stream of events, followed until it ends (`followSubscription`). */
  private subscription(call: NonHttpCall, handled: Observable<unknown>): Observable<unknown> {
    const tracker = this.tracker;
    let followed = false;
    return handled.pipe(
      map((result) => {
        followed = true;
        return followSubscription(tracker, call, result);
      }),
      tap({ error: (error: unknown) => failNonHttpCall(tracker, call, error) }),
      finalize(() => {
        if (!followed) endNonHttpCall(tracker, call);
      }),
    );
  }
}
