import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { processIdentity, type ProcessIdentity } from './process-identity.js';

export const LOCK_FILE = 'spool.lock';

/** Who holds a lock: a process of this machine, identified by pid and start time. */
export interface LockOwner extends Partial<ProcessIdentity> {
  pid: number;
  /** ms since the epoch; tells this process from an earlier one that had the same pid (containers reuse pid 1). */
  startedAt: number;
}

/** A lock file just created may be read before its owner wrote it: give it this long. */
const UNWRITTEN_LOCK_GRACE_MS = 5_000;
const SAME_START_TOLERANCE_MS = 1_000;

export class SpoolLockedError extends Error {}

/**
 * One process per spool directory: two writers would interleave their segments and each
 * would delete what the other still needs. The lock is a file created exclusively (`wx`) with
 * the owner's pid; a lock whose process is gone (a crash, SIGKILL), or whose pid now belongs to
 * another process, is taken over.
 */
export class SpoolLock {
  private released = false;

  private constructor(
    private readonly path: string,
    private readonly owner: LockOwner,
  ) {}

  /** Throws `SpoolLockedError` when a live process (this one included) holds `dir`. */
  static acquire(dir: string, self: LockOwner = currentProcess()): SpoolLock {
    const path = join(dir, LOCK_FILE);
    if (tryCreate(path, self)) return new SpoolLock(path, self);
    refuseIfHeld(dir, path, self);
    // The holder is gone. Several processes starting at once may all judge so: replacing the lock
    // is done under a second exclusive file, so only one of them does it, and it judges again
    // there (another may have just taken the lock over).
    const takeover = `${path}${TAKEOVER_SUFFIX}`;
    if (!tryCreate(takeover, self)) {
      const taker = readOwner(takeover);
      if (taker === 'unwritten' || (taker && isAlive(taker, self))) {
        throw new SpoolLockedError(`spool.dir ${dir} is being locked by another process right now`);
      }
      // Left by a process that died while taking over.
      rmSync(takeover, { force: true });
      if (!tryCreate(takeover, self)) throw new SpoolLockedError(`spool.dir ${dir} is being locked by another process right now`);
    }
    try {
      refuseIfHeld(dir, path, self);
      rmSync(path, { force: true });
      if (tryCreate(path, self)) return new SpoolLock(path, self);
      throw new SpoolLockedError(`spool.dir ${dir} was locked by another process starting at the same time`);
    } finally {
      rmSync(takeover, { force: true });
    }
  }

  /**
   * Writes the lock file again after something removed it (with the whole directory), unless
   * another process has taken the directory meanwhile. Throws on I/O errors.
   */
  restore(): void {
    if (!this.released) tryCreate(this.path, this.owner);
  }

  /** Removes the lock, unless it is no longer this one's (another process judged it stale and took it over). */
  release(): void {
    if (this.released) return;
    this.released = true;
    const holder = readOwner(this.path);
    if (typeof holder === 'object' && (holder.pid !== this.owner.pid || holder.startedAt !== this.owner.startedAt)) return;
    rmSync(this.path, { force: true });
  }
}

const TAKEOVER_SUFFIX = '.takeover';

function refuseIfHeld(dir: string, path: string, self: LockOwner): void {
  const holder = readOwner(path);
  if (holder === 'unwritten' || (holder && isAlive(holder, self))) {
    throw new SpoolLockedError(
      holder === 'unwritten'
        ? `spool.dir ${dir} is being locked by another process right now`
        : `spool.dir ${dir} is in use by ${holder.pid === self.pid ? 'another analytics instance of this process' : `process ${holder.pid}`}; give each instance its own directory (if no process uses it, delete ${path})`,
    );
  }
}

export function currentProcess(): LockOwner {
  return { pid: process.pid, startedAt: Math.round(performance.timeOrigin), ...processIdentity('self') };
}

function tryCreate(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
  } finally {
    closeSync(fd);
  }
  return true;
}

function readOwner(path: string): LockOwner | 'unwritten' | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (Number.isInteger(parsed.pid) && typeof parsed.startedAt === 'number') return parsed as LockOwner;
  } catch {
    // unreadable: decided by its age below
  }
  try {
    return Date.now() - statSync(path).mtimeMs < UNWRITTEN_LOCK_GRACE_MS ? 'unwritten' : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(holder: LockOwner, self: LockOwner): boolean {
  if (holder.pid === self.pid) return Math.abs(holder.startedAt - self.startedAt) <= SAME_START_TOLERANCE_MS;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists, owned by another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A live process with the holder's pid may be another one that got the pid after the holder
  // died (a container restarted on the same volume). Where neither side's identity is known,
  // it is taken for the holder.
  if (typeof holder.bootId !== 'string' || typeof holder.startTicks !== 'number') return true;
  const now = processIdentity(holder.pid);
  return now === undefined || (now.bootId === holder.bootId && now.startTicks === holder.startTicks);
}
