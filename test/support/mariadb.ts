import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort, isExecutable, shellQuote } from './server-process.js';

const exec = promisify(execFile);

export interface TestMariadb {
  host: string;
  port: number;
  /** Creates an empty database and returns its name. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

const SEARCH = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];

/**
 * A throwaway MariaDB server from the machine's `mariadb-install-db`/`mariadbd`, on 127.0.0.1 and
 * a free port, without grant tables (any user, no password). Resolves to undefined (after one
 * printed line and one skipped test) only when the binaries are missing, and never under CI, where
 * their absence is a broken setup.
 */
export async function startMariadb(): Promise<TestMariadb | undefined> {
  const installDb = findBinary('mariadb-install-db');
  const server = findBinary('mariadbd');
  if (!installDb || !server) {
    const reason = 'mariadb-install-db/mariadbd not found on PATH or in /usr/sbin';
    if (process.env.CI) throw new Error(`MariaDB is required under CI but ${reason}`);
    process.stderr.write(`MariaDB tests skipped: ${reason}\n`);
    // Called as a spec file loads: Jest fails a file that registers no test, so this one says why.
    it.skip(`needs MariaDB: ${reason}`, () => undefined);
    return undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), 'jitsu-mariadb-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const port = await freePort();
  // mariadbd runs as root only when told to; the directory is the test's own.
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  try {
    await exec(installDb, ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asRoot], {
      timeout: 60_000,
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${(error as Error).message}`);
  }
  // Durability and the binary log are not what these tests measure.
  const child = spawn(
    server,
    [
      '--no-defaults',
      ...asRoot,
      `--datadir=${dataDir}`,
      `--socket=${join(dir, 'mariadb.sock')}`,
      `--pid-file=${join(dir, 'mariadb.pid')}`,
      `--log-error=${logFile}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-grant-tables',
      '--skip-log-bin',
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-buffer-pool-size=32M',
    ],
    { stdio: 'ignore' },
  );
  // Last resort when a spec dies before afterAll: a detached shell waits for this process to go,
  // then stops the server and removes its files.
  const watchdog = spawn(
    '/bin/sh',
    ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -9 ${child.pid} 2>/dev/null; rm -rf ${shellQuote(dir)}`],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const connect = () => mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
  const stop = async () => {
    watchdog.kill();
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(connect, () => child.exitCode !== null);
  } catch (error) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await stop();
    throw new Error(`mariadbd did not start: ${(error as Error).message}\n${log.slice(-2000)}`);
  }
  let databases = 0;
  return {
    host: '127.0.0.1',
    port,
    createDatabase: async () => {
      const name = `typeorm_${++databases}`;
      const connection = await connect();
      try {
        await connection.query(`CREATE DATABASE ${name}`);
      } finally {
        await connection.end();
      }
      return name;
    },
    stop,
  };
}

async function waitUntilReady(connect: () => Promise<mysql.Connection>, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const connection = await connect();
      await connection.end();
      return;
    } catch (error) {
      if (exited()) throw new Error('the server exited');
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SEARCH];
  return dirs.map((dir) => join(dir, name)).find(isExecutable);
}
