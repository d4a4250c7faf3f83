import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { segmentPath } from './segment-files.js';
import type { SpoolFsyncPolicy } from './spool.options.js';

export interface Appended {
  segment: number;
  /** Where the frame starts in the segment. */
  offset: number;
  /** Segment size after the frame. */
  end: number;
}

const FSYNC_INTERVAL_MS = 1_000;

/**
 * Appends frames to the newest segment with synchronous writes: once `append` returns, the
 * frame is in the OS page cache and survives the process being killed. The fsync policy adds
 * what survives the machine (see `SpoolFsyncPolicy`).
 */
export class SegmentWriter {
  private fd?: number;
  private id: number;
  private size = 0;
  private dirty = false;
  private readonly timer?: NodeJS.Timeout;

  constructor(
    private readonly dir: string,
    firstId: number,
    private readonly policy: SpoolFsyncPolicy,
    private readonly onSyncError: (error: Error) => void,
  ) {
    this.id = firstId - 1;
    if (policy === 'interval') {
      this.timer = setInterval(() => this.syncQuietly(), FSYNC_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /** The segment being appended to, if one is open. */
  get openSegment(): number | undefined {
    return this.fd === undefined ? undefined : this.id;
  }

  /** Throws on an I/O error, after cutting off any partial write so the segment stays well-formed. */
  append(frame: Buffer): Appended {
    const fd = this.fd ?? this.openNext();
    const offset = this.size;
    try {
      for (let done = 0; done < frame.length; ) done += writeSync(fd, frame, done, frame.length - done, offset + done);
      if (this.policy === 'always') fdatasyncSync(fd);
    } catch (error) {
      try {
        ftruncateSync(fd, offset);
      } catch {
        // the reader stops at `size` anyway; the recovery scan skips a torn tail
      }
      throw error;
    }
    this.size = offset + frame.length;
    this.dirty = true;
    return { segment: this.id, offset, end: this.size };
  }

  /** Closes the current segment (synced unless the policy is 'never'); the next append opens a new one. */
  seal(): void {
    const fd = this.fd;
    if (fd === undefined) return;
    this.fd = undefined;
    try {
      if (this.dirty && this.policy !== 'never') fdatasyncSync(fd);
    } finally {
      this.dirty = false;
      closeSync(fd);
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.seal();
  }

  private openNext(): number {
    this.id += 1;
    const fd = openSync(segmentPath(this.dir, this.id), 'wx');
    this.fd = fd;
    this.size = 0;
    this.dirty = false;
    // The new file's directory entry must reach the disk too, or a power loss forgets the file.
    if (this.policy !== 'never') syncDirectory(this.dir);
    return fd;
  }

  private syncQuietly(): void {
    if (this.fd === undefined || !this.dirty) return;
    try {
      fdatasyncSync(this.fd);
      this.dirty = false;
    } catch (error) {
      this.onSyncError(error as Error);
    }
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
