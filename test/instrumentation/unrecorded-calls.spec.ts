import { AsyncLocalStorage } from 'node:async_hooks';
import { jest } from '@jest/globals';
import { UnrecordedCalls } from '../../lib/context/unrecorded-calls.js';
import type { AnalyticsTransport } from '../../lib/transports/transport.interface.js';

describe('UnrecordedCalls', () => {
  /** A transport that reports, from inside its send and after an await, whether the scope is active. */
  function probe(scope: UnrecordedCalls): { transport: AnalyticsTransport; seen: boolean[] } {
    const seen: boolean[] = [];
    const transport: AnalyticsTransport = {
      send: async () => {
        seen.push(scope.active);
        await new Promise((r) => setTimeout(r, 1));
        seen.push(scope.active);
      },
    };
    return { transport, seen };
  }

  it('runs sends outside any AsyncLocalStorage until watched (an unwatched run would turn on promise hooks for the process)', async () => {
    const run = jest.spyOn(AsyncLocalStorage.prototype, 'run');
    try {
      const scope = new UnrecordedCalls();
      const { transport, seen } = probe(scope);
      await scope.around(transport).send([], new AbortController().signal);
      expect(seen).toEqual([false, false]);
      expect(run).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
    }
  });

  it('marks a send and its continuations once watched, and nothing outside them', async () => {
    const scope = new UnrecordedCalls();
    scope.watch();
    const { transport, seen } = probe(scope);
    await scope.around(transport).send([], new AbortController().signal);
    expect(seen).toEqual([true, true]);
    expect(scope.active).toBe(false);
  });

  it('marks the work run() starts, its continuations included, once watched; before that runs it as it is', async () => {
    const scope = new UnrecordedCalls();
    const seen: boolean[] = [];
    const work = async () => {
      seen.push(scope.active);
      await new Promise((r) => setTimeout(r, 1));
      seen.push(scope.active);
      return 'done';
    };
    expect(await scope.run(work)).toBe('done');
    scope.watch();
    expect(await scope.run(work)).toBe('done');
    expect(seen).toEqual([false, false, true, true]);
    expect(scope.active).toBe(false);
    const failing = () =>
      scope.run(() => {
        throw new Error('thrown as is');
      });
    expect(failing).toThrow('thrown as is');
  });
});
