import type { StoreStall } from '../pipeline/pending-store.interface.js';

/** The first wait after the backlog failed to read; it doubles with each failure in a row. */
export const READ_RETRY_FIRST_MS = 1000;
/** The longest wait between two attempts. */
export const READ_RETRY_MAX_MS = 60_000;
/**
 * How long reads may fail in a row before the backlog is left for the next start. An error that
 * lasts this long (a file made unreadable, a broken disk) is not the passing kind (too many open
 * files, an NFS hiccup) that waiting cures.
 */
export const READ_GIVE_UP_AFTER_MS = 10 * 60_000;

/**
 * After the `failures`-th failed read in a row, the first `failingForMs` ago: how long to wait
 * before reading again, or undefined to stop trying until the next start.
 */
export function nextReadAttemptIn(failures: number, failingForMs: number): number | undefined {
  if (failingForMs >= READ_GIVE_UP_AFTER_MS) return undefined;
  const backoff = READ_RETRY_FIRST_MS * 2 ** Math.min(Math.max(failures - 1, 0), 16);
  return Math.min(backoff, READ_RETRY_MAX_MS, READ_GIVE_UP_AFTER_MS - failingForMs);
}

/** What a failed read leads to: the first of a run, another one (with the wait before the next), or giving up. */
export type ReadFailureOutcome =
  | { kind: 'first' | 'again'; failures: number; waitMs: number }
  | { kind: 'gave_up'; failures: number };

/**
 * The spool's run of failed backlog reads, if any: when to read again, and what health reports
 * meanwhile. Giving up ends the run: the backlog it could not read is left for the next start,
 * and events spooled after that are read (and retried) afresh.
 */
export class BacklogReadRetry {
  private run?: { since: number; failures: number; retryAt: number };
  /** The last failure's error code: health endpoints may be public, so never a message with paths in it. */
  private code = '';
  private leftBehind?: { since: number; code: string };

  /** False while waiting for the next attempt. The clock is read only then. */
  mayRead(clock: () => number = Date.now): boolean {
    return !this.run || clock() >= this.run.retryAt;
  }

  succeeded(): void {
    this.run = undefined;
  }

  /** `code`: the error's code (`EMFILE`), or a word for it. */
  failed(code: string, now: number): ReadFailureOutcome {
    const run = (this.run ??= { since: now, failures: 0, retryAt: now });
    run.failures++;
    this.code = code;
    const waitMs = nextReadAttemptIn(run.failures, now - run.since);
    if (waitMs === undefined) {
      this.run = undefined;
      this.leftBehind = { since: run.since, code };
      return { kind: 'gave_up', failures: run.failures };
    }
    run.retryAt = now + waitMs;
    return { kind: run.failures === 1 ? 'first' : 'again', failures: run.failures, waitMs };
  }

  /** Set during a run of failures, and from a give-up until the next start. */
  get stall(): StoreStall | undefined {
    if (this.run) return { since: new Date(this.run.since).toISOString(), reason: `could not read back the spool (${this.code}); reading is tried again` };
    const left = this.leftBehind;
    if (left) return { since: new Date(left.since).toISOString(), reason: `could not read back the spool (${left.code}); part of it is left for the next start` };
    return undefined;
  }
}
