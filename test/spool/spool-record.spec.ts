import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFrames } from '../../lib/spool/frame-reader.js';
import {
  decodeRecord,
  encodeRecord,
  FRAME_HEADER_BYTES,
  frame,
  nextMagic,
  readFrame,
  recordJsonBytes,
} from '../../lib/spool/spool-record.js';
import { spoolEvent, tempDirs } from './spool-test-support.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** Writes `frames` to a file and reads them back with readFrames; returns the offsets visited and the outcome. */
function readBack(bytes: Buffer, stopAfter = Infinity) {
  const path = join(dirs.make(), 'segment');
  writeFileSync(path, bytes);
  const fd = openSync(path, 'r');
  try {
    const seen: Array<{ offset: number; i: number }> = [];
    const outcome = readFrames(fd, 0, bytes.length, (body, offset) => {
      seen.push({ offset, i: JSON.parse(decodeRecord(body)!.item.json).i });
      return seen.length < stopAfter;
    });
    return { seen, ...outcome };
  } finally {
    closeSync(fd);
  }
}

describe('spool record framing', () => {
  it('round-trips an event, its seq and non-ASCII JSON exactly', () => {
    const item = spoolEvent(7, 300, 'payment_events');
    const record = decodeRecord(encodeRecord(123_456, item).subarray(FRAME_HEADER_BYTES))!;
    expect(record).toEqual({ seq: 123_456, item });
    expect(recordJsonBytes(encodeRecord(1, item).subarray(FRAME_HEADER_BYTES))).toBe(item.bytes);
  });

  it('tells a whole frame from a short one, a bad magic, an absurd length and a bad CRC', () => {
    const good = encodeRecord(1, spoolEvent(1));
    expect(readFrame(good, 0, good.length)).toMatchObject({ status: 'ok', bodyEnd: good.length });
    expect(readFrame(good, 0, good.length - 1)).toEqual({ status: 'incomplete', frameBytes: good.length });
    expect(readFrame(good, 0, 5)).toEqual({ status: 'incomplete', frameBytes: FRAME_HEADER_BYTES });

    const badMagic = Buffer.from(good);
    badMagic[0] = 0x00;
    expect(readFrame(badMagic, 0, good.length).status).toBe('corrupt');
    const hugeLength = Buffer.from(good);
    hugeLength.writeUInt32BE(0xffffffff, 4);
    expect(readFrame(hugeLength, 0, good.length).status).toBe('corrupt');
    const flipped = Buffer.from(good);
    flipped[good.length - 3] ^= 0x01;
    expect(readFrame(flipped, 0, good.length).status).toBe('corrupt');
  });

  it('never finds the magic inside event JSON, only at frame starts', () => {
    const a = encodeRecord(1, spoolEvent(1, 500));
    const b = encodeRecord(2, spoolEvent(2, 500));
    const both = Buffer.concat([a, b]);
    expect(nextMagic(both, 1, both.length)).toBe(a.length);
    expect(nextMagic(both, a.length + 1, both.length)).toBe(-1);
  });

  it('rejects a body whose inner lengths do not add up, even with a valid CRC', () => {
    const body = frame(20, (buf, at) => {
      buf.fill(0, at, at + 20);
      buf.writeUInt32BE(1000, at + 8);
    });
    expect(decodeRecord(body.subarray(FRAME_HEADER_BYTES))).toBeUndefined();
    expect(recordJsonBytes(body.subarray(FRAME_HEADER_BYTES))).toBeUndefined();
  });
});

describe('readFrames', () => {
  const frames = (from: number, to: number, bytes = 150) =>
    Array.from({ length: to - from }, (_, k) => encodeRecord(from + k, spoolEvent(from + k, bytes)));

  it('reads every frame in order, including frames larger than its read chunk', () => {
    const list = [...frames(0, 3), ...frames(3, 5, 700_000), ...frames(5, 8)];
    const result = readBack(Buffer.concat(list));
    expect(result.seen.map((s) => s.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(result.damaged).toBe(0);
    let offset = 0;
    expect(result.seen.map((s) => s.offset)).toEqual(list.map((f) => ((offset += f.length), offset - f.length)));
  });

  it('skips a torn tail (a write cut short by a crash) and counts it once', () => {
    const list = frames(0, 10);
    const whole = Buffer.concat(list);
    const torn = whole.subarray(0, whole.length - Math.floor(list[9]!.length / 2));
    const result = readBack(torn);
    expect(result.seen.map((s) => s.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(result.damaged).toBe(1);
    expect(result.next).toBe(torn.length);
  });

  it('resynchronises after damage in the middle, losing only the damaged frames', () => {
    const list = frames(0, 10);
    const whole = Buffer.concat(list);
    const start = list.slice(0, 4).reduce((n, f) => n + f.length, 0);
    whole[start + 40] ^= 0xff;
    whole.writeUInt32BE(5, start + 4 + list[4]!.length);
    const result = readBack(whole);
    expect(result.seen.map((s) => s.i)).toEqual([0, 1, 2, 3, 6, 7, 8, 9]);
    expect(result.damaged).toBe(1);
  });

  it('survives garbage with no frame at all, and a file shorter than expected', () => {
    const garbage = Buffer.alloc(600_000, 0x5a);
    const result = readBack(Buffer.concat([frames(0, 1)[0]!, garbage, frames(1, 2)[0]!]));
    expect(result.seen.map((s) => s.i)).toEqual([0, 1]);
    expect(result.damaged).toBe(1);

    const path = join(dirs.make(), 'short');
    const one = frames(0, 2);
    writeFileSync(path, Buffer.concat(one));
    const fd = openSync(path, 'r');
    const seen: number[] = [];
    const outcome = readFrames(fd, 0, 10_000, (body) => (seen.push(decodeRecord(body)!.seq), true));
    closeSync(fd);
    expect(seen).toEqual([0, 1]);
    // Past the missing bytes: a reader resuming at the file's end would find nothing there, for ever.
    expect(outcome).toEqual({ next: 10_000, damaged: 0, cut: true });
  });

  it('counts damage that runs into a cut as part of the cut, and damage before it on its own', () => {
    const list = frames(0, 4);
    const whole = Buffer.concat([...list, Buffer.alloc(3000, 0x5a)]);
    // Frame 1's CRC no longer matches: one damaged region, then frames 2 and 3, then garbage to the end.
    whole[list[0]!.length + 40] ^= 0xff;
    const path = join(dirs.make(), 'cut-in-damage');
    writeFileSync(path, whole);
    const fd = openSync(path, 'r');
    const seen: number[] = [];
    // The file was meant to be longer: another process cut it inside the trailing garbage.
    const outcome = readFrames(fd, 0, whole.length + 5000, (body) => (seen.push(decodeRecord(body)!.seq), true));
    closeSync(fd);
    expect(seen).toEqual([0, 2, 3]);
    expect(outcome).toEqual({ next: whole.length + 5000, damaged: 1, cut: true });
  });

  it('tells the visitor where the next frame starts, so a reader can resume after what it was handed', () => {
    const list = frames(0, 4);
    const path = join(dirs.make(), 'next-offsets');
    writeFileSync(path, Buffer.concat(list));
    const fd = openSync(path, 'r');
    const pairs: Array<[number, number]> = [];
    readFrames(fd, 0, Buffer.concat(list).length, (_body, offset, next) => (pairs.push([offset, next]), true));
    closeSync(fd);
    let at = 0;
    expect(pairs).toEqual(list.map((f) => [at, (at += f.length)]));
  });

  it('stops where the visitor says and resumes from the returned offset', () => {
    const list = frames(0, 6);
    const bytes = Buffer.concat(list);
    const first = readBack(bytes, 2);
    expect(first.seen.map((s) => s.i)).toEqual([0, 1]);
    expect(first.next).toBe(list[0]!.length + list[1]!.length);
  });
});
