import 'reflect-metadata';
import { BehaviorSubject, firstValueFrom, interval, lastValueFrom, Observable, of, throwError, timer } from 'rxjs';
import { map, take } from 'rxjs/operators';
import { compileSources } from '../support/compile-sources.js';
import { runScript } from '../support/run-script.js';
import { TrackEvent } from '../../lib/decorators/track-event.decorator.js';
import { TrackExternalApi } from '../../lib/decorators/track-external-api.decorator.js';
import { COMMON, decoratorHarness, only, type DecoratorHarness } from './support/decorator-harness.js';

class Jobs {
  calls = 0;

  @TrackEvent('Job Run')
  runSync(a: number, b: number): number {
    this.calls++;
    return a + b;
  }

  @TrackEvent('Job Run')
  async runAsync(value: { id: number }): Promise<{ id: number }> {
    await new Promise((r) => setTimeout(r, 15));
    return value;
  }

  @TrackEvent('Job Run')
  fail(error: unknown): never {
    throw error;
  }

  @TrackEvent('Job Run')
  async failAsync(error: unknown): Promise<never> {
    await Promise.resolve();
    throw error;
  }

  @TrackEvent('Job Run')
  stream(values: number[], delayMs = 0): Observable<number> {
    this.calls++;
    return delayMs > 0 ? timer(delayMs).pipe(map(() => values[values.length - 1]!)) : of(...values);
  }

  @TrackEvent('Job Run')
  ticks(count: number, everyMs: number): Observable<number> {
    return interval(everyMs).pipe(take(count));
  }

  @TrackEvent('Job Run')
  *numbers(count: number, failAt?: Error): Generator<number> {
    for (let i = 0; i < count; i++) {
      if (failAt && i === 1) throw failAt;
      yield i;
    }
  }

  @TrackEvent('Job Run')
  async *pages(count: number, delayMs: number): AsyncGenerator<number> {
    for (let i = 0; i < count; i++) {
      await new Promise((r) => setTimeout(r, delayMs));
      yield i;
    }
  }

  @TrackEvent('Job Run')
  failingStream(error: unknown): Observable<never> {
    return throwError(() => error);
  }

  @TrackEvent('Job Run')
  lazyQuery(): { then: (resolve: (v: string) => void) => void; runs: number } {
    const query = {
      runs: 0,
      then(resolve: (v: string) => void) {
        query.runs++;
        resolve('rows');
      },
    };
    return query;
  }
}

const RUN_OK = { ...COMMON, event_action: 'custom', duration_ms: expect.any(Number), success: true };
const RUN_FAILED = { ...RUN_OK, success: false };

describe('the method wrapper', () => {
  let h: DecoratorHarness;
  let jobs: Jobs;

  beforeEach(() => {
    h = decoratorHarness();
    jobs = h.bind(new Jobs());
  });
  afterEach(() => h.close());

  it('keeps a synchronous method synchronous and records one event with timing and success', async () => {
    const result = jobs.runSync(2, 3);
    expect(result).toBe(5);
    const event = only(await h.events());
    expect(event).toMatchObject({ type: 'track', event: 'Job Run', JITSU_TABLE_NAME: 'custom_events' });
    expect(event.properties).toEqual(RUN_OK);
  });

  it('returns the very Promise the method returned and times it to settlement', async () => {
    const value = { id: 7 };
    const original = Jobs.prototype.runAsync;
    const started = performance.now();
    const promise = jobs.runAsync(value);
    expect(promise).toBeInstanceOf(Promise);
    expect(await promise).toBe(value);
    const elapsed = performance.now() - started;
    const event = only(await h.events());
    expect(event.properties).toEqual(RUN_OK);
    expect(event.properties.duration_ms as number).toBeGreaterThanOrEqual(10);
    expect(event.properties.duration_ms as number).toBeLessThanOrEqual(elapsed + 1);
    expect(original).toBe(jobs.runAsync);
  });

  it('hands a Promise subclass back as is, its own state intact, and times it to settlement', async () => {
    class Progress<T> extends Promise<T> {
      percent = 0;
    }
    // Made inside the call, so its 15 ms all fall within the call, however late the call starts.
    let inner!: Progress<number>;
    class Passthrough {
      @TrackEvent('Passthrough')
      get(): Progress<number> {
        inner = new Progress<number>((resolve) => setTimeout(() => resolve(42), 15));
        inner.percent = 40;
        return inner;
      }
    }
    const returned = h.bind(new Passthrough()).get();
    expect(returned).toBe(inner);
    expect(returned.percent).toBe(40);
    expect(await returned).toBe(42);
    const event = only(await h.events());
    expect(event.properties.success).toBe(true);
    expect(event.properties.duration_ms as number).toBeGreaterThanOrEqual(10);
  });

  // The payment's failure, and the rejection nobody handled, which errors.uncaught records as the process's.
  const EVENTS_OF_UNHANDLED_FAILURE = ['Payment Processing', 'Backend Error (payment)', 'Backend Error (process)'];

  it('lets a rejection nobody handles surface as unhandledRejection, as without the decorator (child process)', async () => {
    const build = await compileSources('test/decorators/fixture/unhandled-rejection-script.ts');
    try {
      const { stdout } = await runScript(build.entry);
      expect(JSON.parse(stdout)).toEqual({ unhandled: true, events: EVENTS_OF_UNHANDLED_FAILURE });
    } finally {
      build.remove();
    }
  });

  // Under Node 20, once an AsyncLocalStorage has run (a request's context), every promise carries async_hooks' own symbols.
  it('lets a rejection nobody handles surface as unhandledRejection when the call is made inside a request (child process)', async () => {
    const build = await compileSources('test/decorators/fixture/unhandled-rejection-script.ts');
    try {
      const { stdout } = await runScript(build.entry, ['inside-request']);
      expect(JSON.parse(stdout)).toEqual({ unhandled: true, events: EVENTS_OF_UNHANDLED_FAILURE });
    } finally {
      build.remove();
    }
  });

  it('re-throws the same error object with its stack untouched, after recording the failure', async () => {
    const error = new RangeError('bad input');
    const stack = error.stack;
    let caught: unknown;
    try {
      jobs.fail(error);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(error);
    expect((caught as Error).stack).toBe(stack);
    const events = await h.events();
    expect(events.map((e) => e.event)).toEqual(['Job Run', 'Backend Error']);
    expect(events[0]!.properties).toEqual(RUN_FAILED);
    expect(events[1]!.JITSU_TABLE_NAME).toBe('backend_error_events');
    expect(events[1]!.properties).toEqual({
      ...COMMON,
      event_action: 'backend_error',
      error_source: 'custom',
      error_name: 'RangeError',
      error_message: 'bad input',
      stack_fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('rejects with the same error object and records the failure once it settles', async () => {
    const error = new Error('async boom');
    const stack = error.stack;
    const promise = jobs.failAsync(error);
    await expect(promise).rejects.toBe(error);
    expect(error.stack).toBe(stack);
    const events = await h.events();
    expect(events.map((e) => [e.event, e.properties.success ?? e.properties.error_source])).toEqual([
      ['Job Run', false],
      ['Backend Error', 'custom'],
    ]);
  });

  it('records one Backend Error for an error passing through nested decorated calls: the innermost, where it was thrown', async () => {
    const error = new Error('card declined');
    class Gateway {
      @TrackEvent('Charge Attempt')
      @TrackExternalApi('stripe', '/v1/charges')
      async charge(): Promise<never> {
        await Promise.resolve();
        throw error;
      }
    }
    const gateway = h.bind(new Gateway());
    class Checkout {
      @TrackEvent('Checkout')
      async run(): Promise<never> {
        return gateway.charge();
      }
    }
    await expect(h.bind(new Checkout()).run()).rejects.toBe(error);
    // A different error object is a different error, even from the same call site.
    await expect(h.bind(new Checkout()).run()).rejects.toBe(error);
    await expect(jobs.failAsync(new Error('card declined'))).rejects.toThrow('card declined');
    const events = await h.events();
    const failed = events.filter((e) => e.event !== 'Backend Error');
    expect(failed.map((e) => [e.event, e.properties.success])).toEqual([
      ['External API Call', false],
      ['Charge Attempt', false],
      ['Checkout', false],
      ['External API Call', false],
      ['Charge Attempt', false],
      ['Checkout', false],
      ['Job Run', false],
    ]);
    expect(events.filter((e) => e.event === 'Backend Error').map((e) => e.properties.error_source)).toEqual(['external_api', 'custom']);
  });

  it('passes thrown non-errors through as they are', async () => {
    const thrown = { code: 'E_ODD' };
    let caught: unknown;
    try {
      jobs.fail(thrown);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(thrown);
    await expect(jobs.failAsync('a string')).rejects.toBe('a string');
    const errors = (await h.events()).filter((e) => e.event === 'Backend Error');
    expect(errors.map((e) => [e.properties.error_name, e.properties.error_message])).toEqual([
      ['object', undefined],
      ['string', 'a string'],
    ]);
  });

  it('times an Observable from subscription to completion, and records nothing when nobody subscribes', async () => {
    const observable = jobs.stream([1, 2, 3], 20);
    expect(jobs.calls).toBe(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(await h.events()).toEqual([]);
    const started = performance.now();
    expect(await lastValueFrom(observable)).toBe(3);
    const elapsed = performance.now() - started;
    const event = only(await h.events());
    expect(event.properties).toEqual(RUN_OK);
    expect(event.properties.duration_ms as number).toBeGreaterThanOrEqual(15);
    expect(event.properties.duration_ms as number).toBeLessThanOrEqual(elapsed + 1);
  });

  it('records one event per subscription and forwards every value', async () => {
    const observable = jobs.stream([1, 2, 3]);
    const seen: number[] = [];
    await new Promise<void>((resolve) => observable.subscribe({ next: (v) => seen.push(v), complete: resolve }));
    expect(await firstValueFrom(observable)).toBe(1);
    expect(seen).toEqual([1, 2, 3]);
    expect((await h.events()).map((e) => e.properties.success)).toEqual([true, true]);
  });

  it('records a failed Observable and forwards the same error', async () => {
    const error = new Error('stream broke');
    await expect(lastValueFrom(jobs.failingStream(error))).rejects.toBe(error);
    const events = await h.events();
    expect(events.map((e) => e.event)).toEqual(['Job Run', 'Backend Error']);
    expect(events[0]!.properties.success).toBe(false);
  });

  it('ends the call when its consumer unsubscribes: a success once a value came, else unsuccessful but no error', async () => {
    // `firstValueFrom` unsubscribes after the first value, as `take(1)` and `@nestjs/axios` callers do.
    expect(await firstValueFrom(jobs.ticks(3, 10))).toBe(0);
    const cancelled = jobs.ticks(3, 50).subscribe();
    await new Promise((r) => setTimeout(r, 20));
    cancelled.unsubscribe();
    const events = await h.events();
    expect(events.map((e) => [e.event, e.properties.success])).toEqual([
      ['Job Run', true],
      ['Job Run', false],
    ]);
    expect(events[1]!.properties.duration_ms as number).toBeGreaterThanOrEqual(15);
  });

  it('returns a Subject as is (the caller feeds it) and records the call at return', async () => {
    const state = new BehaviorSubject(5);
    class Store {
      @TrackEvent('Store Read')
      state(): BehaviorSubject<number> {
        return state;
      }
    }
    const returned = h.bind(new Store()).state();
    expect(returned).toBe(state);
    expect(returned.getValue()).toBe(5);
    expect(only(await h.events()).properties.success).toBe(true);
  });

  it('times a generator as it is iterated, to its end, and records a failure thrown during iteration', () => {
    expect([...jobs.numbers(3)]).toEqual([0, 1, 2]);
    const error = new Error('page 2 failed');
    const failing = jobs.numbers(3, error);
    expect(failing.next().value).toBe(0);
    expect(() => failing.next()).toThrow(error);
    return h.events().then((events) => {
      expect(events.map((e) => [e.event, e.properties.success ?? e.properties.error_message])).toEqual([
        ['Job Run', true],
        ['Job Run', false],
        ['Backend Error', 'page 2 failed'],
      ]);
    });
  });

  it('times an async generator to its end, and ends the call without an error when the consumer breaks out', async () => {
    const started = performance.now();
    const pages: number[] = [];
    for await (const page of jobs.pages(3, 10)) pages.push(page);
    const elapsed = performance.now() - started;
    for await (const page of jobs.pages(3, 10)) if (page === 0) break;
    expect(pages).toEqual([0, 1, 2]);
    const events = await h.events();
    expect(events.map((e) => [e.event, e.properties.success])).toEqual([
      ['Job Run', true],
      ['Job Run', true],
    ]);
    expect(events[0]!.properties.duration_ms as number).toBeGreaterThanOrEqual(25);
    expect(events[0]!.properties.duration_ms as number).toBeLessThanOrEqual(elapsed + 1);
  });

  it('hands a plain Promise\'s value and error to the caller through the promise it returns', async () => {
    // An `async` method's promise comes from another realm under Jest: a plain `Promise` takes the path a native one does in Node.
    const value = { id: 1 };
    const error = new Error('declined');
    class Plain {
      @TrackEvent('Plain Call')
      resolve(): Promise<{ id: number }> {
        return new Promise((done) => setTimeout(() => done(value), 5));
      }

      @TrackEvent('Plain Call')
      reject(): Promise<never> {
        return new Promise((_, fail) => setTimeout(() => fail(error), 5));
      }
    }
    const plain = h.bind(new Plain());
    expect(Object.getPrototypeOf(plain.resolve())).toBe(Promise.prototype);
    expect(await plain.resolve()).toBe(value);
    await expect(plain.reject()).rejects.toBe(error);
    const events = await h.events();
    expect(events.map((e) => [e.event, e.properties.success ?? e.properties.error_message])).toEqual([
      ['Plain Call', true],
      ['Plain Call', true],
      ['Plain Call', false],
      ['Backend Error', 'declined'],
    ]);
  });

  it('hands a Promise carrying one own property back as is, that property intact', async () => {
    const cancellable = Object.assign(Promise.resolve(3), { cancel: () => 'cancelled' });
    class Requests {
      @TrackEvent('Request Sent')
      send(): typeof cancellable {
        return cancellable;
      }
    }
    const returned = h.bind(new Requests()).send();
    expect(returned).toBe(cancellable);
    expect(returned.cancel()).toBe('cancelled');
    expect(await returned).toBe(3);
    expect(only(await h.events()).properties.success).toBe(true);
  });

  it('records a failure thrown while an async generator is iterated, and rejects with the same error', async () => {
    const error = new Error('page 2 failed');
    class Pager {
      @TrackEvent('Job Run')
      async *pages(): AsyncGenerator<number> {
        yield 1;
        await Promise.resolve();
        throw error;
      }
    }
    const pages: number[] = [];
    await expect(
      (async () => {
        for await (const page of h.bind(new Pager()).pages()) pages.push(page);
      })(),
    ).rejects.toBe(error);
    expect(pages).toEqual([1]);
    const events = await h.events();
    expect(events.map((e) => [e.event, e.properties.success ?? e.properties.error_message])).toEqual([
      ['Job Run', false],
      ['Backend Error', 'page 2 failed'],
    ]);
  });

  it('gives a generator the consumer closed early the last value it yielded as its result', async () => {
    class Feed {
      @TrackEvent('Feed Read', { properties: ({ result }) => ({ last: result }) })
      *items(): Generator<string> {
        yield 'a';
        yield 'b';
        yield 'c';
      }
    }
    for (const item of h.bind(new Feed()).items()) if (item === 'b') break;
    const event = only(await h.events());
    expect(event.properties).toMatchObject({ success: true, last: 'b' });
  });

  it('leaves other thenables alone: they are not run by the wrapper and are recorded at return', async () => {
    const query = jobs.lazyQuery();
    expect(query.runs).toBe(0);
    expect(await query).toBe('rows');
    expect(query.runs).toBe(1);
    expect(only(await h.events()).properties.success).toBe(true);
  });

  it('runs untracked, at full behaviour, on an instance nothing bound', async () => {
    const unbound = new Jobs();
    expect(unbound.runSync(1, 1)).toBe(2);
    const error = new Error('x');
    expect(() => unbound.fail(error)).toThrow(error);
    expect(await lastValueFrom(unbound.stream([4]))).toBe(4);
    expect(await h.events()).toEqual([]);
  });

  it('runs untracked when detached from its instance', async () => {
    const detached = jobs.fail;
    const error = new Error('detached');
    expect(() => detached.call(undefined, error)).toThrow(error);
    expect(await h.events()).toEqual([]);
  });

  it('runs untracked when analytics is disabled', async () => {
    const off = decoratorHarness({ enabled: false });
    const offJobs = off.bind(new Jobs());
    expect(offJobs.runSync(1, 2)).toBe(3);
    // No extractor runs (it is user code, and may be costly) and a promise is handed back as is.
    let extracted = 0;
    const extractor = () => ({ run: ++extracted });
    const promise = Promise.resolve('done');
    class Quiet {
      @TrackEvent('Quiet', { properties: extractor })
      run(): Promise<string> {
        return promise;
      }
    }
    expect(off.bind(new Quiet()).run()).toBe(promise);
    expect(extracted).toBe(0);
    expect(await off.events()).toEqual([]);
    await off.close();
  });

  it('keeps the binding off enumeration, JSON and spreads', () => {
    expect(Object.keys(jobs)).toEqual(['calls']);
    expect(JSON.stringify(jobs)).toBe('{"calls":0}');
    expect(Object.getOwnPropertySymbols({ ...jobs })).toEqual([]);
  });

  it('records inside the caller\'s request context, so concurrent requests keep their own id and user', async () => {
    const context = h.analytics.core.requestContext;
    await Promise.all(
      ['r1', 'r2', 'r3'].map((requestId, i) => context.run({ requestId, userId: `u${i + 1}` }, () => jobs.runAsync({ id: i }))),
    );
    const events = await h.events();
    expect(events.map((e) => [e.properties.request_id, e.userId]).sort()).toEqual([
      ['r1', 'u1'],
      ['r2', 'u2'],
      ['r3', 'u3'],
    ]);
  });
});
