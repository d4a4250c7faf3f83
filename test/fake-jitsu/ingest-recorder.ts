import type { JsonObject } from './jitsu-protocol.js';

/**
 * What became of a request: answered, one of the ways a request can go unanswered, or a 200 whose
 * body was scripted to break (see `BrokenAnswer`).
 */
export type RequestOutcome =
  | 'answered'
  | 'stalled'
  | 'reset'
  | 'body-timeout'
  | 'aborted'
  | 'cut-body'
  | 'trickle'
  | 'hang-after-headers';

/** One HTTP request the fake server received. */
export interface RecordedRequest {
  /** `Date.now()` when the request arrived (so tests can measure gaps between retries). */
  at: number;
  method: string;
  /** Pathname only; the query (which may hold the classic token) is not kept. */
  path: string;
  /** The status answered, 0 when the request was never answered (see `outcome`). */
  status: number;
  outcome: RequestOutcome;
  gzip: boolean;
  /** Body bytes as they came over the wire (compressed, when gzip). */
  bytes: number;
  /** Events in the body (0 when it could not be decoded). */
  eventCount: number;
  /** Lower-cased names; credentials replaced by `[redacted]`. */
  headers: Record<string, string | string[]>;
}

export interface AcceptedEvent {
  messageId: string;
  event: JsonObject;
}

interface Waiter {
  done: () => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const REDACTED_HEADERS = new Set(['x-write-key', 'x-auth-token', 'authorization']);

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = REDACTED_HEADERS.has(lower) ? '[redacted]' : value;
  }
  return out;
}

/** What the fake server saw and accepted; ingest does not deduplicate, so neither does this. */
export class IngestRecorder {
  readonly requests: RecordedRequest[] = [];
  private readonly accepted: AcceptedEvent[] = [];
  private readonly ids = new Set<string>();
  private duplicateCount = 0;
  private readonly waiters = new Set<Waiter>();

  accept(events: readonly AcceptedEvent[]): void {
    for (const item of events) {
      if (this.ids.has(item.messageId)) this.duplicateCount++;
      this.ids.add(item.messageId);
      this.accepted.push(item);
    }
    this.settleWaiters();
  }

  addRequest(request: RecordedRequest): void {
    this.requests.push(request);
    this.settleWaiters();
  }

  events(): JsonObject[] {
    return this.accepted.map((item) => item.event);
  }

  acceptedIds(): Set<string> {
    return new Set(this.ids);
  }

  count(): number {
    return this.accepted.length;
  }

  duplicates(): number {
    return this.duplicateCount;
  }

  eventsFor(table: string): JsonObject[] {
    return this.events().filter((event) => event.JITSU_TABLE_NAME === table || event.__JITSU_TABLE_NAME === table);
  }

  waitForCount(n: number, timeoutMs: number): Promise<void> {
    return this.waitUntil(
      () => this.ids.size >= n,
      () =>
        `FakeJitsuServer.waitForCount(${n}) timed out after ${timeoutMs} ms: ` +
        `${this.ids.size} distinct messageIds accepted (${this.accepted.length} events, ${this.requests.length} requests)`,
      timeoutMs,
    );
  }

  waitForRequests(n: number, timeoutMs: number): Promise<void> {
    return this.waitUntil(
      () => this.requests.length >= n,
      () => `FakeJitsuServer.waitForRequests(${n}) timed out after ${timeoutMs} ms: ${this.requests.length} requests received`,
      timeoutMs,
    );
  }

  clear(): void {
    this.requests.length = 0;
    this.accepted.length = 0;
    this.ids.clear();
    this.duplicateCount = 0;
  }

  /** Fails every pending wait, so a test awaiting a stopped server gets an error, not a hang. */
  rejectWaiters(reason: string): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(reason));
    }
    this.waiters.clear();
  }

  private waitUntil(done: () => boolean, describeTimeout: () => string, timeoutMs: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        done,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(describeTimeout()));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  private settleWaiters(): void {
    for (const waiter of this.waiters) {
      if (!waiter.done()) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }
}
