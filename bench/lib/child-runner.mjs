// Runs one benchmark row in a fresh process and collects the result it sends over IPC. A row
// that hangs is killed at `timeoutMs` (its own pid only) and reported as timed out, with the last
// progress it sent. A peer SDK may
// print a line per failed event: output is counted and its last lines kept, not echoed.
import { fork } from 'node:child_process';

export function runChild(script, { args = [], env = {}, timeoutMs = 60_000, execArgv = [] } = {}) {
  return new Promise((resolve) => {
    const child = fork(script, args, {
      env: { ...process.env, ...env },
      execArgv: ['--expose-gc', ...execArgv],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let result;
    let progress;
    let timedOut = false;
    let lines = 0;
    let tail = [];
    const collect = (chunk) => {
      const text = chunk.toString('utf8');
      const parts = text.split('\n').filter((l) => l.trim() !== '');
      lines += parts.length;
      tail = [...tail, ...parts].slice(-5);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('message', (message) => {
      if (message?.type === 'result') result = message.result;
      else if (message?.type === 'progress') progress = message.progress;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ result, progress, timedOut, exitCode: code, signal, outputLines: lines, outputTail: tail.map((l) => l.slice(0, 200)) });
    });
  });
}

/** In the child: the state so far, kept by the parent in case the row is killed later. */
export function sendProgress(progress) {
  process.send?.({ type: 'progress', progress });
}

/** In the child: hands the result to the parent and exits once it is sent. */
export function sendResult(result) {
  process.send({ type: 'result', result }, () => process.exit(0));
}
