import { AsyncLocalStorage } from 'node:async_hooks';
import type { AnalyticsTransport } from '../transports/transport.interface.js';

/**
 * Marks the work of the instance's own deliveries, whatever the destination. Outbound HTTP
 * instrumentation skips requests made inside it: a custom destination that calls `fetch` would
 * otherwise record an `External API Call` per delivery, deliver that event, and so on for ever.
 */
export class DeliveryScope {
  private readonly storage = new AsyncLocalStorage<true>();

  get active(): boolean {
    return this.storage.getStore() === true;
  }

  /** The transport with each send run inside the scope (its retries and continuations included). */
  around(transport: AnalyticsTransport): AnalyticsTransport {
    return {
      send: (batch, signal) => this.storage.run(true, () => transport.send(batch, signal)),
      close: transport.close && (() => transport.close!()),
    };
  }
}
