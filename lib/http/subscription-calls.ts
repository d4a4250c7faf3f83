import type { ApiTracker } from './api-tracker.js';
import { endNonHttpCall, failNonHttpCall, type NonHttpCall } from './non-http-calls.js';

/**
 * A GraphQL subscription's resolver returns its event stream (an async iterator) at once: the
 * call lasts until that stream ends (it completes, fails, or the client unsubscribes), and each
 * step of it runs in the call's context, so that the events it tracks carry its request id. What
 * is no stream (an error's value, a resolver returning data) ends the call now.
 */
export function followSubscription(tracker: ApiTracker, call: NonHttpCall, result: unknown): unknown {
  const source = asyncIteratorOf(result);
  if (!source) {
    endNonHttpCall(tracker, call);
    return result;
  }
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    endNonHttpCall(tracker, call);
  };
  const inCall = <T>(step: () => Promise<T>): Promise<T> => tracker.core.requestContext.run(call.facts, step);
  const followed: AsyncIterableIterator<unknown> = {
    [Symbol.asyncIterator]() {
      return followed;
    },
    async next(...args: [] | [unknown]) {
      try {
        const step = await inCall(() => source.next(...args));
        if (step.done) end();
        return step;
      } catch (error) {
        failNonHttpCall(tracker, call, error);
        end();
        throw error;
      }
    },
    async return(value?: unknown) {
      try {
        return source.return ? await inCall(() => source.return!(value)) : { done: true, value };
      } finally {
        end();
      }
    },
    async throw(error?: unknown) {
      try {
        if (source.throw) return await inCall(() => source.throw!(error));
        throw error;
      } finally {
        end();
      }
    },
  };
  return followed;
}

/** The stream's iterator; undefined for anything else, also for a stream that fails to open (left for GraphQL to report). */
function asyncIteratorOf(value: unknown): AsyncIterator<unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    const open = (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator];
    if (typeof open !== 'function') return undefined;
    const iterator: unknown = open.call(value);
    return typeof iterator === 'object' && iterator !== null && typeof (iterator as { next?: unknown }).next === 'function'
      ? (iterator as AsyncIterator<unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
