import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const STDERR_KEPT = 8_000;

/**
 * The chaos app running in a child process, seen through the lines it prints (see
 * fixture/load-app.ts): what it acknowledged as offered, what it stopped at, what it dropped.
 */
export class AppProcess {
  /** Highest seq such that every event up to it was offered and track() returned; -1 before any. */
  lastOffered = -1;
  /** Events offered in all, printed when shutdown began. */
  stoppedAt?: number;
  readonly dropped = new Map<string, number>();
  readonly exited: Promise<AppExit>;
  private stderr = '';
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();
  private isReady = false;
  private exit?: AppExit;

  constructor(entry: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-STDERR_KEPT)));
    const lines = createInterface({ input: this.child.stdout! });
    lines.on('line', (line) => this.onLine(line));
    // 'close' (not 'exit'): every line the process wrote has been read by then.
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
        this.notify();
      }),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get errorOutput(): string {
    return this.stderr;
  }

  ready(timeoutMs = 20_000): Promise<void> {
    return this.until(() => this.isReady, 'ready', timeoutMs);
  }

  offered(seq: number, timeoutMs = 20_000): Promise<void> {
    return this.until(() => this.lastOffered >= seq, `offered ${seq}`, timeoutMs);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Sends `signal` and waits for the process to end. */
  async stop(signal: NodeJS.Signals, timeoutMs = 45_000): Promise<AppExit> {
    this.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill('SIGKILL');
        reject(new Error(`the app did not exit within ${timeoutMs} ms of ${signal}; stderr:\n${this.stderr}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  droppedTotal(): number {
    return [...this.dropped.values()].reduce((a, b) => a + b, 0);
  }

  private onLine(line: string): void {
    const [what, a, b] = line.split(' ');
    if (what === 'ready') this.isReady = true;
    else if (what === 'offered') this.lastOffered = Math.max(this.lastOffered, Number(a));
    else if (what === 'stopped') this.stoppedAt = Number(a);
    else if (what === 'dropped' && a) this.dropped.set(a, (this.dropped.get(a) ?? 0) + Number(b));
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private until(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done()) finish(resolve);
        else if (this.exit) finish(() => reject(new Error(`the app exited before "${what}"; stderr:\n${this.stderr}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for "${what}" (last offered ${this.lastOffered}); stderr:\n${this.stderr}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }
}
