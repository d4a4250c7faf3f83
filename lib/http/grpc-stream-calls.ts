import type { ApiTracker } from './api-tracker.js';
import { isGrpcFailure } from './grpc-calls.js';
import { endNonHttpCall, failNonHttpCall, type NonHttpCall } from './non-http-calls.js';

interface CallStream {
  emit(event: string, ...args: unknown[]): boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  listenerCount(event: string): number;
}

/**
 * A gRPC call with a stream of requests, followed past its handler's return. Both forms emit the
 * request stream's events in the call's context (see `emitInCall`): `@GrpcStreamMethod()`'s
 * Observable is fed from the call object (its third argument), `@GrpcStreamCall()`'s listeners are
 * the handler's own (see `followGrpcStreamCall`). Returns how to end the call now, for a
 * `@GrpcStreamCall()` whose handler threw; undefined when the call ends with its handler's stream.
 */
export function followGrpcStream(tracker: ApiTracker, call: NonHttpCall, args: unknown[]): (() => void) | undefined {
  if (call.handler.grpcStreaming === 'pt') return followGrpcStreamCall(tracker, call, args);
  if (call.handler.grpcStreaming === 'rx' && isCallStream(args[2])) emitInCall(tracker, call, args[2]);
  return undefined;
}

/**
 * A `@GrpcStreamCall()` handler gets grpc-js's call stream (and, for a client-streaming method,
 * the callback that answers it) and returns at once: the call lasts until its answer is out. That
 * is the response stream finishing (its status sent) or the callback being called; an error the
 * handler emits on the response stream, or passes to the callback, is the call's failure; a call
 * the client cancels first is a 499, as an abandoned HTTP request is. `args` are the handler's
 * own (Nest hands interceptors the same array): the callback is replaced by one that notes the
 * answer and calls it. The stream's events are emitted in the call's context (see
 * `emitInCall`). Returns how to end the call now (its handler threw), or undefined when the
 * arguments are not a grpc-js call's, for the caller to time it as any other.
 */
function followGrpcStreamCall(tracker: ApiTracker, call: NonHttpCall, args: unknown[]): (() => void) | undefined {
  const stream = args[0];
  if (!isCallStream(stream)) return undefined;
  let ended = false;
  const listeners: Record<string, (...args: unknown[]) => void> = {
    cancelled: () => {
      if (!ended) call.statusCode = CLIENT_CLOSED_REQUEST;
      end();
    },
  };
  const end = (): void => {
    if (ended) return;
    ended = true;
    for (const [event, listener] of Object.entries(listeners)) stream.off(event, listener);
    endNonHttpCall(tracker, call);
  };
  const answer = args[1];
  if (typeof answer === 'function') {
    args[1] = function answered(this: unknown, error: unknown, ...rest: unknown[]): unknown {
      if (!ended && isGrpcFailure(error)) failNonHttpCall(tracker, call, error);
      end();
      return answer.call(this, error, ...rest);
    };
  } else {
    // A request stream closes when the client is done sending, before the answer; a response
    // stream closes once answered, or destroyed unanswered.
    listeners.finish = () => end();
    listeners.close = () => end();
    // grpc-js's response streams listen for 'error' themselves (it becomes the call's status); a
    // stream nobody listened to would crash on one, and must go on doing so.
    if (stream.listenerCount('error') > 0) listeners.error = (error) => failNonHttpCall(tracker, call, error);
  }
  for (const [event, listener] of Object.entries(listeners)) stream.on(event, listener);
  emitInCall(tracker, call, stream);
  return end;
}

/**
 * What listens to the stream's events (`data`, `end`: the handler's listeners, or Nest feeding its
 * Observable) runs when grpc-js emits them, in grpc-js's own async context; run in the call's
 * instead, the events tracked there carry its request id, as those of the handler's own code do.
 * On this call's stream object only.
 */
function emitInCall(tracker: ApiTracker, call: NonHttpCall, stream: CallStream): void {
  const emit = stream.emit;
  const context = tracker.core.requestContext;
  stream.emit = function emitInCallContext(this: unknown, event: string, ...args: unknown[]): boolean {
    return context.run(call.facts, () => emit.call(this, event, ...args));
  };
}

/** nginx's "client closed request", as an HTTP request abandoned before its answer is recorded. */
const CLIENT_CLOSED_REQUEST = 499;

function isCallStream(value: unknown): value is CallStream {
  if (typeof value !== 'object' || value === null) return false;
  const stream = value as Partial<Record<keyof CallStream, unknown>>;
  return typeof stream.emit === 'function' && typeof stream.on === 'function' && typeof stream.off === 'function' && typeof stream.listenerCount === 'function';
}
