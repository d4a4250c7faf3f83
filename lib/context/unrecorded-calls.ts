import { AsyncLocalStorage } from 'node:async_hooks';
import type { AnalyticsTransport } from '../transports/transport.interface.js';

/**
 * Marks work whose outbound HTTP calls `outboundHttp` must not record: the instance's own
 * deliveries, whatever the destination (a custom destination that calls `fetch` would otherwise
 * record an `External API Call` per delivery, deliver that event, and so on for ever), and the body
 * of a `@TrackExternalApi` method, whose call its decorator already records under the name it gives.
 */
export class UnrecordedCalls {
  private readonly storage = new AsyncLocalStorage<true>();
  /**
   * Only while something asks: the first `run` of any AsyncLocalStorage turns on Node's promise
   * hooks for the whole process, a cost an app without request tracking would pay on every promise.
   */
  private watched = false;

  /** From now on, marked work runs inside the scope (outbound HTTP instrumentation started). */
  watch(): void {
    this.watched = true;
  }

  get active(): boolean {
    return this.watched && this.storage.getStore() === true;
  }

  /** `work()`, with what it starts (continuations included) inside the scope when watched. */
  run<T>(work: () => T): T {
    return this.watched ? this.storage.run(true, work) : work();
  }

  /** The transport with each send run inside the scope (its retries and continuations included). */
  around(transport: AnalyticsTransport): AnalyticsTransport {
    return {
      send: (batch, signal) => this.run(() => transport.send(batch, signal)),
      close: transport.close && (() => transport.close!()),
    };
  }
}
