import { spawn } from 'node:child_process';
import { compileSources } from '../chaos/support/compile-sources.js';

function runScript(entry: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout }));
  });
}

describe('flush() in a script', () => {
  it('keeps the process alive through a retry until the event is delivered, then lets it exit', async () => {
    const build = await compileSources('test/pipeline/fixture/flush-script.ts');
    try {
      const { code, stdout } = await runScript(build.entry);
      expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: JSON.stringify({ flushed: true, sent: 1, calls: 2 }) });
    } finally {
      build.remove();
    }
  });
});
