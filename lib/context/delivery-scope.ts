import { AsyncLocalStorage } from 'node:async_hooks';
import type { AnalyticsTransport } from '../transports/transport.interface.js';

/**
 * Marks the work of the instance's own deliveries, whatever the destination. Outbound HTTP
 * instrumentation skips requests made inside it: a custom destination that calls `fetch` would
 * otherwise record an `External API Call` per delivery, deliver that event, and so on for ever.
 */
export class DeliveryScope {
  private readonly storage = new AsyncLocalStorage<true>();
  /**
   * Only while something asks: the first `run` of any AsyncLocalStorage turns on Node's promise
   * hooks for the whole process, a cost an app without request tracking would pay on every promise.
   */
  private watched = false;

  /** From now on, sends run inside the scope (outbound HTTP instrumentation started). */
  watch(): void {
    this.watched = true;
  }

  get active(): boolean {
    return this.watched && this.storage.getStore() === true;
  }

  /** The transport with each send run inside the scope when watched (its retries and continuations included). */
  around(transport: AnalyticsTransport): AnalyticsTransport {
    return {
      send: (batch, signal) => {
        const send = () => transport.send(batch, signal);
        return this.watched ? this.storage.run(true, send) : send();
      },
      close: transport.close && (() => transport.close!()),
    };
  }
}
