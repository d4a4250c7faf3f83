import { crc32 } from 'node:zlib';
import type { QueuedEvent } from '../transports/transport.interface.js';

/**
 * On-disk framing, shared by segment files (one event per frame) and ack files (a batch of
 * acknowledged offsets per frame):
 *
 *   magic u32 | body length u32 | CRC-32 of the body u32 | body
 *
 * The magic starts with 0xF5, a byte that never occurs in UTF-8, so it cannot appear inside an
 * event's JSON, id or table name: after damage, scanning for it resynchronises on a real frame
 * (and the CRC confirms it) instead of losing the rest of the file.
 */
export const FRAME_MAGIC = 0xf54a5301;
export const FRAME_HEADER_BYTES = 12;
/** Events are at most 1,000,000 bytes; anything claiming far more is a damaged length. */
export const MAX_FRAME_BODY_BYTES = 4 * 1024 * 1024;

const MAGIC_BYTES = Buffer.from([0xf5, 0x4a, 0x53, 0x01]);

export type FrameRead =
  | { status: 'ok'; bodyStart: number; bodyEnd: number }
  /** The frame runs past `end`: read more, or, at the end of the file, a torn write. */
  | { status: 'incomplete'; frameBytes: number }
  | { status: 'corrupt' };

/** Frames `bodyBytes` bytes written by `writeBody` into one buffer, without an extra copy. */
export function frame(bodyBytes: number, writeBody: (buf: Buffer, at: number) => void): Buffer {
  const buf = Buffer.allocUnsafe(FRAME_HEADER_BYTES + bodyBytes);
  buf.writeUInt32BE(FRAME_MAGIC, 0);
  buf.writeUInt32BE(bodyBytes, 4);
  writeBody(buf, FRAME_HEADER_BYTES);
  buf.writeUInt32BE(crc32(buf.subarray(FRAME_HEADER_BYTES)), 8);
  return buf;
}

/** Reads the frame at `at`, with `buf` valid up to `end`. */
export function readFrame(buf: Buffer, at: number, end: number): FrameRead {
  if (end - at < FRAME_HEADER_BYTES) return { status: 'incomplete', frameBytes: FRAME_HEADER_BYTES };
  if (buf.readUInt32BE(at) !== FRAME_MAGIC) return { status: 'corrupt' };
  const bodyBytes = buf.readUInt32BE(at + 4);
  if (bodyBytes > MAX_FRAME_BODY_BYTES) return { status: 'corrupt' };
  const frameBytes = FRAME_HEADER_BYTES + bodyBytes;
  if (end - at < frameBytes) return { status: 'incomplete', frameBytes };
  const bodyStart = at + FRAME_HEADER_BYTES;
  const bodyEnd = bodyStart + bodyBytes;
  if (crc32(buf.subarray(bodyStart, bodyEnd)) !== buf.readUInt32BE(at + 8)) return { status: 'corrupt' };
  return { status: 'ok', bodyStart, bodyEnd };
}

/** Where the next frame could start at or after `from` (before `end`), or -1. */
export function nextMagic(buf: Buffer, from: number, end: number): number {
  return buf.subarray(0, end).indexOf(MAGIC_BYTES, from);
}

/** One spooled event. `seq` is the pipeline's enqueue order in the process that wrote it. */
export interface SpoolRecord {
  seq: number;
  item: QueuedEvent;
}

/** Event body: seq f64 | id length u32 | id | table length u32 | table | json. */
export function encodeRecord(seq: number, item: QueuedEvent): Buffer {
  const idBytes = Buffer.byteLength(item.messageId);
  const tableBytes = Buffer.byteLength(item.table);
  return frame(16 + idBytes + tableBytes + item.bytes, (buf, at) => {
    buf.writeDoubleBE(seq, at);
    buf.writeUInt32BE(idBytes, at + 8);
    buf.write(item.messageId, at + 12, 'utf8');
    buf.writeUInt32BE(tableBytes, at + 12 + idBytes);
    buf.write(item.table, at + 16 + idBytes, 'utf8');
    buf.write(item.json, at + 16 + idBytes + tableBytes, 'utf8');
  });
}

/** The event in a body whose CRC matched; undefined if its inner lengths do not add up. */
export function decodeRecord(body: Buffer): SpoolRecord | undefined {
  const layout = recordLayout(body);
  if (!layout) return undefined;
  const json = body.toString('utf8', layout.jsonStart);
  return {
    seq: body.readDoubleBE(0),
    item: {
      messageId: body.toString('utf8', 12, 12 + layout.idBytes),
      table: body.toString('utf8', layout.tableStart, layout.jsonStart),
      json,
      bytes: body.length - layout.jsonStart,
    },
  };
}

/** The JSON size of the event in `body` without decoding its strings (for the start-up scan). */
export function recordJsonBytes(body: Buffer): number | undefined {
  const layout = recordLayout(body);
  return layout && body.length - layout.jsonStart;
}

function recordLayout(body: Buffer): { idBytes: number; tableStart: number; jsonStart: number } | undefined {
  if (body.length < 16) return undefined;
  const idBytes = body.readUInt32BE(8);
  if (12 + idBytes + 4 > body.length) return undefined;
  const tableBytes = body.readUInt32BE(12 + idBytes);
  const tableStart = 16 + idBytes;
  const jsonStart = tableStart + tableBytes;
  if (jsonStart > body.length) return undefined;
  return { idBytes, tableStart, jsonStart };
}
