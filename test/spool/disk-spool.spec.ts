import { appendFileSync, closeSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import type { Pending } from '../../lib/pipeline/pending-store.interface.js';
import { DiskSpool } from '../../lib/spool/disk-spool.js';
import type { SpoolWindow } from '../../lib/spool/spool-queue.js';
import { LOCK_FILE } from '../../lib/spool/spool-lock.js';
import { segmentBytesFor } from '../../lib/spool/spool-options.resolver.js';
import type { SpoolFsyncPolicy } from '../../lib/spool/spool.options.js';
import { indexOf, spoolEvent, tempDirs } from './spool-test-support.js';

const dirs = tempDirs();
const open: DiskSpool[] = [];
afterEach(() => {
  for (const spool of open.splice(0)) spool.close();
  dirs.cleanup();
});

interface OpenOptions {
  maxBytes?: number;
  fsync?: SpoolFsyncPolicy;
  window?: SpoolWindow;
}

function openSpool(dir: string, { maxBytes = 8 * 1024 * 1024, fsync = 'never', window = { maxEvents: 10_000, maxBytes: 10_000_000 } }: OpenOptions = {}) {
  const warnings: string[] = [];
  const errors: Error[] = [];
  const spool = DiskSpool.open(
    { dir, maxBytes, fsync, segmentBytes: segmentBytesFor(maxBytes) },
    window,
    { warn: (kind) => warnings.push(kind), error: (error) => errors.push(error), droppedUnidentified: (reason) => warnings.push(reason) },
  );
  open.push(spool);
  return { spool, warnings, errors };
}

let seq = 0;
function push(spool: DiskSpool, from: number, to: number, bytes?: number): void {
  for (let i = from; i < to; i++) expect(spool.push({ item: spoolEvent(i, bytes), seq: ++seq })).toBeUndefined();
}

function takeAll(spool: DiskSpool, batch = 1000): Pending[] {
  const taken: Pending[] = [];
  while (spool.length > 0) taken.push(...spool.takeBatch(batch, 10_000_000));
  return taken;
}

const indexes = (events: readonly Pending[]) => events.map((p) => indexOf(p.item));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const files = (dir: string, ext: string) => readdirSync(dir).filter((f) => f.endsWith(ext)).sort();

/** The directory as a process killed right now would leave it (its lock then belongs to a dead process). */
function crashImage(dir: string): string {
  const image = dirs.make();
  cpSync(dir, image, { recursive: true });
  rmSync(join(image, LOCK_FILE));
  return image;
}

describe('DiskSpool', () => {
  it.each<SpoolFsyncPolicy>(['always', 'interval', 'never'])('hands events back in push order, from memory and from disk alike (fsync %s)', (fsync) => {
    const dir = dirs.make();
    const { spool } = openSpool(dir, { fsync, window: { maxEvents: 10, maxBytes: 1_000_000 } });
    const first = seq + 1;
    push(spool, 0, 100);
    expect(spool.length).toBe(100);
    expect(spool.inMemory).toBe(10);
    expect(files(dir, '.seg')).toHaveLength(1);
    const taken: Pending[] = [];
    while (spool.length > 0) {
      taken.push(...spool.takeBatch(30, 1_000_000));
      expect(spool.inMemory).toBeLessThanOrEqual(30);
    }
    expect(indexes(taken)).toEqual(range(0, 100));
    expect(taken.map((p) => p.seq)).toEqual(range(first, first + 100));
    expect(taken.map((p) => p.item)).toEqual(range(0, 100).map((i) => spoolEvent(i)));
  });

  it('removes a segment once every event in it is acknowledged, and not before', () => {
    const dir = dirs.make();
    const { spool } = openSpool(dir, { maxBytes: 256 * 1024 });
    push(spool, 0, 1000);
    const segments = files(dir, '.seg');
    expect(segments.length).toBeGreaterThan(3);
    const taken = takeAll(spool);
    const firstSegment = taken.filter((p) => (p as Pending & { segment: number }).segment === Number(segments[0]!.slice(0, 12)));
    expect(firstSegment.length).toBeGreaterThan(10);
    spool.acknowledge(firstSegment.slice(0, -1));
    expect(files(dir, '.seg')[0]).toBe(segments[0]);
    expect(files(dir, '.ack')).toContain(segments[0]!.replace('.seg', '.ack'));
    spool.acknowledge(firstSegment.slice(-1));
    expect(files(dir, '.seg')).not.toContain(segments[0]);
    expect(files(dir, '.ack')).not.toContain(segments[0]!.replace('.seg', '.ack'));

    spool.acknowledge(taken.slice(firstSegment.length));
    expect(files(dir, '.seg')).toEqual([segments.at(-1)]);
    spool.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('after a crash, resends only what was not acknowledged, oldest first and ahead of new events', () => {
    const dir = dirs.make();
    const { spool } = openSpool(dir);
    push(spool, 0, 50);
    spool.acknowledge(spool.takeBatch(20, 1_000_000));
    spool.takeBatch(10, 1_000_000);
    const image = crashImage(dir);

    const { spool: restarted, warnings } = openSpool(image);
    expect(restarted.length).toBe(30);
    push(restarted, 50, 51);
    const taken = takeAll(restarted, 7);
    expect(indexes(taken)).toEqual(range(20, 51));
    expect(taken.slice(0, 30).every((p) => p.seq === 0)).toBe(true);
    expect(taken[30]!.seq).toBe(seq);
    expect(warnings).toEqual([]);
  });

  it('keeps undelivered events at close for the next start', () => {
    const dir = dirs.make();
    const { spool } = openSpool(dir);
    push(spool, 0, 10);
    spool.acknowledge(spool.takeBatch(4, 1_000_000));
    spool.takeBatch(2, 1_000_000);
    expect(spool.drainAll()).toEqual([]);
    spool.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const { spool: next } = openSpool(dir);
    expect(indexes(takeAll(next))).toEqual(range(4, 10));
  });

  it('skips a torn tail left by a crash mid-write, counting it, and loses nothing before it', () => {
    const dir = dirs.make();
    const { spool } = openSpool(dir);
    push(spool, 0, 10);
    const image = crashImage(dir);
    const [segment] = files(image, '.seg');
    const path = join(image, segment!);
    truncateSync(path, readFileSync(path).length - 7);

    const { spool: restarted, warnings } = openSpool(image);
    expect(warnings).toEqual(['spool_corrupt']);
    expect(restarted.length).toBe(9);
    expect(indexes(takeAll(restarted))).toEqual(range(0, 9));
  });

  it('reads the acks written after a torn ack frame, so only undelivered events are sent again', () => {
    const dir = dirs.make();
    const { spool } = openSpool(dir);
    push(spool, 0, 30);
    spool.acknowledge(spool.takeBatch(10, 1_000_000));
    const first = crashImage(dir);
    const ack = join(first, files(first, '.ack')[0]!);
    // A crash cut the next ack write short.
    appendFileSync(ack, readFileSync(ack).subarray(0, 7));

    const { spool: second } = openSpool(first);
    expect(second.length).toBe(20);
    second.acknowledge(second.takeBatch(5, 1_000_000));
    const { spool: third, warnings } = openSpool(crashImage(first));
    expect(indexes(takeAll(third))).toEqual(range(15, 30));
    expect(warnings).toEqual([]);
  });

  it('starts despite a leftover segment it cannot read: leaves it in place, warns, and sends the rest', () => {
    const dir = dirs.make();
    const { spool } = openSpool(dir);
    push(spool, 0, 10);
    const image = crashImage(dir);
    // Reading it fails (EISDIR) as an unreadable file or a failing disk would.
    const unreadable = join(image, '000000000005.seg');
    mkdirSync(unreadable);

    const { spool: restarted, warnings } = openSpool(image);
    expect(warnings).toEqual(['spool_unreadable']);
    push(restarted, 10, 12);
    expect(indexes(takeAll(restarted))).toEqual(range(0, 12));
    expect(existsSync(unreadable)).toBe(true);
    expect(files(image, '.seg').at(-1)! > '000000000005.seg').toBe(true);
  });

  it('loses only the damaged event when a record in the middle is corrupt', () => {
    const dir = dirs.make();
    const { spool } = openSpool(dir);
    push(spool, 0, 10, 200);
    const image = crashImage(dir);
    const path = join(image, files(image, '.seg')[0]!);
    const bytes = readFileSync(path);
    const fifth = bytes.indexOf('"i":4');
    bytes[fifth + 4] = '7'.charCodeAt(0);
    writeFileSync(path, bytes);

    const { spool: restarted, warnings } = openSpool(image);
    expect(warnings).toEqual(['spool_corrupt']);
    expect(indexes(takeAll(restarted))).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);
  });

  it('refuses events beyond maxBytes as spool_full, and takes them again once delivered segments are removed', () => {
    const dir = dirs.make();
    const maxBytes = 64 * 1024;
    const { spool } = openSpool(dir, { maxBytes });
    let i = 0;
    for (; ; i++) {
      const refused = spool.push({ item: spoolEvent(i, 400), seq: ++seq });
      if (refused) {
        expect(refused.reason).toBe('spool_full');
        expect(refused.detail).toContain(`spool.maxBytes is ${maxBytes}`);
        break;
      }
    }
    expect(i).toBeGreaterThan(100);
    expect(spool.bytesOnDisk).toBeLessThanOrEqual(maxBytes);
    const total = () => readdirSync(dir).reduce((n, f) => n + readFileSync(join(dir, f)).length, 0);
    expect(spool.bytesOnDisk).toBe(total() - readFileSync(join(dir, LOCK_FILE)).length);
    spool.acknowledge(takeAll(spool));
    expect(spool.bytesOnDisk).toBeLessThan(maxBytes / 4);
    expect(spool.push({ item: spoolEvent(i, 400), seq: ++seq })).toBeUndefined();
  });

  it('counts a failed write as spool_failed, and the segment stays readable', () => {
    const dir = dirs.make();
    const { spool } = openSpool(dir);
    push(spool, 0, 3);
    const writer = (spool as unknown as { writer: { fd: number } }).writer;
    closeSync(writer.fd);
    const refused = spool.push({ item: spoolEvent(3), seq: ++seq });
    expect(refused).toEqual({ reason: 'spool_failed', detail: expect.stringContaining('EBADF') });
    expect(indexes(takeAll(spool))).toEqual([0, 1, 2]);
    writer.fd = undefined as unknown as number;
  });

  it('refuses a directory another instance holds, or one it cannot create, with a config error', () => {
    const dir = dirs.make();
    openSpool(dir);
    expect(() => openSpool(dir)).toThrow(AnalyticsConfigError);
    expect(() => openSpool(dir)).toThrow(`spool.dir ${dir} is in use by another analytics instance of this process`);

    const file = join(dirs.make(), 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => openSpool(join(file, 'spool'))).toThrow(/spool\.dir: cannot use .*not-a-dir\/spool \(ENOTDIR.*expected a writable directory/);
  });
});
