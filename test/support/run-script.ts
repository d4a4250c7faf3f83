import { spawn } from 'node:child_process';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  /** What it wrote on stderr, when captured; otherwise it went to the test run's own stderr. */
  stderr: string;
}

/**
 * Runs a compiled script in its own Node process; resolves with its exit code and output. A
 * script still running after `timeoutMs` is killed (code null): a synchronous loop that never
 * ends would otherwise hang the test run, which no Jest timeout can interrupt in-process.
 */
export function runScript(entry: string, args: readonly string[] = [], timeoutMs?: number, { captureStderr = false } = {}): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', captureStderr ? 'pipe' : 'inherit'] });
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
