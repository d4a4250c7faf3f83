import type { AnalyticsCore } from '../analytics-core.js';
import { backendErrorEvent } from '../events/event-builders.js';

/**
 * Records the error that reached no handler as a `Backend Error` (`error_source: 'process'`, and
 * `error_origin`: `uncaught_exception`, or `unhandled_rejection` for a rejection Node raises as an
 * uncaught exception). It listens on `uncaughtExceptionMonitor`, which observes without handling:
 * the process crashes, prints and exits exactly as it would without the library. The event carries
 * the request id when the error was thrown while serving a request. When the process goes on (the
 * app has its own `uncaughtException` handler), the event is delivered as any other; when it ends,
 * the core's exit report counts it with the rest of the queue, and a spool keeps it for the next
 * start, where it is sent first.
 */
export class UncaughtErrorRecorder {
  private listening = false;

  constructor(private readonly core: AnalyticsCore) {}

  start(): void {
    if (this.listening) return;
    this.listening = true;
    process.on('uncaughtExceptionMonitor', this.record);
  }

  stop(): void {
    this.listening = false;
    process.off('uncaughtExceptionMonitor', this.record);
  }

  private readonly record = (error: unknown, origin: NodeJS.UncaughtExceptionOrigin): void => {
    try {
      const errorOrigin = origin === 'unhandledRejection' ? 'unhandled_rejection' : 'uncaught_exception';
      this.core.recordKind(backendErrorEvent({ source: 'process', error }, { error_origin: errorOrigin }));
    } catch {
      // A monitor that throws would crash the process on the library's error instead of the app's.
    }
  };
}
