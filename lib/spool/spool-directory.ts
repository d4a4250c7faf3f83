import { existsSync, mkdirSync } from 'node:fs';
import { AnalyticsConfigError } from '../analytics-config.error.js';
import { SpoolLock, SpoolLockedError } from './spool-lock.js';

/**
 * The spool's directory, held with its lock: created at open, and created again when something
 * removes it while in use (a temp-file cleaner), since without it every later event would be
 * refused until a restart.
 */
export class SpoolDirectory {
  private constructor(
    readonly path: string,
    private readonly lock: SpoolLock,
  ) {}

  /** Creates `path` if needed and locks it; throws `AnalyticsConfigError` when it cannot be used. */
  static open(path: string): SpoolDirectory {
    try {
      mkdirSync(path, { recursive: true });
      return new SpoolDirectory(path, SpoolLock.acquire(path));
    } catch (error) {
      if (error instanceof SpoolLockedError) throw new AnalyticsConfigError([error.message]);
      throw unusableDirectory(path, error);
    }
  }

  /** Creates the directory again, lock included, if it is gone; true when it was gone and is back. */
  recreateIfGone(): boolean {
    if (existsSync(this.path)) return false;
    try {
      mkdirSync(this.path, { recursive: true });
      this.lock.restore();
      return true;
    } catch {
      return false;
    }
  }

  release(): void {
    this.lock.release();
  }
}

/** The configuration error for a spool directory that cannot be created, locked or read. */
export function unusableDirectory(path: string, error: unknown): AnalyticsConfigError {
  return new AnalyticsConfigError([`spool.dir: cannot use ${path} (${ioMessage(error)}); expected a writable directory`]);
}

/** The error says a file or directory does not exist. */
export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** An I/O error's message (it names the path and the errno code), whatever was thrown. */
export function ioMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
