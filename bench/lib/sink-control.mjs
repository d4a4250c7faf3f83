// Starting the sink process (parent side) and reading its counters (from any process).
import { fork } from 'node:child_process';
import http from 'node:http';

const SINK_SCRIPT = new URL('./sink-process.mjs', import.meta.url);

/** Forks a sink in `mode`; resolves with its URLs and a `stop()`. */
export function startSink(mode = 'healthy') {
  const child = fork(SINK_SCRIPT, [mode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sink exited early (${code})`)));
    child.once('message', ({ port, controlPort }) => {
      child.removeAllListeners('exit');
      resolve({
        url: `http://127.0.0.1:${port}`,
        controlUrl: `http://127.0.0.1:${controlPort}`,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.disconnect();
            setTimeout(() => child.kill('SIGKILL'), 2000).unref();
          }),
      });
    });
  });
}

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}

export const resetSink = (controlUrl) => get(`${controlUrl}/reset`);
export const sinkStats = (controlUrl) => get(`${controlUrl}/stats`);
