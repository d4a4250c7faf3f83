import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './build-freshness.js';

/** The comment that marks, in README.md, the block of requests this test runs as written. */
export const BLOCK_MARKER = '<!-- sample-app-requests:';
export const README_ORIGIN = 'http://localhost:3001';

export interface ReadmeRequest {
  method: string;
  /** Path and query, e.g. `/api/weather?city=Berlin`. */
  target: string;
  command: string;
}

export function readReadme(): string {
  return readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
}

/** The bash block right after the marker comment, exactly as the README shows it. */
export function requestBlock(readme: string): string {
  const at = readme.indexOf(BLOCK_MARKER);
  if (at < 0) throw new Error(`README.md has no "${BLOCK_MARKER} ..." comment before the sample app's requests`);
  const match = /```bash\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!match) throw new Error('README.md: no ```bash block after the sample-app-requests marker');
  return match[1]!;
}

/** Shell commands of a block, with `\`-continued lines joined. */
export function commands(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The HTTP request a curl command makes against the sample app (method from `-X`, `-F` or GET). */
export function requestOf(command: string): ReadmeRequest | undefined {
  const url = new RegExp(`${README_ORIGIN.replace(/[.:/]/g, '\\$&')}[^\\s'"]*`).exec(command)?.[0];
  if (!url || !/\bcurl\b/.test(command)) return undefined;
  const method = /\s-X\s+([A-Z]+)/.exec(command)?.[1] ?? (/\s-F\s/.test(command) ? 'POST' : 'GET');
  const target = url.slice(README_ORIGIN.length);
  return { method, target, command };
}

/** Every curl command in the whole README that talks to the sample app. */
export function everySampleAppCommand(readme: string): string[] {
  const blocks = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap(commands).filter((command) => requestOf(command) !== undefined);
}

export interface BlockRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the block with bash from the repository root (the upload reads `package.json` from
 * there), with the README's origin pointed at the app under test. `epilogue` is appended after
 * the block, e.g. to hand a shell variable back to the test.
 */
export function runBlock(block: string, appUrl: string, epilogue = '', timeoutMs = 60_000): Promise<BlockRun> {
  const script = `set -e\n${block.replaceAll(README_ORIGIN, appUrl)}\n${epilogue}\n`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the README's requests did not finish within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}
