import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const OUTPUT_KEPT = 8_000;

/**
 * An app run by Node in a child process, for an app Jest cannot load. It prints `ready <url>`
 * once it listens; the end of its stdout and stderr is kept.
 */
export class ListeningAppProcess {
  private stderr = '';
  private stdout = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  private constructor(entry: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-OUTPUT_KEPT)));
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout = (this.stdout + chunk.toString()).slice(-OUTPUT_KEPT)));
    // 'close' rather than 'exit': the app's last output has been read by then.
    this.exited = new Promise((resolve) => this.child.once('close', resolve));
  }

  /** Starts the app and resolves with it, and its URL, once it is ready. */
  static async start(entry: string, env: Record<string, string>, timeoutMs = 20_000): Promise<{ app: ListeningAppProcess; url: string }> {
    const app = new ListeningAppProcess(entry, env);
    const lines = createInterface({ input: app.child.stdout! });
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<string>((resolve) => lines.on('line', (line) => line.startsWith('ready ') && resolve(line.slice('ready '.length))));
    const failed = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${entry} printed no ready line within ${timeoutMs} ms`)), timeoutMs);
      void app.exited.then((code) => reject(new Error(`${entry} exited (${code}) before it was ready`)));
    });
    try {
      return { app, url: await Promise.race([ready, failed]) };
    } catch (error) {
      app.child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}; stderr:\n${app.stderr}`);
    } finally {
      clearTimeout(timer);
    }
  }

  get errorOutput(): string {
    return this.stderr;
  }

  /** The end of what it printed on stdout (Nest's logger writes all but errors there). */
  get output(): string {
    return this.stdout;
  }

  /** Resolves with the exit code once the app has ended on its own. */
  whenExited(): Promise<number | null> {
    return this.exited;
  }

  /** SIGTERM; resolves with the exit code once the app has shut down. */
  stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exited;
  }
}
