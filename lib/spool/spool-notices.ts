import type { ReadFailureOutcome } from './read-retry.js';
import { ioMessage } from './spool-directory.js';

/** Where the spool reports what it skipped or could not do (the pipeline's `AnalyticsReporter`). */
export interface SpoolReporter {
  warn(kind: string, message: string): void;
  error(error: Error): void;
  droppedUnidentified(reason: 'spool_lost', count: number, detail: string): void;
}

/** What the spool tells the app about its directory `dir`: each kind of trouble, in one wording. */
export class SpoolNotices {
  constructor(
    private readonly reporter: SpoolReporter,
    private readonly dir: string,
  ) {}

  damaged(segment: number, regions: number): void {
    for (let i = 0; i < regions; i++) {
      this.reporter.warn('spool_corrupt', `skipped a damaged region in spool segment ${segment} of ${this.dir} (a write cut short by a crash, or disk damage); events in it are lost`);
    }
  }

  lost(segment: number, count: number): void {
    this.reporter.droppedUnidentified('spool_lost', count, `spool segment ${segment} of ${this.dir} no longer holds them (damaged or removed since they were written)`);
  }

  unreadable(segment: number, error: unknown): void {
    this.reporter.warn('spool_unreadable', `could not read spool segment ${segment} in ${this.dir} (${ioMessage(error)}); it is left in place, unsent, and tried again at the next start`);
  }

  missing(segment: number, unread: number): void {
    this.reporter.warn('spool_missing', `spool segment ${segment} of ${this.dir} was removed from outside; ${unread} undelivered event(s) in it are lost`);
  }

  directoryRemoved(): void {
    this.reporter.warn('spool_dir_removed', `the spool directory ${this.dir} was removed while in use and has been created again; events that were only in its files are lost`);
  }

  /** `what` failed to reach the disk: "fsync the spool", "seal a spool segment"... */
  syncFailed(what: string, error: unknown): void {
    this.reporter.warn('spool_sync_failed', `could not ${what} in ${this.dir} (${ioMessage(error)})`);
  }

  ackFailed(error: unknown): void {
    this.reporter.warn('spool_ack_failed', `could not record delivered events in ${this.dir} (${ioMessage(error)}); after a restart they would be sent again`);
  }

  removeFailed(error: unknown): void {
    this.reporter.warn('spool_remove_failed', `could not remove a delivered spool segment in ${this.dir} (${ioMessage(error)})`);
  }

  /** The first failure of a run is an error; the next ones are counted warnings, until it gives up. */
  readFailed(outcome: ReadFailureOutcome, reason: string): void {
    const where = `the spool in ${this.dir}`;
    if (outcome.kind === 'gave_up') {
      this.reporter.error(new Error(`gave up reading back ${where} after ${outcome.failures} attempts (${reason}); its events are kept for the next start`));
    } else if (outcome.kind === 'first') {
      this.reporter.error(new Error(`could not read back ${where} (${reason}); its events stay on disk and reading is tried again`));
    } else {
      this.reporter.warn('spool_read_failed', `reading back ${where} failed again (${reason}); next attempt in ${outcome.waitMs} ms`);
    }
  }
}
