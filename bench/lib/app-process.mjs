// Starts the fixture app in one variant as its own process and talks to it over IPC.
import { fork } from 'node:child_process';

const APP = new URL('../fixtures/products-app.mjs', import.meta.url);

export function startApp(variant, sinkUrl, env = {}) {
  // The app's stdout (Nest's log lines) goes to stderr: stdout is the benchmark's report.
  const child = fork(APP, [variant, sinkUrl], { env: { ...process.env, ...env }, stdio: ['ignore', 2, 'inherit', 'ipc'] });
  const next = (type) =>
    new Promise((resolve, reject) => {
      const onMessage = (message) => {
        if (message?.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      };
      const onExit = (code) => reject(new Error(`fixture app (${variant}) exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  return next('ready').then(({ port }) => ({
    variant,
    url: `http://127.0.0.1:${port}/api/products`,
    stats: () => {
      const reply = next('stats');
      child.send({ type: 'stats' });
      return reply;
    },
    /** Delivers what the app's SDK still holds (between runs); resolves once done. */
    flush: () => {
      const reply = next('flushed');
      child.send({ type: 'flush' });
      return reply;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.disconnect();
      }),
  }));
}
