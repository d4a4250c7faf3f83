import { appendFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { frame, nextMagic, readFrame } from './spool-record.js';

/**
 * A spool directory holds numbered segments: `000000000001.seg` (framed events, append-only)
 * and, once some of its events are delivered, `000000000001.ack` (framed batches of the
 * acknowledged events' offsets), so a restart skips what was already delivered.
 */
const SEGMENT_NAME = /^(\d{12})\.seg$/;
const ACK_NAME = /^(\d{12})\.ack$/;

export function segmentPath(dir: string, id: number): string {
  return join(dir, `${pad(id)}.seg`);
}

export function ackPath(dir: string, id: number): string {
  return join(dir, `${pad(id)}.ack`);
}

/** Segment ids in the directory, oldest first; ack files whose segment is gone are removed. */
export function listSegments(dir: string): number[] {
  const names = readdirSync(dir);
  const ids = idsMatching(names, SEGMENT_NAME);
  const present = new Set(ids);
  // A crash between removing a segment and its ack file leaves the ack file behind.
  for (const id of idsMatching(names, ACK_NAME)) if (!present.has(id)) rmSync(ackPath(dir, id), { force: true });
  return ids;
}

export function removeSegment(dir: string, id: number): void {
  rmSync(segmentPath(dir, id), { force: true });
  rmSync(ackPath(dir, id), { force: true });
}

/**
 * Offsets acknowledged in an ack file. A damaged frame (a write torn by a crash, after which the
 * next process appended its own acks) is skipped up to the next frame: only its own offsets are
 * lost, and those events are merely sent again.
 */
export function readAcks(dir: string, id: number): Set<number> {
  const acked = new Set<number>();
  let buf: Buffer;
  try {
    buf = readFileSync(ackPath(dir, id));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return acked;
    throw error;
  }
  for (let at = 0; at < buf.length; ) {
    const read = readFrame(buf, at, buf.length);
    if (read.status !== 'ok') {
      at = nextMagic(buf, at + 1, buf.length);
      if (at < 0) break;
      continue;
    }
    for (let i = read.bodyStart; i + 4 <= read.bodyEnd; i += 4) acked.add(buf.readUInt32BE(i));
    at = read.bodyEnd;
  }
  return acked;
}

/** Appends one frame of offsets; returns the bytes it added. */
export function appendAcks(dir: string, id: number, offsets: readonly number[]): number {
  const record = frame(offsets.length * 4, (buf, at) => {
    for (const [i, offset] of offsets.entries()) buf.writeUInt32BE(offset, at + i * 4);
  });
  appendFileSync(ackPath(dir, id), record);
  return record.length;
}

function idsMatching(names: readonly string[], pattern: RegExp): number[] {
  const ids: number[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (match) ids.push(Number(match[1]));
  }
  return ids.sort((a, b) => a - b);
}

function pad(id: number): string {
  return String(id).padStart(12, '0');
}
