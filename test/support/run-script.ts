import { spawn } from 'node:child_process';

/**
 * Runs a compiled script in its own Node process; resolves with its exit code and stdout. A
 * script still running after `timeoutMs` is killed (code null): a synchronous loop that never
 * ends would otherwise hang the test run, which no Jest timeout can interrupt in-process.
 */
export function runScript(entry: string, args: readonly string[] = [], timeoutMs?: number): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout });
    });
  });
}
