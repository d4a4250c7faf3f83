import { AsyncLocalStorage } from 'node:async_hooks';
import { jest } from '@jest/globals';
import { DeliveryScope } from '../../lib/context/delivery-scope.js';
import type { AnalyticsTransport } from '../../lib/transports/transport.interface.js';

describe('DeliveryScope', () => {
  /** A transport that reports, from inside its send and after an await, whether the scope is active. */
  function probe(scope: DeliveryScope): { transport: AnalyticsTransport; seen: boolean[] } {
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
      const scope = new DeliveryScope();
      const { transport, seen } = probe(scope);
      await scope.around(transport).send([], new AbortController().signal);
      expect(seen).toEqual([false, false]);
      expect(run).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
    }
  });

  it('marks a send and its continuations once watched, and nothing outside them', async () => {
    const scope = new DeliveryScope();
    scope.watch();
    const { transport, seen } = probe(scope);
    await scope.around(transport).send([], new AbortController().signal);
    expect(seen).toEqual([true, true]);
    expect(scope.active).toBe(false);
  });
});
