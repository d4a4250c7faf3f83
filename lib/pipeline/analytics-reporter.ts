import { EventEmitter } from 'node:events';
import type { LoggerService } from '@nestjs/common';
import { describeThrown } from '../options/describe-thrown.js';
import type { AnalyticsStats, DropReason, DroppedInfo, SentInfo } from './analytics-stats.interface.js';

export interface AnalyticsEventMap {
  error: [Error];
  dropped: [DroppedInfo];
  sent: [SentInfo];
}

const LOG_INTERVAL_MS = 10_000;
const MAX_DISTINCT_ERRORS = 20;

/**
 * Counts everything the pipeline does and announces it: on the `error`/`dropped`/`sent`
 * listeners, and, so that no loss is ever silent, as a rate-limited warning in the log when
 * nobody listens. A listener that throws is isolated from the pipeline.
 */
export class AnalyticsReporter {
  private readonly emitter = new EventEmitter();
  private readonly counters: Omit<AnalyticsStats, 'queued' | 'queuedBytes' | 'inFlight' | 'health'> = {
    sent: 0,
    batches: 0,
    failed: 0,
    retried: 0,
    dropped: {},
    warnings: {},
  };
  private readonly lastLogged = new Map<string, number>();
  private readonly reportedErrors = new Set<string>();
  /** The retry warning was logged since the last successful delivery. */
  private retryLogged = false;

  /**
   * `clean` runs over every text the reporter logs, keeps or hands on: failure details come from
   * destinations and servers, which may repeat the write key or a payload they refused.
   */
  constructor(
    private readonly logger: LoggerService | undefined,
    private readonly debug: boolean,
    private readonly clean: (text: string) => string = (text) => text,
  ) {
    this.emitter.setMaxListeners(0);
  }

  on<K extends keyof AnalyticsEventMap>(event: K, listener: (...args: AnalyticsEventMap[K]) => void): void {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
  }

  off<K extends keyof AnalyticsEventMap>(event: K, listener: (...args: AnalyticsEventMap[K]) => void): void {
    this.emitter.off(event, listener as (...args: unknown[]) => void);
  }

  sent(messageIds: readonly string[]): void {
    this.counters.sent += messageIds.length;
    this.counters.batches++;
    this.counters.lastSuccessAt = new Date().toISOString();
    this.counters.failingSince = undefined;
    this.retryLogged = false;
    this.reportedErrors.clear();
    if (this.debug) this.logger?.debug?.(`delivered ${messageIds.length} event(s)`);
    if (this.emitter.listenerCount('sent') > 0) this.emit('sent', { count: messageIds.length, messageIds });
  }

  dropped(reason: DropReason, messageIds: readonly string[], rawDetail?: string): void {
    this.count(reason, messageIds.length, messageIds, rawDetail);
  }

  /** Events lost whose ids cannot be known any more (they were only in a spool file that is gone). */
  droppedUnidentified(reason: DropReason, count: number, rawDetail?: string): void {
    this.count(reason, count, [], rawDetail);
  }

  private count(reason: DropReason, count: number, messageIds: readonly string[], rawDetail?: string): void {
    if (count === 0) return;
    this.counters.dropped[reason] = (this.counters.dropped[reason] ?? 0) + count;
    const detail = rawDetail === undefined ? undefined : this.clean(rawDetail);
    const info: DroppedInfo = { reason, count, messageIds, detail };
    if (this.emitter.listenerCount('dropped') > 0) this.emit('dropped', info);
    else this.logRateLimited(`dropped:${reason}`, () =>
      `dropped ${count} event(s): ${reason}${detail ? ` (${detail})` : ''}; ${this.counters.dropped[reason]} dropped for this reason so far`);
  }

  failedAttempt(error: Error, retrying: boolean): void {
    this.counters.failed++;
    this.counters.lastError = this.clean(String(error.message));
    this.counters.failingSince ??= new Date().toISOString();
    if (retrying) this.counters.retried++;
    // Otherwise an unreachable destination says nothing until its events are dropped, a minute later.
    if (retrying && !this.retryLogged) {
      this.retryLogged = true;
      this.logRateLimited('retrying', () => `delivery failed, retrying: ${this.counters.lastError} (retries are not logged again until a delivery succeeds)`);
    }
    if (this.debug) this.logger?.debug?.(`delivery failed${retrying ? ', will retry' : ''}: ${this.counters.lastError}`);
  }

  warn(kind: string, message: string): void {
    this.counters.warnings[kind] = (this.counters.warnings[kind] ?? 0) + 1;
    this.logRateLimited(`warn:${kind}`, () => this.clean(message));
  }

  /**
   * Reports an error once until the next successful delivery, so a 401 storm is one message. Past
   * `MAX_DISTINCT_ERRORS` different messages (a server quoting a request id in each answer), the
   * log gets one line per interval and nothing more is remembered.
   */
  error(error: Error): void {
    const raw = String(error.message);
    if (this.reportedErrors.has(raw)) return;
    const distinct = this.reportedErrors.size < MAX_DISTINCT_ERRORS;
    if (distinct) this.reportedErrors.add(raw);
    const message = this.clean(raw);
    if (this.emitter.listenerCount('error') > 0) this.emit('error', withMessage(error, message));
    else if (distinct) this.logger?.error(message);
    else this.logRateLimited('error', () => `${message} (and more errors; one line per ${LOG_INTERVAL_MS / 1000} s)`, 'error');
  }

  snapshot(): Omit<AnalyticsStats, 'queued' | 'queuedBytes' | 'inFlight' | 'health'> {
    return { ...this.counters, dropped: { ...this.counters.dropped }, warnings: { ...this.counters.warnings } };
  }

  private emit<K extends keyof AnalyticsEventMap>(event: K, ...args: AnalyticsEventMap[K]): void {
    try {
      this.emitter.emit(event, ...args);
    } catch (listenerError) {
      this.logger?.error(this.clean(`a '${event}' listener threw: ${describeThrown(listenerError)}`));
    }
  }

  private logRateLimited(key: string, message: () => string, level: 'warn' | 'error' = 'warn'): void {
    const now = Date.now();
    const last = this.lastLogged.get(key);
    if (last !== undefined && now - last < LOG_INTERVAL_MS) return;
    this.lastLogged.set(key, now);
    this.logger?.[level](message());
  }
}

/**
 * The error itself when its message is clean, else a copy (same prototype and fields) whose message
 * and stack say the cleaned text: listeners usually log what they get.
 */
function withMessage(error: Error, message: string): Error {
  if (message === error.message) return error;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(error) as object) as Error, error);
  Object.defineProperty(copy, 'message', { value: message, writable: true, configurable: true });
  Object.defineProperty(copy, 'stack', { value: `${String(error.name)}: ${message}`, writable: true, configurable: true });
  return copy;
}
