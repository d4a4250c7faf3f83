import { readSync } from 'node:fs';
import { FRAME_HEADER_BYTES, nextMagic, readFrame } from './spool-record.js';

export interface FramesRead {
  /** File offset after the last frame visited or region skipped: where to resume. */
  next: number;
  /** Damaged regions skipped: bad magic, length or CRC, or a torn write at the end. */
  damaged: number;
  /**
   * The file ended before `end` (another process cut it short): everything from the last good
   * frame to `end` is gone, skipped as one region that `damaged` does not count, and `next` is `end`.
   */
  cut: boolean;
}

/**
 * Gets each good frame's body (a view, valid only during the call), its file offset and the
 * offset after it; false stops after it.
 */
export type FrameVisitor = (body: Buffer, offset: number, next: number) => boolean;

const CHUNK_BYTES = 256 * 1024;

/** Damaged regions met so far; kept by the caller, so an I/O error part-way does not lose the count. */
export interface DamageTally {
  damaged: number;
}

/**
 * Reads the frames of a file from `start` up to `end`, a chunk at a time. A damaged region
 * (anything that is not a whole frame with a matching CRC) is skipped up to the next frame
 * magic and counted once, in `tally` as it is met; it never throws on content, only on I/O errors.
 */
export function readFrames(fd: number, start: number, end: number, visit: FrameVisitor, tally: DamageTally = { damaged: 0 }): FramesRead {
  let buf = Buffer.allocUnsafe(Math.max(FRAME_HEADER_BYTES, Math.min(CHUNK_BYTES, end - start)));
  let pos = start;
  let inDamage = false;
  let fileEnd = end;
  while (pos < fileEnd) {
    const wanted = Math.min(buf.length, fileEnd - pos);
    const n = readFully(fd, buf, wanted, pos);
    if (n < wanted) fileEnd = pos + n;
    let at = 0;
    while (at < n) {
      const read = readFrame(buf, at, n);
      if (read.status === 'ok') {
        inDamage = false;
        const offset = pos + at;
        at = read.bodyEnd;
        if (!visit(buf.subarray(read.bodyStart, read.bodyEnd), offset, pos + at)) return { next: pos + at, damaged: tally.damaged, cut: false };
        continue;
      }
      if (read.status === 'incomplete' && pos + at + read.frameBytes <= fileEnd) {
        // Whole in the file but not in this chunk: read again from its start.
        if (read.frameBytes > buf.length) buf = Buffer.allocUnsafe(read.frameBytes);
        break;
      }
      if (!inDamage) tally.damaged++;
      inDamage = true;
      const magic = nextMagic(buf, at + 1, n);
      if (magic >= 0) {
        at = magic;
        continue;
      }
      // Keep the chunk's last 3 bytes: a 4-byte magic may straddle two chunks.
      at = pos + n >= fileEnd ? n : Math.max(at + 1, n - 3);
      break;
    }
    pos += at;
  }
  // Resuming at the missing bytes would find nothing there, for ever: the reader moves past them.
  if (fileEnd < end) return { next: end, damaged: inDamage ? tally.damaged - 1 : tally.damaged, cut: true };
  return { next: pos, damaged: tally.damaged, cut: false };
}

function readFully(fd: number, buf: Buffer, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
