import { type ChildProcess, spawn } from 'node:child_process';
import { SAMPLE_APP_MAIN, REPO_ROOT } from './build-freshness.js';

/** Settings a developer's shell may hold that would change what the app does under test. */
const INHERITED_SETTINGS = /^(PORT|DATA_DIR|DATABASE_URL|WEATHER_API_URL|SERVICE_NAME|NODE_ENV|JITSU_.*|ANALYTICS_.*)$/;

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The built sample app (`node dist/sample-app/main.js`) as a real child process on a free port
 * (`PORT=0`; the port is read from its startup log). Its output is kept for assertions.
 */
export class SampleAppProcess {
  private output = '';
  private readonly exited: Promise<AppExit>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    output: string,
  ) {
    this.output = output;
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(env: Record<string, string>, timeoutMs = 30_000): Promise<SampleAppProcess> {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !INHERITED_SETTINGS.test(name)));
    const child = spawn(process.execPath, [SAMPLE_APP_MAIN], {
      cwd: REPO_ROOT,
      env: { ...clean, NO_COLOR: '1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`the sample app did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on http:\/\/localhost:(\d+)/.exec(output);
        if (match) done(() => resolve(Number(match[1])));
      };
      const onExit = (code: number | null) => fail(new Error(`the sample app exited (code ${code}) before listening:\n${output}`));
      const done = (then: () => void) => {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.off('exit', onExit);
        then();
      };
      const fail = (error: Error) =>
        done(() => {
          child.kill('SIGKILL');
          reject(error);
        });
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', onExit);
    });
    return new SampleAppProcess(child, port, output);
  }

  get url(): string {
    return `http://localhost:${this.port}`;
  }

  get log(): string {
    return this.output;
  }

  /** Sends `signal` and waits for the process to end; kills it (and fails) if it hangs. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<AppExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`the sample app did not exit within ${timeoutMs} ms of ${signal}:\n${this.output}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, hung]);
    } finally {
      clearTimeout(timer);
    }
  }
}
