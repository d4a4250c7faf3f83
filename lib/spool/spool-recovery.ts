import { closeSync, fstatSync, openSync } from 'node:fs';
import { readFrames } from './frame-reader.js';
import { ackPath, listSegments, readAcks, removeSegment, segmentPath } from './segment-files.js';
import { recordJsonBytes } from './spool-record.js';
import { type SegmentState, statSize } from './segment-state.js';

export interface Recovered {
  /** Leftover segments that still hold undelivered events, oldest first. */
  segments: SegmentState[];
  /** The id for this process's first segment. */
  nextId: number;
  /** Damaged regions skipped, per segment id (events in them cannot be recovered). */
  damaged: Map<number, number>;
  /** Segments that could not be read (left in place for a later start), with the error. */
  unreadable: Array<{ id: number; error: unknown }>;
}

/**
 * Scans what earlier processes left in `dir`: counts, per segment, the well-formed events not
 * listed in its ack file, skipping (and counting) damaged regions such as the torn tail of a
 * write cut short by a crash. Segments with nothing left to send are removed. Reads every
 * segment once; only counts are kept in memory. A segment that cannot be read at all (its
 * permissions, a disk error) is left where it is, untouched, rather than keeping the app from
 * starting: a later start tries it again.
 */
export function recoverSegments(dir: string): Recovered {
  const segments: SegmentState[] = [];
  const damaged = new Map<number, number>();
  const unreadable: Recovered['unreadable'] = [];
  const ids = listSegments(dir);
  for (const id of ids) {
    let segment: SegmentState;
    try {
      segment = scanSegment(dir, id, damaged);
    } catch (error) {
      unreadable.push({ id, error });
      continue;
    }
    if (segment.outstanding > 0) segments.push(segment);
    else removeSegment(dir, id);
  }
  // Past every id listed, unreadable ones included, so no new segment overwrites one.
  return { segments, nextId: (ids.at(-1) ?? 0) + 1, damaged, unreadable };
}

function scanSegment(dir: string, id: number, damaged: Map<number, number>): SegmentState {
  const acked = readAcks(dir, id);
  const fd = openSync(segmentPath(dir, id), 'r');
  let events = 0;
  let bytes = 0;
  let malformed = 0;
  let size: number;
  try {
    size = fstatSync(fd).size;
    const read = readFrames(fd, 0, size, (body, offset) => {
      if (acked.has(offset)) return true;
      const jsonBytes = recordJsonBytes(body);
      if (jsonBytes === undefined) malformed++;
      else {
        events++;
        bytes += jsonBytes;
      }
      return true;
    });
    if (read.damaged + malformed > 0) damaged.set(id, read.damaged + malformed);
  } finally {
    closeSync(fd);
  }
  return {
    id,
    size,
    ackBytes: statSize(ackPath(dir, id)),
    outstanding: events,
    unread: events,
    unreadBytes: bytes,
    sealed: true,
    replayed: true,
  };
}
