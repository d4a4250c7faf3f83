import { isObservable, type Observable, Subject } from 'rxjs';
import type { AnalyticsCore } from '../analytics-core.js';
import { backendErrorEvent } from '../events/event-builders.js';
import { describeThrown } from '../options/describe-thrown.js';
import { scrubString } from '../privacy/scrub-string.js';
import { CallReader } from './call-reader.js';
import { type DeferredOutcome, type Finish, generatorKind, timedGenerator, timedObservable } from './deferred-results.js';
import { errorStatus } from './default-extractors.js';
import { boundCore } from './instance-binding.js';
import type { TrackedMethodSpec } from './tracked-method-spec.interface.js';

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Wraps a method so each call records one event, timed to the end of the work: a synchronous
 * method stays synchronous. A Promise is timed to settlement, and the caller gets the promise
 * that settles after the recording, with the same value or the same error: a rejection the
 * caller never handles still surfaces as `unhandledRejection`, as without the decorator. (A
 * Promise subclass, or one with own properties, is returned as is, its extra state intact, with a
 * handler beside the caller's.) An Observable is timed per subscription, and a generator as it
 * is iterated (see deferred-results.ts); a Subject is the caller's to feed, so it is returned as
 * is and the call recorded at return. Other thenables (lazy query builders) are returned
 * untouched and recorded at return, since calling their `then` could run them a second time.
 *
 * The hot path reads the instance's binding and, when there is none or analytics is disabled,
 * calls the original at once. The outcome is recorded before the result or error reaches the
 * caller, inside the caller's async context (so the request's id and user are attached); the
 * error is re-thrown as the same object, its stack untouched.
 */
export function wrapMethod(original: Method, spec: TrackedMethodSpec): Method {
  const tracked = {
    // A method shorthand, like the original: no `prototype`, not constructible.
    tracked(this: unknown, ...args: unknown[]): unknown {
      const core = boundCore(this);
      if (core === undefined || !core.enabled) return original.apply(this, args);
      const started = performance.now();
      const finish: Finish = (outcome) => settle(core, spec, this, args, started, outcome);
      const within = spec.ownsOutboundCalls ? core.unrecordedCalls : undefined;
      let result: unknown;
      try {
        result = within ? within.run(() => original.apply(this, args)) : original.apply(this, args);
      } catch (error) {
        finish({ error, failed: true });
        throw error;
      }
      const kind = resultKind(result);
      if (kind === 'promise') return timedPromise(result as Promise<unknown>, finish) ?? settleNow(result, finish);
      if (kind === 'observable') {
        return timedObservable(
          result as Observable<unknown>,
          () => {
            const subscribed = performance.now();
            return (outcome) => settle(core, spec, this, args, subscribed, outcome);
          },
          within && ((subscribe) => within.run(subscribe)),
        );
      }
      if (kind === 'sync' || kind === 'async') return timedGenerator(result as Iterator<unknown>, kind, finish);
      return settleNow(result, finish);
    },
  }.tracked;
  return tracked;
}

const nativeThen = Promise.prototype.then;

function settleNow(result: unknown, finish: Finish): unknown {
  finish({ value: result, failed: false });
  return result;
}

/**
 * Attaches through the native `then`, not the object's own, which may be overridden (and throw).
 * Undefined when that fails (a hostile species): the call is then recorded at return.
 */
function timedPromise(promise: Promise<unknown>, finish: Finish): Promise<unknown> | undefined {
  try {
    // A subclass or a promise given own properties carries more than its settlement.
    if (Object.getPrototypeOf(promise) !== Promise.prototype || hasOwnState(promise)) {
      nativeThen.call(promise, (value) => finish({ value, failed: false }), (error) => finish({ error, failed: true }));
      return promise;
    }
    return nativeThen.call(
      promise,
      (value) => {
        finish({ value, failed: false });
        return value;
      },
      (error: unknown) => {
        finish({ error, failed: true });
        throw error;
      },
    );
  } catch {
    return undefined;
  }
}

/**
 * Node's async_hooks give every promise these own symbols while a hook is on (under Node 20 and
 * 22, from the first `AsyncLocalStorage.run`, such as a request's context, on): the runtime's
 * bookkeeping, not the app's state.
 */
const ASYNC_HOOK_KEYS = new Set(['async_id_symbol', 'trigger_async_id_symbol', 'kResourceStore']);

function hasOwnState(promise: Promise<unknown>): boolean {
  return Reflect.ownKeys(promise).some((key) => typeof key === 'string' || !ASYNC_HOOK_KEYS.has(key.description ?? ''));
}

/** A proxy's traps run on `instanceof` and on reads: one that throws is an ordinary value here. */
function resultKind(result: unknown): 'promise' | 'observable' | 'sync' | 'async' | 'other' {
  try {
    if (result instanceof Promise) return 'promise';
    if (result instanceof Subject) return 'other';
    if (isObservable(result)) return 'observable';
    return generatorKind(result) ?? 'other';
  } catch {
    return 'other';
  }
}

/** Records the call's event (and a `Backend Error` when the work failed). Never throws. */
function settle(
  core: AnalyticsCore,
  spec: TrackedMethodSpec,
  instance: unknown,
  args: unknown[],
  started: number,
  outcome: DeferredOutcome,
): void {
  const durationMs = performance.now() - started;
  const { value: result, error, failed } = outcome;
  const reader = new CallReader({ args, result, error, instance }, (why) =>
    core.reporter.warn('extractor_failed', scrubString(`@${spec.decorator}() on ${spec.site}: ${why}; recorded without that field`)),
  );
  try {
    spec.record(core, reader, durationMs, failed);
  } catch (problem) {
    core.reporter.dropped('invalid_event', ['(unassigned)'], scrubString(`@${spec.decorator}() on ${spec.site}: could not build the event: ${describeThrown(problem)}`));
  }
  if (failed && !outcome.stopped) recordBackendError(core, spec, error);
}

function recordBackendError(core: AnalyticsCore, spec: TrackedMethodSpec, error: unknown): void {
  try {
    if ((typeof error === 'object' && error !== null) || typeof error === 'function') {
      if (core.operationErrors.has(error)) return;
      core.operationErrors.add(error);
    }
    core.recordKind(backendErrorEvent({ source: spec.errorSource, error, statusCode: errorStatus(error) }, spec.errorProperties));
  } catch (problem) {
    core.reporter.dropped('invalid_event', ['(unassigned)'], scrubString(`@${spec.decorator}() on ${spec.site}: could not describe the error: ${describeThrown(problem)}`));
  }
}
