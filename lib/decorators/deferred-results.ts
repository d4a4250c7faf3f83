import { Observable, type Subscription } from 'rxjs';

/**
 * How a call whose work outlives the method's return ended: with a value, with an error, or
 * stopped by its consumer (an unsubscribe, a `break` out of a loop) after taking `value`, if any.
 */
export interface DeferredOutcome {
  readonly value?: unknown;
  readonly error?: unknown;
  readonly failed: boolean;
  /** Stopped by the consumer: not the work's failure, so no `Backend Error` whatever `failed` says. */
  readonly stopped?: boolean;
}

export type Finish = (outcome: DeferredOutcome) => void;

/** Once, whichever way the work ends first. */
function once(finish: Finish): Finish {
  let done = false;
  return (outcome) => {
    if (done) return;
    done = true;
    finish(outcome);
  };
}

/**
 * Times each subscription from subscribe to complete or error. A consumer that unsubscribes first
 * (`firstValueFrom`, `take(1)`, a client leaving an SSE stream) ends it too: a success when it got
 * a value, else a call that did not succeed (nothing came back) but is not an error of the work.
 * `around`, when given, runs the subscription to the source (where a lazy source starts its work).
 */
export function timedObservable(source: Observable<unknown>, begin: () => Finish, around?: (subscribe: () => Subscription) => Subscription): Observable<unknown> {
  return new Observable<unknown>((subscriber) => {
    const finish = once(begin());
    let last: unknown;
    let emitted = false;
    const subscribe = () =>
      source.subscribe({
        next(value) {
          last = value;
          emitted = true;
          subscriber.next(value);
        },
        error(error: unknown) {
          finish({ error, failed: true });
          subscriber.error(error);
        },
        complete() {
          finish({ value: last, failed: false });
          subscriber.complete();
        },
      });
    const subscription = around ? around(subscribe) : subscribe();
    return () => {
      finish({ value: last, failed: !emitted, stopped: true });
      subscription.unsubscribe();
    };
  });
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/** Native generator objects (sync or async), told by their built-in tag rather than by duck typing. */
export function generatorKind(result: unknown): 'sync' | 'async' | undefined {
  const tag = Object.prototype.toString.call(result);
  return tag === '[object Generator]' ? 'sync' : tag === '[object AsyncGenerator]' ? 'async' : undefined;
}

/**
 * A generator's work runs as it is iterated, so the call ends when it is done, throws, or is
 * closed by its consumer (`break`, `return()`). The caller gets an iterator with the same
 * protocol in front of the generator.
 */
export function timedGenerator(generator: AnyIterator, kind: 'sync' | 'async', finish: Finish): AnyIterator {
  const end = once(finish);
  let last: unknown;
  const settle = (step: IteratorResult<unknown>, closing: boolean): IteratorResult<unknown> => {
    if (step.done) end({ value: closing ? last : step.value, failed: false, stopped: closing });
    else last = step.value;
    return step;
  };
  const fail = (error: unknown): never => {
    end({ error, failed: true });
    throw error;
  };
  const step = (method: 'next' | 'throw' | 'return', arg: unknown): unknown => {
    const closing = method === 'return';
    let result: unknown;
    try {
      result = (generator[method] as (value: unknown) => unknown).call(generator, arg);
    } catch (error) {
      return fail(error);
    }
    if (kind === 'sync') return settle(result as IteratorResult<unknown>, closing);
    return (result as Promise<IteratorResult<unknown>>).then((s) => settle(s, closing), fail);
  };
  const wrapper = {
    next: (value?: unknown) => step('next', value),
    throw: (error?: unknown) => step('throw', error),
    return: (value?: unknown) => step('return', value),
    [kind === 'sync' ? Symbol.iterator : Symbol.asyncIterator]() {
      return wrapper;
    },
  };
  return wrapper as AnyIterator;
}
