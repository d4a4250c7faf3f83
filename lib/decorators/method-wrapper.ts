import { isObservable, Observable } from 'rxjs';
import type { AnalyticsCore } from '../analytics-core.js';
import { backendErrorEvent } from '../events/event-builders.js';
import { describeThrown } from '../options/describe-thrown.js';
import { scrubString } from '../privacy/scrub-string.js';
import { ExtractorFailure } from './decorator-arguments.js';
import { errorStatus } from './default-extractors.js';
import { boundCore } from './instance-binding.js';
import type { TrackedMethodSpec } from './tracked-method-spec.interface.js';

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Wraps a method so each call records one event, timed to the end of the work: a synchronous
 * method stays synchronous; a native Promise is timed to settlement and returned as is (the same
 * object: a handler is attached beside the caller's, never in front of it — which also means a
 * rejection the caller never handles is recorded as a failure instead of surfacing as
 * `unhandledRejection`); an Observable is timed per subscription, from subscribe to complete or
 * error, so one nobody subscribes to records nothing (this needs a new Observable in front of
 * the method's, the one case where the caller does not get the very object returned). Other
 * thenables (lazy query builders) are returned untouched and recorded at return, since calling
 * their `then` could run them a second time.
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
      let result: unknown;
      try {
        result = original.apply(this, args);
      } catch (error) {
        settle(core, spec, this, args, undefined, error, started, true);
        throw error;
      }
      const kind = resultKind(result);
      const watched =
        kind === 'promise' &&
        watchPromise(
          result as Promise<unknown>,
          (value) => settle(core, spec, this, args, value, undefined, started, false),
          (error) => settle(core, spec, this, args, undefined, error, started, true),
        );
      if (watched) return result;
      if (kind === 'observable') return timedObservable(result as Observable<unknown>, core, spec, this, args);
      settle(core, spec, this, args, result, undefined, started, false);
      return result;
    },
  }.tracked;
  return tracked;
}

const nativeThen = Promise.prototype.then;

/**
 * Attaches through the native `then`, not the object's own, which may be overridden (and throw).
 * False when that fails (not a real Promise, a hostile species): the call is then recorded at return.
 */
function watchPromise(promise: Promise<unknown>, onValue: (value: unknown) => void, onError: (error: unknown) => void): boolean {
  try {
    nativeThen.call(promise, onValue, onError);
    return true;
  } catch {
    return false;
  }
}

/** A proxy's traps run on `instanceof` and on reads: one that throws is an ordinary value here. */
function resultKind(result: unknown): 'promise' | 'observable' | 'other' {
  try {
    if (result instanceof Promise) return 'promise';
    return isObservable(result) ? 'observable' : 'other';
  } catch {
    return 'other';
  }
}

function timedObservable(
  source: Observable<unknown>,
  core: AnalyticsCore,
  spec: TrackedMethodSpec,
  instance: unknown,
  args: unknown[],
): Observable<unknown> {
  return new Observable<unknown>((subscriber) => {
    const started = performance.now();
    let last: unknown;
    return source.subscribe({
      next(value) {
        last = value;
        subscriber.next(value);
      },
      error(error: unknown) {
        settle(core, spec, instance, args, undefined, error, started, true);
        subscriber.error(error);
      },
      complete() {
        settle(core, spec, instance, args, last, undefined, started, false);
        subscriber.complete();
      },
    });
  });
}

/** Records the call's event (and a `Backend Error` when it failed). Never throws. */
function settle(
  core: AnalyticsCore,
  spec: TrackedMethodSpec,
  instance: unknown,
  args: unknown[],
  result: unknown,
  error: unknown,
  started: number,
  failed: boolean,
): void {
  const durationMs = performance.now() - started;
  try {
    spec.record(core, { args, result, error, instance }, durationMs, failed);
  } catch (problem) {
    const extractor = isExtractorFailure(problem);
    const why = extractor ? problem.message : `could not build the event: ${describeThrown(problem)}`;
    core.reporter.dropped(extractor ? 'extractor_failed' : 'invalid_event', ['(unassigned)'], scrubString(`@${spec.decorator}() on ${spec.site}: ${why}`));
  }
  if (failed) recordBackendError(core, spec, error);
}

function recordBackendError(core: AnalyticsCore, spec: TrackedMethodSpec, error: unknown): void {
  try {
    core.recordKind(backendErrorEvent({ source: spec.errorSource, error, statusCode: errorStatus(error) }));
  } catch (problem) {
    core.reporter.dropped('invalid_event', ['(unassigned)'], scrubString(`@${spec.decorator}() on ${spec.site}: could not describe the error: ${describeThrown(problem)}`));
  }
}

/**
 * What was thrown while recording may be anything a caller's getter threw, even a revoked proxy
 * that throws on `instanceof` and on every read: reporting it must not throw in turn, or the
 * failure would reach the decorated method's caller.
 */
function isExtractorFailure(problem: unknown): problem is ExtractorFailure {
  try {
    return problem instanceof ExtractorFailure;
  } catch {
    return false;
  }
}
