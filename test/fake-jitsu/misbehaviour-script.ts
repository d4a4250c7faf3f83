/** How a scripted failure is answered. */
export interface FailureSpec {
  status: number;
  /** Sent verbatim as the `Retry-After` header (seconds or an HTTP date). */
  retryAfter?: string;
  /** Sent as JSON; without it (and without `rawBody`) a plausible Jitsu error body is sent. */
  body?: unknown;
  /** Sent verbatim as `text/plain`, e.g. the HTML page of a proxy in front of Jitsu. */
  rawBody?: string;
}

/** One scripted answer, taken by the next ingest request the server would otherwise accept. */
export type ScriptedAnswer = { kind: 'fail'; failure: FailureSpec } | { kind: 'reset' };

/**
 * The misbehaviour a test asked for. `failNext` and `resetNext` share one queue so a test that
 * scripts "500, then a reset" gets them in that order.
 */
export class MisbehaviourScript {
  private readonly queue: ScriptedAnswer[] = [];
  private readonly rejected = new Set<string>();
  private maxEvents: number | undefined;
  private delay = 0;
  private isStalled = false;

  failNext(count: number, failure: FailureSpec): void {
    assertCount('failNext', count);
    if (!Number.isInteger(failure.status) || failure.status < 100 || failure.status > 599) {
      throw new RangeError(`failNext: status must be an integer HTTP status, got ${String(failure.status)}`);
    }
    for (let i = 0; i < count; i++) this.queue.push({ kind: 'fail', failure: { ...failure } });
  }

  resetNext(count: number): void {
    assertCount('resetNext', count);
    for (let i = 0; i < count; i++) this.queue.push({ kind: 'reset' });
  }

  /** The answer scripted for the next valid ingest request, if any (consumes it). */
  takeNext(): ScriptedAnswer | undefined {
    return this.queue.shift();
  }


  rejectMessageIds(ids: Iterable<string>): void {
    for (const id of ids) this.rejected.add(id);
  }

  get rejectedIds(): ReadonlySet<string> {
    return this.rejected;
  }

  setMaxBatchEvents(max: number | undefined): void {
    if (max !== undefined && (!Number.isInteger(max) || max < 0)) {
      throw new RangeError(`setMaxBatchEvents: expected a non-negative integer or undefined, got ${String(max)}`);
    }
    this.maxEvents = max;
  }

  get maxBatchEvents(): number | undefined {
    return this.maxEvents;
  }

  setDelay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`setDelay: expected ms >= 0, got ${String(ms)}`);
    this.delay = ms;
  }

  get delayMs(): number {
    return this.delay;
  }

  setStalled(stalled: boolean): void {
    this.isStalled = stalled;
  }

  get stalled(): boolean {
    return this.isStalled;
  }

  clear(): void {
    this.queue.length = 0;
    this.rejected.clear();
    this.maxEvents = undefined;
    this.delay = 0;
    this.isStalled = false;
  }
}

function assertCount(method: string, count: number): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`${method}: count must be a non-negative integer, got ${String(count)}`);
  }
}
