import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import { createAnalytics } from '../../lib/create-analytics.js';
import { UncaughtErrorRecorder } from '../../lib/instrumentation/uncaught-errors.js';
import { AnalyticsRecorder, JitsuAnalyticsTestingModule } from '../../lib/testing/index.js';
import { wireAnalytics, type WireAnalytics } from './wire-analytics.js';

// What Node does just before an uncaught error ends the process (see process-exit.spec.ts for the
// real crash, in a child process): the monitor's listeners run, and the process goes on here.
const emit = process.emit.bind(process) as (event: string, ...args: unknown[]) => boolean;
const raise = (error: unknown, origin: NodeJS.UncaughtExceptionOrigin = 'uncaughtException') => emit('uncaughtExceptionMonitor', error, origin);
const monitors = () => process.listenerCount('uncaughtExceptionMonitor');

describe('uncaught errors (errors.uncaught)', () => {
  let wa: WireAnalytics | undefined;
  afterEach(async () => {
    await wa?.analytics.shutdown();
    wa = undefined;
  });

  it('records an uncaught exception as a Backend Error from the process, its message redacted', async () => {
    wa = wireAnalytics();
    const error = new TypeError('cannot read the order; token=tok_live_8d7f6e');
    raise(error);
    const events = await wa.events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: 'Backend Error',
      JITSU_TABLE_NAME: 'backend_error_events',
      properties: {
        event_action: 'backend_error',
        error_source: 'process',
        error_origin: 'uncaught_exception',
        error_name: 'TypeError',
        error_message: 'cannot read the order; token=[REDACTED]',
        stack_fingerprint: expect.stringMatching(/\S/),
      },
    });
    expect(await wa.payload()).not.toContain('tok_live_8d7f6e');
  });

  it('tells an unhandled rejection apart, also one whose reason is not an Error', async () => {
    wa = wireAnalytics();
    raise(new Error('charge failed'), 'unhandledRejection');
    raise('plain reason', 'unhandledRejection');
    raise(undefined, 'unhandledRejection');
    const properties = (await wa.events()).map((e) => e.properties);
    expect(properties).toMatchObject([
      { error_origin: 'unhandled_rejection', error_name: 'Error', error_message: 'charge failed' },
      { error_origin: 'unhandled_rejection', error_message: 'plain reason' },
      { error_origin: 'unhandled_rejection', error_source: 'process' },
    ]);
    expect(wa.drops).toEqual([]);
  });

  it('carries the request id of the request the error was thrown in', async () => {
    wa = wireAnalytics();
    wa.analytics.core.requestContext.run({ requestId: 'req-crash-1', userId: 'u-7' }, () => raise(new Error('boom')));
    const [event] = await wa.events();
    expect(event).toMatchObject({ userId: 'u-7', properties: { error_source: 'process', request_id: 'req-crash-1' } });
  });

  it('is on when the exception filter is off, and off with errors.uncaught: false', async () => {
    wa = wireAnalytics({ errors: { enabled: false } });
    raise(new Error('still recorded'));
    expect((await wa.events()).map((e) => e.properties.error_message)).toEqual(['still recorded']);
    await wa.analytics.shutdown();

    const before = monitors();
    wa = wireAnalytics({ errors: { uncaught: 'false' } });
    expect(wa.analytics.core.features.attached(UncaughtErrorRecorder)).toBeUndefined();
    expect(monitors()).toBe(before);
    raise(new Error('not recorded'));
    expect(await wa.events()).toEqual([]);
  });

  it('stops listening at shutdown, and a disabled instance never listens', async () => {
    const before = monitors();
    // This file's own unhandledRejection listener (test/support/no-unhandled-errors.ts) is an app's listener to it.
    expect(process.listenerCount('unhandledRejection')).toBeGreaterThan(0);
    const rejectionListeners = process.listenerCount('unhandledRejection');
    const listenerWatchers = process.listenerCount('newListener');
    wa = wireAnalytics();
    expect(monitors()).toBe(before + 1);
    expect(process.listenerCount('unhandledRejection')).toBe(rejectionListeners + 1);
    expect(process.listenerCount('newListener')).toBe(listenerWatchers + 1);
    await wa.analytics.shutdown();
    expect(monitors()).toBe(before);
    expect(process.listenerCount('unhandledRejection')).toBe(rejectionListeners);
    expect(process.listenerCount('newListener')).toBe(listenerWatchers);

    const disabled = createAnalytics({ enabled: false, destination: { type: 'memory' } }, { logger: false });
    expect(monitors()).toBe(before);
    await disabled.shutdown();
  });

  it('refuses a value that is not a boolean, naming the option', () => {
    expect(() => createAnalytics({ destination: { type: 'memory' }, errors: { uncaught: 'sometimes' } as never }, { logger: false })).toThrow(
      new AnalyticsConfigError([`errors.uncaught: got "sometimes", expected a boolean (or 'true'/'false', '1'/'0')`]),
    );
  });

  it('in a Nest app, listens from bootstrap until the app is closed', async () => {
    @Controller()
    class PingController {
      @Get('ping')
      ping() {
        return 'pong';
      }
    }
    @Module({ imports: [JitsuAnalyticsTestingModule.forRoot()], controllers: [PingController] })
    class AppModule {}

    const before = monitors();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      expect(monitors()).toBe(before + 1);
      raise(new RangeError('queue index out of range'));
      const recorder = app.get(AnalyticsRecorder);
      const error = await recorder.waitFor((e) => e.event === 'Backend Error');
      expect(error.properties).toMatchObject({ error_source: 'process', error_name: 'RangeError', error_origin: 'uncaught_exception' });
    } finally {
      await app.close();
    }
    expect(monitors()).toBe(before);
  });
});
