import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { processIdentity } from '../../lib/spool/process-identity.js';
import { currentProcess, LOCK_FILE, SpoolLock, SpoolLockedError } from '../../lib/spool/spool-lock.js';
import { tempDirs } from './spool-test-support.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('SpoolLock', () => {
  it('writes its owner into the lock file and removes it on release', () => {
    const dir = dirs.make();
    const lock = SpoolLock.acquire(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toEqual(currentProcess());
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    SpoolLock.acquire(dir).release();
  });

  it('refuses a second instance of this process on the same directory', () => {
    const dir = dirs.make();
    const lock = SpoolLock.acquire(dir);
    expect(() => SpoolLock.acquire(dir)).toThrow(new SpoolLockedError(
      `spool.dir ${dir} is in use by another analytics instance of this process; give each instance its own directory (if no process uses it, delete ${join(dir, LOCK_FILE)})`,
    ));
    lock.release();
  });

  it('refuses a directory held by another live process, naming it', () => {
    const dir = dirs.make();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, startedAt: 1 }));
    expect(() => SpoolLock.acquire(dir)).toThrow(`is in use by process ${process.ppid}`);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.ppid);
  });

  it('takes over the lock of a process that died, and of an earlier process that had our pid', () => {
    const dir = dirs.make();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), startedAt: 1 }));
    SpoolLock.acquire(dir).release();

    const me = currentProcess();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: me.pid, startedAt: me.startedAt - 60_000 }));
    const lock = SpoolLock.acquire(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toEqual(me);
    lock.release();
  });

  describe('a lock whose pid is alive (Linux /proc)', () => {
    const parent = processIdentity(process.ppid)!;

    it('refuses it while that pid is still the process that wrote it', () => {
      const dir = dirs.make();
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, startedAt: 1, ...parent }));
      expect(() => SpoolLock.acquire(dir)).toThrow(`is in use by process ${process.ppid}`);
    });

    it.each([
      ['was started at another tick: the pid was reused after the holder died', { ...parent, startTicks: parent.startTicks + 1 }],
      ['ran in an earlier boot of the machine', { ...parent, bootId: 'b0f4a5c2-0000-4000-8000-000000000000' }],
    ])('takes it over when the live process %s', (_, identity) => {
      const dir = dirs.make();
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, startedAt: 1, ...identity }));
      const lock = SpoolLock.acquire(dir);
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toEqual(currentProcess());
      lock.release();
    });
  });

  it('lets one process at a time replace a stale lock: another one mid-takeover is waited for, a dead one cleared', () => {
    const dir = dirs.make();
    const path = join(dir, LOCK_FILE);
    writeFileSync(path, JSON.stringify({ pid: deadPid(), startedAt: 1 }));
    // A live process is replacing the stale lock right now: this one must not replace it as well.
    writeFileSync(`${path}.takeover`, JSON.stringify({ pid: process.ppid, startedAt: 1 }));
    expect(() => SpoolLock.acquire(dir)).toThrow('is being locked by another process right now');
    // The one taking over died before finishing: its marker is cleared and the lock taken.
    writeFileSync(`${path}.takeover`, JSON.stringify({ pid: deadPid(), startedAt: 1 }));
    const lock = SpoolLock.acquire(dir);
    expect(existsSync(`${path}.takeover`)).toBe(false);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(currentProcess());
    lock.release();
  });

  it("release leaves a lock that another process has taken over since", () => {
    const dir = dirs.make();
    const path = join(dir, LOCK_FILE);
    const lock = SpoolLock.acquire(dir);
    writeFileSync(path, JSON.stringify({ pid: process.ppid, startedAt: 1 }));
    lock.release();
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.ppid);
  });

  it('treats a fresh unreadable lock as being written, and an old one as stale', () => {
    const dir = dirs.make();
    const path = join(dir, LOCK_FILE);
    writeFileSync(path, '{"pid":');
    expect(() => SpoolLock.acquire(dir)).toThrow('is being locked by another process right now');
    const aMinuteAgo = new Date(Date.now() - 60_000);
    utimesSync(path, aMinuteAgo, aMinuteAgo);
    const lock = SpoolLock.acquire(dir);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(currentProcess());
    lock.release();
  });
});

describe('processIdentity', () => {
  it("reads the boot and the start tick of this process, and tells another process's apart", () => {
    const self = processIdentity('self')!;
    expect(self).toEqual({ bootId: expect.stringMatching(/^[0-9a-f-]{36}$/), startTicks: expect.any(Number) });
    expect(processIdentity(process.pid)).toEqual(self);
    const parent = processIdentity(process.ppid)!;
    expect(parent.bootId).toBe(self.bootId);
    // The parent started this process, so it started no later (in the same 10 ms tick, possibly).
    expect(parent.startTicks).toBeLessThanOrEqual(self.startTicks);
    expect(processIdentity(deadPid())).toBeUndefined();
  });

  it('counts fields after the last parenthesis, whatever the command name holds', () => {
    const root = dirs.make();
    mkdirSync(join(root, 'sys/kernel/random'), { recursive: true });
    mkdirSync(join(root, '42'));
    writeFileSync(join(root, 'sys/kernel/random/boot_id'), 'a1b2\n');
    const after = ['S', ...Array.from({ length: 18 }, (_, i) => String(i + 4)), '98765', '0'];
    writeFileSync(join(root, '42/stat'), `42 (node (worker) 1) ${after.join(' ')}\n`);
    expect(processIdentity(42, root)).toEqual({ bootId: 'a1b2', startTicks: 98765 });
    expect(processIdentity(43, root)).toBeUndefined();
  });
});
