import type { AnalyticsCore } from '../analytics-core.js';
import { backendErrorEvent } from '../events/event-builders.js';

type ErrorOrigin = 'uncaught_exception' | 'unhandled_rejection';

/**
 * Marks the `unhandledRejection` listeners of recorders (of every analytics instance, and of every
 * copy of the library loaded), which are not the app's: counted as the app's, two instances
 * would keep each other listening after the app's last listener left.
 */
const RECORDER_LISTENER = Symbol.for('nestjs-jitsu-analytics.uncaught-error-recorder');

const isRecorderListener = (listener: unknown): boolean => typeof listener === 'function' && RECORDER_LISTENER in listener;

/**
 * Records the error that reached no handler as a `Backend Error` (`error_source: 'process'`, and
 * `error_origin`: `uncaught_exception` or `unhandled_rejection`), without changing what the
 * process does about it:
 * - `uncaughtExceptionMonitor` observes without handling: an uncaught exception, or a rejection
 *   Node raises as one (its default when nothing listens for `unhandledRejection`), crashes,
 *   prints and exits exactly as it would without the library.
 * - A rejection the app takes with its own `unhandledRejection` listener (a logger, an error
 *   reporter) does not crash the process, and never reaches the monitor. So while the app has
 *   such a listener, this one listens beside it; it leaves as soon as the app's last one does,
 *   because a listener of its own alone would stop Node from crashing on the next rejection.
 * The event carries the request id when the error was thrown while serving a request. When the
 * process ends, the core's exit report counts it with the rest of the queue, and a spool keeps it
 * for the next start, where it is sent first.
 */
export class UncaughtErrorRecorder {
  private listening = false;
  private onRejections = false;
  /** Under `--unhandled-rejections=strict` one rejection can reach both listeners. */
  private readonly recorded = new WeakSet<object>();

  constructor(private readonly core: AnalyticsCore) {}

  start(): void {
    if (this.listening) return;
    this.listening = true;
    process.on('uncaughtExceptionMonitor', this.onMonitor);
    process.on('newListener', this.onListenerAdded);
    process.on('removeListener', this.onListenerRemoved);
    this.followAppRejectionListeners(0);
  }

  stop(): void {
    this.listening = false;
    process.off('uncaughtExceptionMonitor', this.onMonitor);
    process.off('newListener', this.onListenerAdded);
    process.off('removeListener', this.onListenerRemoved);
    this.setRejectionListener(false);
  }

  /** `added`: a listener about to be added, which `newListener` announces before it is there. */
  private followAppRejectionListeners(added: number): void {
    const appListeners = process.listeners('unhandledRejection').filter((listener) => !isRecorderListener(listener)).length;
    this.setRejectionListener(appListeners + added > 0);
  }

  private setRejectionListener(on: boolean): void {
    if (on === this.onRejections) return;
    // Set first: adding or removing it announces itself to onListenerAdded/onListenerRemoved.
    this.onRejections = on;
    if (on) process.on('unhandledRejection', this.onRejection);
    else process.off('unhandledRejection', this.onRejection);
  }

  private readonly onListenerAdded = (event: string | symbol, listener: unknown): void => {
    if (event === 'unhandledRejection' && !isRecorderListener(listener)) this.followAppRejectionListeners(1);
  };

  private readonly onListenerRemoved = (event: string | symbol, listener: unknown): void => {
    if (event === 'unhandledRejection' && !isRecorderListener(listener)) this.followAppRejectionListeners(0);
  };

  private readonly onMonitor = (error: unknown, origin: NodeJS.UncaughtExceptionOrigin): void => {
    this.record(error, origin === 'unhandledRejection' ? 'unhandled_rejection' : 'uncaught_exception');
  };

  private readonly onRejection = Object.assign((reason: unknown): void => this.record(reason, 'unhandled_rejection'), { [RECORDER_LISTENER]: true });

  private record(error: unknown, origin: ErrorOrigin): void {
    try {
      if (typeof error === 'object' && error !== null) {
        if (this.recorded.has(error)) return;
        this.recorded.add(error);
      }
      this.core.recordKind(backendErrorEvent({ source: 'process', error }, { error_origin: origin }));
    } catch {
      // A listener that throws would crash the process on the library's error instead of the app's.
    }
  }
}
