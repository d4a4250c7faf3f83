import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { JitsuAnalyticsOptions } from '../../lib/analytics.options.js';
import { resolveOptions } from '../../lib/analytics-options.resolver.js';
import { JitsuAnalyticsModule } from '../../lib/index.js';
import { missingShutdownHooksHint } from '../../lib/shutdown-hooks-hint.js';
import { CapturingLogger } from '../secrets/support/log-capture.js';
import { tempDirs } from '../spool/spool-test-support.js';

const HINT = /no SIGTERM listener: stopping this process with SIGTERM .* Call app\.enableShutdownHooks\(\) before app\.listen\(\), or set spool to keep them/;
const jitsu = { jitsuUrl: 'http://127.0.0.1:9', writeKey: 'hint-key:hint-secret-61c2', system: { enabled: false } };
const dirs = tempDirs();
afterAll(() => dirs.cleanup());

/** The warnings an app logs from create() to close(), with or without Nest's shutdown hooks. */
async function bootWarnings(options: JitsuAnalyticsOptions, { hooks }: { hooks: boolean }): Promise<string[]> {
  @Module({ imports: [JitsuAnalyticsModule.forRoot(options)] })
  class AppModule {}
  const logger = new CapturingLogger();
  const app = await NestFactory.create(AppModule, { logger });
  if (hooks) app.enableShutdownHooks();
  await app.init();
  await app.close();
  return logger.lines.filter((line) => line.startsWith('warn '));
}

describe('the bootstrap warning about SIGTERM', () => {
  it('is logged once when nothing listens for SIGTERM and events leave the process, never with the write key', async () => {
    expect(process.listenerCount('SIGTERM')).toBe(0);
    const warnings = await bootWarnings(jitsu, { hooks: false });
    expect(warnings).toEqual([expect.stringMatching(HINT)]);
    expect(warnings.join('\n')).not.toContain('hint-secret-61c2');
  });

  it('is not logged once app.enableShutdownHooks() listens for it', async () => {
    expect(await bootWarnings(jitsu, { hooks: true })).toEqual([]);
  });

  it('is not logged with a spool (what is queued is on disk), nor for destinations that stay in the process, nor when disabled', async () => {
    expect(await bootWarnings({ ...jitsu, spool: { dir: dirs.make() } }, { hooks: false })).toEqual([]);
    expect(await bootWarnings({ destination: 'memory', system: { enabled: false } }, { hooks: false })).toEqual([]);
    expect(await bootWarnings({ ...jitsu, enabled: false }, { hooks: false })).toEqual([]);
  });

  it('applies to the warehouse and to custom transports as to Jitsu', () => {
    const hint = (options: JitsuAnalyticsOptions, sigtermListeners = 0) => missingShutdownHooksHint({ options: resolveOptions(options), spooled: false, sigtermListeners });
    expect(hint({ destination: { type: 'warehouse', url: 'sqlite::memory:' } })).toMatch(HINT);
    expect(hint({ destination: { send: async () => ({}) } })).toMatch(HINT);
    expect(hint({ destination: 'console' })).toBeUndefined();
    expect(hint({ destination: { send: async () => ({}) } }, 1)).toBeUndefined();
  });
});
