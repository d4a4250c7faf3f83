import type { Pending, PendingStore, StoreRefusal, StoreStall } from '../pipeline/pending-store.interface.js';
import { BacklogReader, offsetsBySegment } from './backlog-reader.js';
import { appendAcks, removeSegment } from './segment-files.js';
import { newSegment, type SegmentState } from './segment-state.js';
import { type Appended, SegmentWriter } from './segment-writer.js';
import { ioMessage, isMissing, SpoolDirectory, unusableDirectory } from './spool-directory.js';
import type { ResolvedSpoolOptions } from './spool-options.resolver.js';
import { SpoolNotices, type SpoolReporter } from './spool-notices.js';
import { SpoolQueue, type SpoolWindow } from './spool-queue.js';
import { encodeRecord } from './spool-record.js';
import { recoverSegments, type Recovered } from './spool-recovery.js';

/**
 * The pending store of the pipeline when `spool` is configured. Every event is appended to a
 * segment file before it counts as queued; the newest events are also kept in a bounded
 * in-memory window, and once the window is full the rest is read back from disk, in order, as
 * the sender takes batches. A segment is deleted once every event in it is acknowledged; acks
 * are also written to a small file per segment so a restart resends only what was not
 * delivered (at least once: an event in flight at a crash is sent again).
 */
export class DiskSpool implements PendingStore {
  readonly durable = true;
  private readonly segments = new Map<number, SegmentState>();
  private readonly writer: SegmentWriter;
  private readonly queue: SpoolQueue;
  private diskBytes = 0;
  private closed = false;
  private readonly notices: SpoolNotices;

  /** Opens (creating it if needed) and locks `options.dir`, and takes over what an earlier process left. */
  static open(options: ResolvedSpoolOptions, window: SpoolWindow, reporter: SpoolReporter): DiskSpool {
    const directory = SpoolDirectory.open(options.dir);
    try {
      return new DiskSpool(options, window, reporter, directory, recoverSegments(options.dir));
    } catch (error) {
      directory.release();
      throw unusableDirectory(options.dir, error);
    }
  }

  private constructor(
    private readonly options: ResolvedSpoolOptions,
    limits: SpoolWindow,
    reporter: SpoolReporter,
    private readonly directory: SpoolDirectory,
    recovered: Recovered,
  ) {
    for (const segment of recovered.segments) {
      this.segments.set(segment.id, segment);
      this.diskBytes += segment.size + segment.ackBytes;
    }
    const notices = (this.notices = new SpoolNotices(reporter, options.dir));
    for (const [id, regions] of recovered.damaged) notices.damaged(id, regions);
    for (const { id, error } of recovered.unreadable) notices.unreadable(id, error);
    this.writer = new SegmentWriter(options.dir, recovered.nextId, options.fsync, (error) => notices.syncFailed('fsync the spool', error));
    const backlog = new BacklogReader(options.dir, this.segments, {
      damaged: (id, regions) => notices.damaged(id, regions),
      finished: (segment) => this.removeIfDone(segment),
      missing: (segment) => this.segmentMissing(segment),
      lost: (segment, count) => notices.lost(segment, count),
    });
    this.queue = new SpoolQueue(limits, backlog, notices);
  }

  get length(): number {
    return this.queue.length;
  }

  get bytes(): number {
    return this.queue.bytes;
  }

  /** Waiting events held in memory (the window); the rest are only on disk. */
  get inMemory(): number {
    return this.queue.inMemory;
  }

  get stalled(): StoreStall | undefined {
    return this.queue.stalled;
  }

  /** Bytes of segment and ack files: what `spool.maxBytes` bounds. */
  get bytesOnDisk(): number {
    return this.diskBytes;
  }

  peek(): Pending | undefined {
    return this.queue.peek();
  }

  shift(): Pending | undefined {
    return this.queue.shift();
  }

  takeBatch(maxEvents: number, maxBytes: number): Pending[] {
    return this.queue.takeBatch(maxEvents, maxBytes);
  }

  push(pending: Pending): StoreRefusal | undefined {
    if (this.closed) return { reason: 'spool_failed', detail: 'the spool is closed' };
    const { maxBytes, dir } = this.options;
    let appended: Appended;
    try {
      const record = encodeRecord(pending.seq, pending.item);
      if (this.diskBytes + record.length > maxBytes) {
        return { reason: 'spool_full', detail: `the spool in ${dir} holds ${this.diskBytes} bytes; spool.maxBytes is ${maxBytes}` };
      }
      appended = this.append(record);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException)?.code;
      const reason = code === 'ENOSPC' || code === 'EDQUOT' ? 'spool_full' : 'spool_failed';
      return { reason, detail: `could not write to the spool in ${dir} (${ioMessage(error)})` };
    }
    const segment = this.segmentFor(appended.segment);
    this.diskBytes += appended.end - segment.size;
    segment.size = appended.end;
    segment.outstanding++;
    this.queue.add(pending, segment, appended.offset);
    if (segment.size >= this.options.segmentBytes) this.seal(segment);
    return undefined;
  }

  acknowledge(events: readonly Pending[]): void {
    if (this.closed) return;
    for (const [id, acked] of offsetsBySegment(events)) {
      const segment = this.segments.get(id);
      if (!segment) continue;
      segment.outstanding -= acked.length;
      if (segment.sealed && segment.outstanding <= 0) {
        this.removeIfDone(segment);
        continue;
      }
      try {
        const written = appendAcks(this.options.dir, id, acked);
        segment.ackBytes += written;
        this.diskBytes += written;
      } catch (error) {
        // The segment went with the directory: there is nothing left to acknowledge in.
        if (isMissing(error) && this.recreateDirectory()) continue;
        this.notices.ackFailed(error);
      }
    }
  }

  /** The undelivered events stay on disk for the next start: none is lost, only the memory is freed. */
  drainAll(): Pending[] {
    this.queue.clearWindow();
    return [];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.close();
    const open = this.writer.openSegment;
    try {
      this.writer.close();
    } catch (error) {
      this.notices.syncFailed('close the spool segment', error);
    }
    const current = open === undefined ? undefined : this.segments.get(open);
    if (current) {
      current.sealed = true;
      this.removeIfDone(current);
    }
    this.directory.release();
  }

  /** Appends, creating the directory again once if something removed it. */
  private append(record: Buffer): Appended {
    try {
      return this.writer.append(record);
    } catch (error) {
      if (!isMissing(error) || !this.recreateDirectory()) throw error;
      return this.writer.append(record);
    }
  }

  /**
   * True when the directory was gone and is back (see SpoolDirectory). The segment being written
   * went with it: it is sealed, so the next event starts a new one in the new directory.
   */
  private recreateDirectory(): boolean {
    if (!this.directory.recreateIfGone()) return false;
    const open = this.writer.openSegment;
    const segment = open === undefined ? undefined : this.segments.get(open);
    if (segment) this.seal(segment);
    this.notices.directoryRemoved();
    return true;
  }

  private segmentMissing(segment: SegmentState): void {
    this.notices.missing(segment.id, segment.unread);
    this.recreateDirectory();
    // Still written to, through a file no longer in the directory: what follows goes to a new one.
    if (this.writer.openSegment === segment.id) this.seal(segment);
  }

  private segmentFor(id: number): SegmentState {
    let segment = this.segments.get(id);
    if (!segment) {
      segment = newSegment(id);
      this.segments.set(id, segment);
    }
    return segment;
  }

  private seal(segment: SegmentState): void {
    try {
      this.writer.seal();
    } catch (error) {
      this.notices.syncFailed('seal a spool segment', error);
    }
    segment.sealed = true;
    this.removeIfDone(segment);
  }

  private removeIfDone(segment: SegmentState): void {
    if (!segment.sealed || segment.outstanding > 0 || this.segments.get(segment.id) !== segment) return;
    try {
      removeSegment(this.options.dir, segment.id);
    } catch (error) {
      this.notices.removeFailed(error);
      return;
    }
    this.segments.delete(segment.id);
    this.diskBytes -= segment.size + segment.ackBytes;
  }
}
