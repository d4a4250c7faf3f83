import 'reflect-metadata';
import { firstValueFrom, lastValueFrom, Observable, of, throwError, timer, map } from 'rxjs';
import { TrackEvent } from '../../lib/decorators/track-event.decorator.js';
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

  it('hands the caller the same Promise object (no wrapping promise in front of it)', async () => {
    const inner = Promise.resolve(42);
    class Passthrough {
      @TrackEvent('Passthrough')
      get(): Promise<number> {
        return inner;
      }
    }
    const p = h.bind(new Passthrough());
    expect(p.get()).toBe(inner);
    await inner;
    expect(only(await h.events()).properties.success).toBe(true);
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

  it('records nothing for a subscription that is cancelled before it completes', async () => {
    const subscription = jobs.stream([9], 50).subscribe();
    subscription.unsubscribe();
    await new Promise((r) => setTimeout(r, 60));
    expect(await h.events()).toEqual([]);
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
