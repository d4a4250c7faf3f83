import 'reflect-metadata';
import { jest } from '@jest/globals';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { JitsuAnalyticsOptions } from '../../lib/analytics.options.js';
import { resolveOptions } from '../../lib/analytics-options.resolver.js';
import { JitsuAnalyticsModule } from '../../lib/index.js';
import { missingShutdownHooksHint, SHUTDOWN_HOOKS_CHECK_DELAY_MS } from '../../lib/shutdown-hooks-hint.js';
import { CapturingLogger } from '../secrets/support/log-capture.js';
import { compileSources } from '../support/compile-sources.js';
import { runScript } from '../support/run-script.js';
import { tempDirs } from '../spool/spool-test-support.js';

const HINT = /no SIGTERM listener: stopping this process with SIGTERM .* Call app\.enableShutdownHooks\(\) before app\.listen\(\), or set spool to keep them/;
const jitsu = { jitsuUrl: 'http://127.0.0.1:9', writeKey: 'hint-key:hint-secret-61c2', system: { enabled: false } };
const dirs = tempDirs();
afterAll(() => dirs.cleanup());

// Only setTimeout is faked, so the app's own timing is left alone and the check can be brought forward.
const ONLY_TIMEOUTS = ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval'] as const;
afterEach(() => jest.useRealTimers());

/**
 * The warnings an app logs from create() until it is closed `runFor` ms after bootstrap, and in
 * the minute after that, with or without Nest's shutdown hooks.
 */
async function bootWarnings(options: JitsuAnalyticsOptions, { hooks, runFor = SHUTDOWN_HOOKS_CHECK_DELAY_MS }: { hooks: boolean; runFor?: number }): Promise<string[]> {
  @Module({ imports: [JitsuAnalyticsModule.forRoot(options)] })
  class AppModule {}
  const logger = new CapturingLogger();
  const app = await NestFactory.create(AppModule, { logger });
  if (hooks) app.enableShutdownHooks();
  jest.useFakeTimers({ doNotFake: [...ONLY_TIMEOUTS] });
  await app.init();
  jest.advanceTimersByTime(runFor);
  await app.close();
  jest.advanceTimersByTime(60_000);
  return logger.lines.filter((line) => line.startsWith('warn '));
}

describe('the warning about SIGTERM, 30 s after bootstrap', () => {
  it('is logged once when nothing listens for SIGTERM and events leave the process, never with the write key', async () => {
    expect(process.listenerCount('SIGTERM')).toBe(0);
    const warnings = await bootWarnings(jitsu, { hooks: false });
    expect(warnings).toEqual([expect.stringMatching(HINT)]);
    expect(warnings.join('\n')).not.toContain('hint-secret-61c2');
  });

  it('is not logged by an app closed before then (a command, a job, a test)', async () => {
    expect(await bootWarnings(jitsu, { hooks: false, runFor: SHUTDOWN_HOOKS_CHECK_DELAY_MS - 1 })).toEqual([]);
  });

  it('is not logged once app.enableShutdownHooks() listens for it', async () => {
    expect(await bootWarnings(jitsu, { hooks: true })).toEqual([]);
  });

  it('is not logged with a spool (what is queued is on disk), nor for destinations that stay in the process, nor when disabled', async () => {
    expect(await bootWarnings({ ...jitsu, spool: { dir: dirs.make() } }, { hooks: false })).toEqual([]);
    expect(await bootWarnings({ destination: 'memory', system: { enabled: false } }, { hooks: false })).toEqual([]);
    expect(await bootWarnings({ ...jitsu, enabled: false }, { hooks: false })).toEqual([]);
  });

  it('applies to the warehouse and to custom transports as to Jitsu, and not on AWS Lambda', () => {
    const hint = (options: JitsuAnalyticsOptions, sigtermListeners = 0, env: Record<string, string> = {}) =>
      missingShutdownHooksHint({ options: resolveOptions(options), spooled: false, sigtermListeners, env });
    expect(hint({ destination: { type: 'warehouse', url: 'sqlite::memory:' } })).toMatch(HINT);
    expect(hint({ destination: { send: async () => ({}) } })).toMatch(HINT);
    expect(hint({ destination: 'console' })).toBeUndefined();
    expect(hint({ destination: { send: async () => ({}) } }, 1)).toBeUndefined();
    // Lambda freezes the process between invocations; it does not stop it with SIGTERM.
    expect(hint(jitsu, 0, { AWS_LAMBDA_FUNCTION_NAME: 'orders-api' })).toBeUndefined();
    expect(hint(jitsu, 0, { K_SERVICE: 'orders-api' })).toMatch(HINT);
  });

  it('keeps no process alive: a job that never closes its app ends with its work, saying what it lost', async () => {
    const build = await compileSources('test/module/fixture/standalone-job.ts');
    try {
      const { code, stdout } = await runScript(build.entry, [], 20_000);
      const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(code).toBe(0);
      expect(lines).toEqual([
        { warn: expect.stringMatching(/^dropped 1 event\(s\): exit \(the process exited \(code 0\) before they were delivered;/) },
        { ranForMs: expect.any(Number) },
      ]);
      // Well before the check, and before the batch timeout (5 s) would have sent the event.
      expect(lines[1]!.ranForMs).toBeLessThan(5_000);
      expect(stdout).not.toContain('job-secret-77aa');
    } finally {
      build.remove();
    }
  });
});
