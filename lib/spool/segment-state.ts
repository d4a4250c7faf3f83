import { statSync } from 'node:fs';

/** What the spool knows of one segment; the events themselves stay on disk. */
export interface SegmentState {
  readonly id: number;
  /** Bytes of the segment file. */
  size: number;
  /** Bytes of its ack file. */
  ackBytes: number;
  /** Events not yet acknowledged (delivered or finally dropped). */
  outstanding: number;
  /** Events not yet read back into memory, and their JSON bytes. */
  unread: number;
  unreadBytes: number;
  /** No longer appended to: removed as soon as nothing in it is outstanding. */
  sealed: boolean;
  /** Left by an earlier process: its events go out before any of this process's. */
  replayed: boolean;
}

export function newSegment(id: number): SegmentState {
  return { id, size: 0, ackBytes: 0, outstanding: 0, unread: 0, unreadBytes: 0, sealed: false, replayed: false };
}

export function statSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
