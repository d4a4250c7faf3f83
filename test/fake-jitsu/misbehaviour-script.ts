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

/**
 * How the body of a cut-off answer is delimited. With a length or chunks the client can tell the
 * body is incomplete; close-delimited (no length, `Connection: close`) it cannot, as HTTP allows.
 */
export type BodyFraming = 'content-length' | 'chunked' | 'close-delimited';

const FRAMINGS: readonly BodyFraming[] = ['content-length', 'chunked', 'close-delimited'];

/**
 * A 200 whose headers reach the client but whose body does not, or not in time: the connection
 * drops mid-body, the body crawls in a byte at a time, or nothing follows the headers.
 */
export type BrokenAnswer =
  | { kind: 'cut-body'; framing: BodyFraming }
  | { kind: 'trickle'; byteEveryMs: number }
  | { kind: 'hang-after-headers' };

/** One scripted answer, taken by the next ingest request the server would otherwise accept. */
export type ScriptedAnswer = { kind: 'fail'; failure: FailureSpec } | { kind: 'reset' } | BrokenAnswer;

/**
 * The misbehaviour a test asked for. `failNext`, `resetNext` and the broken answers share one
 * queue so a test that scripts "500, then a reset" gets them in that order.
 */
export class MisbehaviourScript {
  private readonly queue: ScriptedAnswer[] = [];
  private readonly rejected = new Set<string>();
  private readonly throttled = new Set<string>();
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
    this.push(count, { kind: 'reset' });
  }

  cutBodyNext(count: number, framing: BodyFraming): void {
    assertCount('cutBodyNext', count);
    if (!FRAMINGS.includes(framing)) {
      throw new RangeError(`cutBodyNext: framing must be one of ${FRAMINGS.join(', ')}, got ${String(framing)}`);
    }
    this.push(count, { kind: 'cut-body', framing });
  }

  trickleNext(count: number, byteEveryMs: number): void {
    assertCount('trickleNext', count);
    if (!Number.isFinite(byteEveryMs) || byteEveryMs <= 0) {
      throw new RangeError(`trickleNext: byteEveryMs must be a positive number, got ${String(byteEveryMs)}`);
    }
    this.push(count, { kind: 'trickle', byteEveryMs });
  }

  hangAfterHeadersNext(count: number): void {
    assertCount('hangAfterHeadersNext', count);
    this.push(count, { kind: 'hang-after-headers' });
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

  throttleMessageIds(ids: Iterable<string>): void {
    for (const id of ids) this.throttled.add(id);
  }

  /** True once per id asked to be throttled: the next receipt of that event is refused as Jitsu's quota does. */
  readonly takeThrottled = (id: string): boolean => this.throttled.delete(id);

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

  private push(count: number, answer: ScriptedAnswer): void {
    for (let i = 0; i < count; i++) this.queue.push({ ...answer });
  }

  clear(): void {
    this.queue.length = 0;
    this.rejected.clear();
    this.throttled.clear();
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
