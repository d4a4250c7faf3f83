import { jest } from '@jest/globals';
import * as realFs from 'node:fs';
import type { Pending } from '../../lib/pipeline/pending-store.interface.js';
import type { DiskSpool } from '../../lib/spool/disk-spool.js';
import { segmentBytesFor } from '../../lib/spool/spool-options.resolver.js';
import { indexOf, spoolEvent, tempDirs } from './spool-test-support.js';

// A real disk cannot be told to fail one read: `readSync` fails once `failAfterReads` more reads
// have succeeded, for as long as `failure` is set; opening a segment fails with `openFailure`,
// reading an ack file with `ackFailure`.
let failure: NodeJS.ErrnoException | undefined;
let failAfterReads = 0;
let openFailure: ((path: string) => Error) | undefined;
let ackFailure: Error | undefined;
jest.unstable_mockModule('node:fs', () => ({
  ...realFs,
  readSync: (...args: Parameters<typeof realFs.readSync>) => {
    if (failure && failAfterReads-- <= 0) throw failure;
    return realFs.readSync(...args);
  },
  openSync: (...args: Parameters<typeof realFs.openSync>) => {
    if (openFailure && String(args[0]).endsWith('.seg')) throw openFailure(String(args[0]));
    return realFs.openSync(...args);
  },
  readFileSync: (...args: Parameters<typeof realFs.readFileSync>) => {
    if (ackFailure && String(args[0]).endsWith('.ack')) throw ackFailure;
    return realFs.readFileSync(...args);
  },
}));
const { DiskSpool: Spool } = await import('../../lib/spool/disk-spool.js');
const { READ_GIVE_UP_AFTER_MS } = await import('../../lib/spool/read-retry.js');

const dirs = tempDirs();
const opened: Array<DiskSpool> = [];
let clock = Date.parse('2026-11-28T08:00:00Z');
beforeEach(() => {
  failure = undefined;
  openFailure = undefined;
  ackFailure = undefined;
  jest.spyOn(Date, 'now').mockImplementation(() => clock);
});
afterEach(() => {
  jest.restoreAllMocks();
  for (const spool of opened.splice(0)) spool.close();
  dirs.cleanup();
});

function openSpool(dir: string, windowEvents: number, maxBytes = 8 * 1024 * 1024) {
  const warnings: string[] = [];
  const errors: string[] = [];
  const spool = Spool.open(
    { dir, maxBytes, fsync: 'never', segmentBytes: segmentBytesFor(maxBytes) },
    { maxEvents: windowEvents, maxBytes: 50_000_000 },
    { warn: (kind) => warnings.push(kind), error: (error) => errors.push(error.message), droppedUnidentified: (reason) => warnings.push(reason) },
  );
  opened.push(spool);
  return { spool, warnings, errors };
}

let seq = 0;
function push(spool: DiskSpool, from: number, to: number, bytes?: number): void {
  for (let i = from; i < to; i++) expect(spool.push({ item: spoolEvent(i, bytes), seq: ++seq })).toBeUndefined();
}

const indexes = (events: readonly Pending[]) => events.map((p) => indexOf(p.item));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const eio = () => Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });

describe('DiskSpool when reading its backlog back fails', () => {
  it('keeps the events counted, reads again after a wait, and hands each out once, in order', () => {
    const { spool, warnings, errors } = openSpool(dirs.make(), 10);
    push(spool, 0, 100);
    expect(indexes(spool.takeBatch(10, 10_000_000))).toEqual(range(0, 10));

    failure = eio();
    expect(spool.takeBatch(10, 10_000_000)).toEqual([]);
    expect(spool.length).toBe(90);
    expect(errors).toEqual([expect.stringContaining('could not read back the spool')]);
    expect(errors[0]).toContain('EIO');
    expect(spool.stalled).toEqual({ since: new Date(clock).toISOString(), reason: 'could not read back the spool (EIO); reading is tried again' });

    // Within the first wait (1 s) nothing is read, so the failure is not met again.
    clock += 900;
    expect(spool.peek()).toBeUndefined();
    expect(warnings).toEqual([]);
    clock += 100;
    expect(spool.peek()).toBeUndefined();
    expect(warnings).toEqual(['spool_read_failed']);

    failure = undefined;
    clock += 2000;
    const rest: Pending[] = [];
    while (spool.length > 0) rest.push(...spool.takeBatch(1000, 10_000_000));
    expect(indexes(rest)).toEqual(range(10, 100));
    expect(spool.stalled).toBeUndefined();
    expect(errors).toHaveLength(1);
  });

  it('resumes after the events it handed out before a read failed in the middle of a segment', () => {
    // 2 KB events in one 4 MiB segment: the backlog spans several 256 KiB chunks, and the second read fails.
    const { spool } = openSpool(dirs.make(), 400, 32 * 1024 * 1024);
    expect(segmentBytesFor(32 * 1024 * 1024)).toBe(4 * 1024 * 1024);
    push(spool, 0, 400, 2000);
    push(spool, 400, 700, 2000);
    expect(indexes(spool.takeBatch(400, 50_000_000))).toEqual(range(0, 400));

    failure = eio();
    failAfterReads = 1;
    const before = indexes(spool.takeBatch(400, 50_000_000));
    expect(before.length).toBeGreaterThan(50);
    expect(before).toEqual(range(400, 400 + before.length));
    expect(spool.length).toBe(300 - before.length);

    failure = undefined;
    clock += 1000;
    const after: Pending[] = [];
    while (spool.length > 0) after.push(...spool.takeBatch(1000, 50_000_000));
    expect(indexes(after)).toEqual(range(400 + before.length, 700));
  });

  it('after 10 minutes of failures leaves the backlog for the next start, and says so until then', () => {
    const dir = dirs.make();
    const first = openSpool(dir, 10);
    push(first.spool, 0, 50);
    first.spool.acknowledge(first.spool.takeBatch(10, 10_000_000));
    failure = eio();
    const start = clock;
    let attempts = 0;
    while (first.spool.length > 0 && attempts < 100) {
      first.spool.peek();
      attempts++;
      clock += 30_000;
    }
    expect(first.spool.length).toBe(0);
    expect(clock - start).toBeGreaterThanOrEqual(READ_GIVE_UP_AFTER_MS);
    expect(first.errors.at(-1)).toMatch(/^gave up reading back the spool in .* \(EIO: i\/o error, read\); its events are kept for the next start$/);
    // The first and the last failure are errors; those between are counted.
    const failures = Number(/after (\d+) attempts/.exec(first.errors.at(-1)!)![1]);
    expect(first.errors).toHaveLength(2);
    expect(first.warnings.filter((w) => w === 'spool_read_failed')).toHaveLength(failures - 2);
    const leftBehind = { since: new Date(start).toISOString(), reason: 'could not read back the spool (EIO); part of it is left for the next start' };
    expect(first.spool.stalled).toEqual(leftBehind);

    // What is spooled after giving up is read as usual (the window takes 10, the rest goes to disk).
    failure = undefined;
    push(first.spool, 50, 70);
    const later: Pending[] = [];
    while (first.spool.length > 0) later.push(...first.spool.takeBatch(1000, 10_000_000));
    expect(indexes(later)).toEqual(range(50, 70));
    first.spool.acknowledge(later);
    expect(first.spool.stalled).toEqual(leftBehind);
    first.spool.close();

    failure = undefined;
    const next = openSpool(dir, 10);
    const again: Pending[] = [];
    while (next.spool.length > 0) again.push(...next.spool.takeBatch(1000, 10_000_000));
    expect(indexes(again)).toEqual(range(10, 50));
  });

  it('reports damage it passed before a read failed in the middle of a segment', () => {
    const dir = dirs.make();
    const { spool, warnings } = openSpool(dir, 400, 32 * 1024 * 1024);
    push(spool, 0, 400, 2000);
    push(spool, 400, 700, 2000);
    spool.takeBatch(400, 50_000_000);
    // Damage one event early in the backlog, inside the first 256 KiB chunk the next read takes.
    const segment = `${dir}/${realFs.readdirSync(dir).find((name) => name.endsWith('.seg'))}`;
    const frameBytes = realFs.statSync(segment).size / 700;
    const fd = realFs.openSync(segment, 'r+');
    realFs.writeSync(fd, Buffer.from('XXXXXXXX'), 0, 8, 420 * frameBytes + 40);
    realFs.closeSync(fd);
    failure = eio();
    failAfterReads = 1;
    spool.takeBatch(400, 50_000_000);
    expect(warnings).toEqual(['spool_corrupt']);
    failure = undefined;
    clock += 1000;
    while (spool.length > 0) spool.takeBatch(1000, 50_000_000);
    // Met once, not again when reading resumed after it; its event is counted as lost.
    expect(warnings).toEqual(['spool_corrupt', 'spool_lost']);
  });

  it('closes the segment it opened when its ack file cannot be read, at every attempt', () => {
    const dir = dirs.make();
    const first = openSpool(dir, 10);
    push(first.spool, 0, 50);
    first.spool.acknowledge(first.spool.takeBatch(10, 10_000_000));
    first.spool.close();
    // The next start reads the acks of what the first left.
    const next = openSpool(dir, 10);
    const openFiles = () => realFs.readdirSync('/proc/self/fd').length;
    ackFailure = eio();
    const before = openFiles();
    for (let i = 0; i < 8; i++) {
      expect(next.spool.peek()).toBeUndefined();
      clock += 61_000;
    }
    expect(openFiles()).toBe(before);
    ackFailure = undefined;
    const rest: Pending[] = [];
    while (next.spool.length > 0) rest.push(...next.spool.takeBatch(1000, 10_000_000));
    expect(indexes(rest)).toEqual(range(10, 50));
  });

  it('says which error stopped it, never the path that error names (health may be public)', () => {
    const dir = dirs.make();
    const { spool, errors } = openSpool(dir, 10);
    push(spool, 0, 50);
    spool.acknowledge(spool.takeBatch(10, 10_000_000));
    openFailure = (path) => Object.assign(new Error(`EMFILE: too many open files, open '${path}'`), { code: 'EMFILE', path });
    expect(spool.peek()).toBeUndefined();
    expect(spool.stalled?.reason).toBe('could not read back the spool (EMFILE); reading is tried again');
    // The log line, for the operator, keeps the whole message.
    expect(errors[0]).toContain(dir);
  });
});
