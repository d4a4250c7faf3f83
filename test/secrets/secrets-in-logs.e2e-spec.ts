import 'reflect-metadata';
import { jest } from '@jest/globals';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { JitsuAnalyticsOptions } from '../../lib/analytics.options.js';
import type { AnalyticsService } from '../../lib/analytics.service.js';
import { createAnalytics } from '../../lib/create-analytics.js';
import { DeliveryError } from '../../lib/transports/delivery-error.js';
import { AnalyticsService as AnalyticsServiceToken, JitsuAnalyticsModule } from '../../lib/index.js';
import type { DroppedInfo } from '../../lib/pipeline/analytics-stats.interface.js';
import { FakeJitsuServer } from '../fake-jitsu/fake-jitsu-server.js';
import { CapturingLogger, errorText } from './support/log-capture.js';

/**
 * With `debug: true`, the write key's secret never appears in what the library logs, writes to
 * stdout/stderr, or puts in an Error it emits or throws, in every situation that produces a
 * message: 401 (whose body echoes the key), 400 and 5xx bodies quoting it, network errors and
 * retries, bad options, the console destination, shutdown reports, and a whole Nest app.
 */
const KEY = 'logs-key-id:LogsSecretValue0123456789';
const WRONG_KEY = 'wrong-key-id:WrongSecretValue987654321';
const SECRETS = ['LogsSecretValue0123456789', 'WrongSecretValue987654321'];

let fake: FakeJitsuServer;
const running: AnalyticsService[] = [];
let output: string[] = [];

beforeAll(async () => {
  fake = await FakeJitsuServer.start({ writeKey: KEY });
});
beforeEach(() => {
  output = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      output.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write);
  }
});
afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(running.splice(0).map((a) => a.shutdown()));
  if (fake.isDown) await fake.comeBack();
  fake.unstall().reset();
});
afterAll(() => fake.stop());

interface Observed {
  analytics: AnalyticsService;
  logger: CapturingLogger;
  errors: Error[];
  drops: DroppedInfo[];
}

/** An instance logging to a capturing logger; with `listen`, errors and drops go to listeners instead of the log. */
function observe(options: Partial<JitsuAnalyticsOptions>, listen: boolean): Observed {
  const logger = new CapturingLogger();
  const analytics = createAnalytics(
    {
      jitsuUrl: fake.url,
      writeKey: KEY,
      debug: true,
      batchSize: 1,
      batchTimeout: 5,
      shutdownTimeout: 200,
      retry: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3, maxElapsedMs: 5000 },
      ...options,
    },
    { logger },
  );
  const errors: Error[] = [];
  const drops: DroppedInfo[] = [];
  if (listen) analytics.on('error', (e) => errors.push(e)).on('dropped', (d) => drops.push(d));
  running.push(analytics);
  return { analytics, logger, errors, drops };
}

/** Everything that could carry the secret out: log lines, raw output, emitted errors, drop details. */
function exposed(o: Partial<Observed>, extra: string[] = []): string {
  return [
    ...(o.logger?.lines ?? []),
    ...output,
    ...(o.errors ?? []).map((e) => errorText(e)),
    ...(o.drops ?? []).map((d) => d.detail ?? ''),
    ...extra,
  ].join('\n');
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) {
    expect(text.includes(secret) ? `found ${secret.slice(0, 4)}… in: ${text.split(secret).join('<SECRET>').slice(0, 2000)}` : 'clean').toBe('clean');
  }
}

const BOTH = [true, false] as const;
const label = (listen: boolean) => (listen ? 'to listeners' : 'to the log');

describe('the write key never appears in logs or errors', () => {
  it.each(BOTH.map((listen) => [label(listen), listen]))('401 (the body echoes the key), reported %s', async (_label, listen) => {
    const o = observe({ writeKey: WRONG_KEY }, listen as boolean);
    o.analytics.track('Signed Up', { plan: 'pro' });
    await o.analytics.flush();
    expect(fake.requests.map((r) => r.status)).toEqual([401]);
    expect(o.analytics.stats().dropped).toEqual({ unauthorized: 1 });
    const reported = listen ? o.errors.map((e) => e.message) : o.logger.lines;
    expect(reported.join('\n')).toContain('Jitsu rejected the write key (HTTP 401)');
    expectNoSecret(exposed(o));
  });

  it.each(BOTH.map((listen) => [label(listen), listen]))('400 whose body quotes the key in several spellings, reported %s', async (_label, listen) => {
    fake.failNext(1, { status: 400, rawBody: `bad event from ${KEY} (${encodeURIComponent(KEY)}) {"key":${JSON.stringify(KEY)}}` });
    const o = observe({}, listen as boolean);
    o.analytics.track('Bad Event');
    await o.analytics.flush();
    expect(o.analytics.stats().dropped).toEqual({ rejected: 1 });
    const reported = exposed(o);
    expect(reported).toContain('Jitsu refused the batch (HTTP 400)');
    expect(reported).toContain('bad event from [redacted]');
    expectNoSecret(reported);
  });

  it.each(BOTH.map((listen) => [label(listen), listen]))('a custom destination whose errors quote the key, reported %s', async (_label, listen) => {
    let calls = 0;
    const destination = {
      send: async () => {
        calls++;
        throw calls === 1 ? new Error(`upstream said 401: invalid key ${KEY}`) : new DeliveryError(`refused ${KEY}`, { retryable: false });
      },
    };
    const o = observe({ jitsuUrl: undefined, destination, retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1, maxElapsedMs: 1000 } }, listen as boolean);
    o.analytics.track('Custom Destination');
    await o.analytics.flush();
    expect(calls).toBe(2);
    expect(Object.values(o.analytics.stats().dropped)).toEqual([1]);
    const reported = exposed(o, [o.analytics.stats().lastError ?? '']);
    expect(reported).toContain('refused [REDACTED]');
    expectNoSecret(reported);
  });

  it('5xx answers quoting the key, retried with debug logging until delivered', async () => {
    fake.failNext(2, { status: 503, retryAfter: '0', rawBody: `<html>upstream rejected X-Write-Key: ${KEY}</html>` });
    const o = observe({}, false);
    o.analytics.track('Retried');
    await o.analytics.flush();
    expect(fake.count()).toBe(1);
    expect(o.analytics.stats()).toMatchObject({ sent: 1, retried: 2 });
    expect(o.logger.lines.filter((l) => l.includes('delivery failed, will retry: Jitsu temporarily unavailable (HTTP 503)'))).toHaveLength(2);
    expect(o.logger.lines.some((l) => l.includes('delivered 1 event(s)'))).toBe(true);
    expectNoSecret(exposed(o));
  });

  it('network errors while the server is down, then delivery once it is back', async () => {
    const o = observe({ retry: { initialDelayMs: 5, maxDelayMs: 10, maxAttempts: 1000, maxElapsedMs: 60_000 } }, true);
    await fake.goDown();
    o.analytics.track('During Outage');
    const deadline = Date.now() + 5000;
    while (o.analytics.stats().failed < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await fake.comeBack();
    await o.analytics.flush();
    expect(fake.count()).toBe(1);
    expect(o.logger.lines.some((l) => l.includes('Could not deliver to Jitsu at'))).toBe(true);
    expectNoSecret(exposed(o));
  });

  it('bad options: the key mixed up into other options is never quoted back', () => {
    let thrown: unknown;
    try {
      createAnalytics({ jitsuUrl: KEY, writeKey: KEY, protocol: KEY as 'next', batchSize: KEY, tables: { custom: KEY } }, { logger: new CapturingLogger() });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    const text = errorText(thrown);
    expect(text).toContain('jitsuUrl: got');
    expect(text).toContain('tables.custom: got');
    expectNoSecret(text);
  });

  it('bad options at Nest bootstrap: neither the thrown error nor the Nest log holds the key', async () => {
    const logger = new CapturingLogger();
    const compiling = Test.createTestingModule({ imports: [JitsuAnalyticsModule.forRoot({ jitsuUrl: `not a url ${KEY}`, writeKey: KEY, batchSize: -1 })] })
      .setLogger(logger)
      .compile();
    const error = await compiling.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorText(error)).toContain('batchSize: got number -1');
    expectNoSecret(exposed({ logger }, [errorText(error)]));
  });

  it('the console destination writes events, with the key scrubbed out of their properties', async () => {
    const o = observe({ jitsuUrl: undefined, destination: 'console' }, false);
    o.analytics.track('Configured', { note: `our key is ${KEY}`, writeKey: KEY, header: `Authorization: Bearer ${KEY}`, nested: { url: `${fake.url}/?key=${encodeURIComponent(KEY)}` } });
    await o.analytics.flush();
    const written = o.logger.lines.filter((l) => l.includes('[custom_events]'));
    expect(written).toHaveLength(1);
    expect(written[0]).toContain('our key is [REDACTED]');
    expectNoSecret(exposed(o));
  });

  it('shutdown reports what it could not deliver', async () => {
    fake.stall();
    const o = observe({ shutdownTimeout: 100 }, false);
    o.analytics.track('Stuck');
    await new Promise((r) => setTimeout(r, 30));
    await o.analytics.shutdown();
    expect(o.logger.lines.some((l) => l.includes("shut down with 1 event(s) undelivered after 100 ms, dropped (reason 'shutdown')"))).toBe(true);
    expect(o.logger.lines.some((l) => l.includes('dropped 1 event(s): shutdown'))).toBe(true);
    expectNoSecret(exposed(o));
  });

  describe('in a Nest app logging through its own logger', () => {
    @Controller()
    class SignupController {
      constructor(private readonly analytics: AnalyticsServiceToken) {}
      @Get('signup')
      signup(): string {
        this.analytics.track('Signed Up', { apiKey: WRONG_KEY, note: `key=${WRONG_KEY}` });
        return 'ok';
      }
    }

    let app: INestApplication | undefined;
    afterEach(() => app?.close());

    it('startup, a rejected key and shutdown log nothing secret', async () => {
      const logger = new CapturingLogger();
      const moduleRef = await Test.createTestingModule({
        imports: [JitsuAnalyticsModule.forRoot({ jitsuUrl: fake.url, writeKey: WRONG_KEY, debug: true, batchSize: 1, batchTimeout: 5, shutdownTimeout: 200 })],
        controllers: [SignupController],
      })
        .setLogger(logger)
        .compile();
      app = moduleRef.createNestApplication();
      app.useLogger(logger);
      await app.init();
      const response = await fetch(`${await app.listen(0, '127.0.0.1').then(() => app!.getUrl())}/signup`, { headers: { 'x-write-key': WRONG_KEY } });
      expect(await response.text()).toBe('ok');
      const service = app.get(AnalyticsServiceToken);
      await service.flush();
      await app.close();
      app = undefined;
      expect(fake.requests.every((r) => r.status === 401)).toBe(true);
      expect(logger.lines.some((l) => l.includes(`events go to Jitsu at ${new URL(fake.url).origin}`))).toBe(true);
      expect(logger.lines.some((l) => l.includes('Jitsu rejected the write key (HTTP 401)'))).toBe(true);
      expectNoSecret(exposed({ logger }));
    });
  });
});
