import { closeSync, openSync } from 'node:fs';
import type { Pending } from '../pipeline/pending-store.interface.js';
import { type FramesRead, readFrames } from './frame-reader.js';
import { readAcks, segmentPath } from './segment-files.js';
import type { SegmentState } from './segment-state.js';
import { decodeRecord } from './spool-record.js';

/** An event read from (or written to) a segment: acknowledging it needs to know where it is. */
export interface SpooledPending extends Pending {
  readonly segment: number;
  readonly offset: number;
}

/** The offsets of `events` (taken from a spool), grouped by segment. */
export function offsetsBySegment(events: readonly Pending[]): Map<number, number[]> {
  const offsets = new Map<number, number[]>();
  for (const event of events) {
    const { segment, offset } = event as Partial<SpooledPending>;
    if (segment === undefined || offset === undefined) continue;
    const list = offsets.get(segment);
    if (list) list.push(offset);
    else offsets.set(segment, [offset]);
  }
  return offsets;
}

export interface BacklogEvents {
  /** A segment holds damaged regions that were skipped. */
  damaged(segment: number, regions: number): void;
  /** The reader is done with a sealed segment: nothing in it is unread any more. */
  finished(segment: SegmentState): void;
  /** A segment's file is gone (removed from outside): its unread events are lost. Called before they are forgotten. */
  missing(segment: SegmentState): void;
  /** Events counted in a segment that are not in its file any more: lost to damage or removal. */
  lost(segment: number, count: number): void;
}

/**
 * The part of the spool that is only on disk: events not yet read back into memory. Reads them
 * in order from a cursor (segment, offset), skipping what an earlier process had acknowledged.
 */
export class BacklogReader {
  private events = 0;
  private byteTotal = 0;
  private cursor = { segment: 0, offset: 0 };
  private file?: { segment: number; fd: number; acked: Set<number> };

  constructor(
    private readonly dir: string,
    private readonly segments: ReadonlyMap<number, SegmentState>,
    private readonly on: BacklogEvents,
  ) {
    for (const segment of segments.values()) {
      this.events += segment.unread;
      this.byteTotal += segment.unreadBytes;
    }
    this.cursor.segment = segments.keys().next().value ?? 0;
  }

  get length(): number {
    return this.events;
  }

  get bytes(): number {
    return this.byteTotal;
  }

  /** An event just written at `offset` of `segment`, behind every unread one. */
  add(segment: SegmentState, offset: number, bytes: number): void {
    if (this.events === 0) this.cursor = { segment: segment.id, offset };
    segment.unread++;
    segment.unreadBytes += bytes;
    this.events++;
    this.byteTotal += bytes;
  }

  /** Reads unread events, oldest first, into `accept` until it returns false or none is left. */
  readInto(accept: (pending: SpooledPending) => boolean): void {
    let more = true;
    while (more && this.events > 0) {
      const segment = this.segmentAtCursor();
      // Counts that no longer match the files cannot be read on: the events stay on disk for the next start.
      if (!segment || (this.cursor.offset >= segment.size && !segment.sealed)) return this.setAside();
      if (this.cursor.offset >= segment.size) {
        this.finish(segment);
        continue;
      }
      const file = this.fileFor(segment);
      if (!file) {
        this.on.missing(segment);
        this.forgetMissing(segment);
        if (segment.sealed) this.finish(segment);
        else this.cursor.offset = segment.size;
        continue;
      }
      let malformed = 0;
      let visited = this.cursor.offset;
      const tally = { damaged: 0 };
      let damagedBeforeVisited = 0;
      let read: FramesRead;
      try {
        read = readFrames(file.fd, this.cursor.offset, segment.size, (body, offset, next) => {
          visited = next;
          damagedBeforeVisited = tally.damaged;
          if (file.acked.has(offset)) return true;
          const record = decodeRecord(body);
          if (!record) {
            malformed++;
            return true;
          }
          segment.unread--;
          segment.unreadBytes -= record.item.bytes;
          this.events--;
          this.byteTotal -= record.item.bytes;
          more = accept({ item: record.item, seq: segment.replayed ? 0 : record.seq, segment: segment.id, offset });
          return more && segment.unread > 0;
        }, tally);
      } catch (error) {
        // The frames visited before the error were handed out: reading again starts after them,
        // so the damage passed before them is reported now (what lies beyond is met again).
        this.cursor.offset = visited;
        this.closeFile();
        const damaged = damagedBeforeVisited + malformed;
        if (!segment.replayed && damaged > 0) this.on.damaged(segment.id, damaged);
        throw error;
      }
      this.cursor.offset = read.next;
      // The start-up scan already counted the damage of segments left by an earlier process; a
      // cut made since is news either way.
      const damaged = (segment.replayed ? 0 : read.damaged + malformed) + (read.cut ? 1 : 0);
      if (damaged > 0) this.on.damaged(segment.id, damaged);
      if (segment.sealed && (segment.unread === 0 || this.cursor.offset >= segment.size)) this.finish(segment);
      // Read up to where the writer is, yet some counted as unread: they were in a part that is gone.
      else if (this.cursor.offset >= segment.size) this.forgetMissing(segment);
    }
  }

  /** Gives up reading what is left (an I/O error): it stays on disk, outstanding, for the next start. */
  setAside(): void {
    for (const segment of this.segments.values()) {
      segment.unread = 0;
      segment.unreadBytes = 0;
    }
    this.events = 0;
    this.byteTotal = 0;
    this.closeFile();
  }

  close(): void {
    this.closeFile();
  }

  private finish(segment: SegmentState): void {
    this.forgetMissing(segment);
    this.closeFile();
    this.cursor = { segment: this.nextSegmentId(segment.id) ?? segment.id + 1, offset: 0 };
    this.on.finished(segment);
  }

  /** Events counted as unread but not found in the file were lost to damage since: stop waiting for them. */
  private forgetMissing(segment: SegmentState): void {
    if (segment.unread === 0) return;
    this.on.lost(segment.id, segment.unread);
    this.events -= segment.unread;
    this.byteTotal -= segment.unreadBytes;
    segment.outstanding -= segment.unread;
    segment.unread = 0;
    segment.unreadBytes = 0;
  }

  private segmentAtCursor(): SegmentState | undefined {
    const here = this.segments.get(this.cursor.segment);
    if (here) return here;
    const next = this.nextSegmentId(this.cursor.segment);
    if (next === undefined) return undefined;
    this.cursor = { segment: next, offset: 0 };
    return this.segments.get(next);
  }

  private nextSegmentId(after: number): number | undefined {
    for (const id of this.segments.keys()) if (id > after) return id;
    return undefined;
  }

  /** The open file of `segment`; undefined when it no longer exists. */
  private fileFor(segment: SegmentState): { fd: number; acked: Set<number> } | undefined {
    if (this.file?.segment === segment.id) return this.file;
    this.closeFile();
    let fd: number;
    try {
      fd = openSync(segmentPath(this.dir, segment.id), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let acked: Set<number>;
    try {
      acked = segment.replayed ? readAcks(this.dir, segment.id) : new Set<number>();
    } catch (error) {
      // Read again at each retry: an fd left open each time would feed an EMFILE.
      closeSync(fd);
      throw error;
    }
    this.file = { segment: segment.id, fd, acked };
    return this.file;
  }

  private closeFile(): void {
    if (!this.file) return;
    closeSync(this.file.fd);
    this.file = undefined;
  }
}
