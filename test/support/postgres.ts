import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, isExecutable, shellQuote } from './server-process.js';

const exec = promisify(execFile);

export interface TestPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Stops the server but keeps its data: the "database is down" state. */
  pause(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  resume(): Promise<void>;
}

const DEBIAN_ROOT = '/usr/lib/postgresql';
const SYSTEM_USER = 'postgres';

/**
 * A throwaway PostgreSQL cluster from the machine's `initdb`/`pg_ctl`, listening on 127.0.0.1 on a
 * free port with trust auth. Resolves to undefined (after one printed line and one skipped test)
 * only when the binaries are missing, and never under CI, where their absence is a broken setup.
 */
export async function startPostgres(): Promise<TestPostgres | undefined> {
  const binDir = findPostgresBinDir();
  if (!binDir) {
    const reason = `initdb/pg_ctl not found on PATH or under ${DEBIAN_ROOT}/*/bin`;
    if (process.env.CI) throw new Error(`PostgreSQL is required under CI but ${reason}`);
    process.stderr.write(`PostgreSQL tests skipped: ${reason}\n`);
    // Called as a spec file loads: Jest fails a file that registers no test, so this one says why.
    it.skip(`needs PostgreSQL: ${reason}`, () => undefined);
    return undefined;
  }
  const runAs = await runner();
  const dir = await mkdtemp(join(tmpdir(), 'jitsu-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (runAs.uid !== undefined) await chown(dir, runAs.uid, runAs.gid!);
  const port = await freePort();
  const run = (file: string, args: string[]) => {
    const [command, argv] = runAs.command(join(binDir, file), args);
    return exec(command, argv, { cwd: dir, timeout: 60_000 });
  };
  const pgCtl = (...args: string[]) => run('pg_ctl', ['-D', dataDir, ...args]);
  // Last resort when a spec dies before afterAll (Jest's sandboxed `process` never sees 'exit'):
  // a detached shell waits for this process to go, then stops the server and removes its files.
  const stopOnDeath = () => {
    const [command, argv] = runAs.command(join(binDir, 'pg_ctl'), ['-D', dataDir, 'stop', '-m', 'immediate']);
    const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${[command, ...argv].map(shellQuote).join(' ')}; rm -rf ${shellQuote(dir)}`;
    const watchdog = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
    watchdog.unref();
    return watchdog;
  };
  const start = async () => {
    // fsync off: the cluster is disposable, and durability is not what these tests measure.
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await pgCtl('start', '-w', '-t', '30', '-l', logFile, '-o', options).catch(async (error: unknown) => {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new Error(`pg_ctl start failed: ${(error as Error).message}\n${log.slice(-2000)}`);
    });
  };
  const halt = () => pgCtl('stop', '-w', '-m', 'fast');

  try {
    await run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    await start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const watchdog = stopOnDeath();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    pause: async () => {
      await halt();
      running = false;
    },
    resume: async () => {
      await start();
      running = true;
    },
    stop: async () => {
      watchdog.kill();
      if (running) await halt().catch(() => undefined);
      running = false;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The directory holding both binaries: PATH first, then the newest Debian version. */
function findPostgresBinDir(): string | undefined {
  const hasBoth = (dir: string) => isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'pg_ctl'));
  const fromPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean).find(hasBoth);
  if (fromPath) return fromPath;
  if (!existsSync(DEBIAN_ROOT)) return undefined;
  const versions = readdirSync(DEBIAN_ROOT)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(DEBIAN_ROOT, v, 'bin')).find(hasBoth);
}

interface Runner {
  uid?: number;
  gid?: number;
  /** The command line that runs `file args` as the right user. */
  command(file: string, args: string[]): [string, string[]];
}

/** initdb and postgres refuse to run as root: there, run them as the `postgres` system user. */
async function runner(): Promise<Runner> {
  if (process.getuid?.() !== 0) return { command: (file, args) => [file, args] };
  const id = async (flag: string) => Number((await exec('id', [flag, SYSTEM_USER])).stdout.trim());
  const ids = await Promise.all([id('-u'), id('-g')]).catch(() => {
    throw new Error(`Running as root, but there is no '${SYSTEM_USER}' user to run PostgreSQL as (apt-get install postgresql creates it)`);
  });
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find(isExecutable);
  return {
    uid: ids[0],
    gid: ids[1],
    command: (file, args) =>
      runuser
        ? [runuser, ['-u', SYSTEM_USER, '--', file, ...args]]
        : ['su', [SYSTEM_USER, '-s', '/bin/sh', '-c', [file, ...args].map(shellQuote).join(' ')]],
  };
}
