import 'reflect-metadata';
import { request } from 'node:http';
import { Controller, Get, Inject, type INestApplication, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import type { JitsuAnalyticsOptions } from '../../lib/analytics.options.js';
import { AnalyticsHealthIndicator, type AnalyticsHealthOptions } from '../../lib/health/index.js';
import { AnalyticsService, JitsuAnalyticsModule } from '../../lib/index.js';
import { FakeJitsuServer } from '../fake-jitsu/fake-jitsu-server.js';
import { until } from '../support/until.js';

/** A real Nest app with Terminus and the indicator, asked over HTTP while the fake Jitsu server is up or down. */
const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly analytics: AnalyticsHealthIndicator,
    @Inject(HEALTH_OPTIONS) private readonly options: AnalyticsHealthOptions | undefined,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.analytics.isHealthy('analytics', this.options)]);
  }
}

interface Answer {
  status: number;
  body: { status: string; info?: Record<string, Record<string, unknown>>; error?: Record<string, Record<string, unknown>> };
  text: string;
}

function get(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // No keep-alive agent: nothing stays open after the app closes.
    const req = request(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'], text }));
    });
    req.on('error', reject);
    req.end();
  });
}

let fake: FakeJitsuServer;
let app: INestApplication | undefined;

beforeAll(async () => {
  fake = await FakeJitsuServer.start();
});
afterEach(async () => {
  if (fake.isDown) await fake.comeBack();
  await app?.close();
  app = undefined;
  fake.reset();
});
afterAll(() => fake.stop());

async function start(analytics: Partial<JitsuAnalyticsOptions>, health?: AnalyticsHealthOptions) {
  @Module({
    imports: [TerminusModule.forRoot({ logger: false })],
    controllers: [HealthController],
    providers: [AnalyticsHealthIndicator, { provide: HEALTH_OPTIONS, useValue: health }],
  })
  class HealthModule {}

  const moduleRef = await Test.createTestingModule({
    imports: [
      JitsuAnalyticsModule.forRoot({
        jitsuUrl: fake.url,
        writeKey: fake.writeKey,
        batchSize: 1,
        batchTimeout: 5,
        shutdownTimeout: 500,
        retry: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 100_000, maxElapsedMs: 600_000 },
        // Health probes are not API calls worth recording, and would change the queue being measured.
        api: { exclude: ['/health'] },
        ...analytics,
      }),
      HealthModule,
    ],
  }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const service = app.get(AnalyticsService);
  service.on('dropped', () => undefined).on('error', () => undefined);
  return { url: `${await app.getUrl()}/health`, service };
}

describe('AnalyticsHealthIndicator over HTTP', () => {
  it('is up (200) while Jitsu accepts events, with the figures in its details', async () => {
    const { url, service } = await start({});
    for (let i = 0; i < 3; i++) service.track('Healthy', { i });
    await service.flush();
    const answer = await get(url);
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('ok');
    expect(answer.body.info!.analytics).toMatchObject({
      status: 'up',
      enabled: true,
      queued: 0,
      inFlight: 0,
      maxQueueSize: 100_000,
      queueFullRatio: 0.9,
      failingForLimitMs: 300_000,
      failed: 0,
      reasons: [],
    });
    expect(answer.body.info!.analytics!.sent).toBeGreaterThanOrEqual(3);
    expect(answer.body.info!.analytics!.lastSuccessAt).toEqual(expect.any(String));
  });

  it('is down (503) once Jitsu has been unreachable for longer than failingForMs, and up again when it is back', async () => {
    const { url, service } = await start({}, { failingForMs: 800 });
    await fake.goDown();
    service.track('During Outage');
    await until(() => service.stats().failed > 0, 'a failed delivery');
    const early = await get(url);
    expect(early.status).toBe(200);
    expect(early.body.info!.analytics).toMatchObject({ status: 'up', failingForLimitMs: 800 });
    expect(early.body.info!.analytics!.failingForMs).toBeLessThanOrEqual(800);

    await until(() => (service.stats().health.failingForMs ?? 0) > 850, 'failing for over 850 ms');
    const down = await get(url);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('error');
    const details = down.body.error!.analytics!;
    expect(details).toMatchObject({ status: 'down', failingSince: service.stats().failingSince, failingForLimitMs: 800 });
    expect(details.failingForMs).toBeGreaterThan(800);
    expect(details.failed).toBeGreaterThanOrEqual(1);
    expect((details.queued as number) + (details.inFlight as number)).toBeGreaterThanOrEqual(1);
    expect(details.reasons).toEqual([`deliveries failing since ${details.failingSince} (${details.failingForMs} ms), longer than the 800 ms allowed`]);
    // Counts and times only: neither the key nor the last error's text is exposed.
    expect(down.text).not.toContain('test-secret');
    expect(down.text).not.toContain('Could not deliver');

    await fake.comeBack();
    await service.flush();
    expect(fake.count()).toBeGreaterThanOrEqual(1);
    const back = await get(url);
    expect(back.status).toBe(200);
    expect(back.body.info!.analytics).toMatchObject({ status: 'up', reasons: [] });
    expect(back.body.info!.analytics!.failingSince).toBeUndefined();
  });

  it('is down (503) when the queue is nearly full, naming how full', async () => {
    const { url, service } = await start({ maxQueueSize: 10, batchSize: 1000, batchTimeout: 60_000 });
    for (let i = 0; i < 8; i++) service.track('Backlog', { i });
    const up = await get(url);
    expect(up.status).toBe(200);
    expect(up.body.info!.analytics).toMatchObject({ status: 'up', queued: 8, queueFill: 0.8 });

    service.track('Backlog', { i: 8 });
    const down = await get(url);
    expect(down.status).toBe(503);
    expect(down.body.error!.analytics).toMatchObject({
      status: 'down',
      queued: 9,
      maxQueueSize: 10,
      queueFill: 0.9,
      reasons: ['queue 90% full (9 of 10 events), at or above the 90% limit'],
    });
  });

  it('reports analytics switched off as up, without figures', async () => {
    const { url } = await start({ enabled: false });
    const answer = await get(url);
    expect(answer.status).toBe(200);
    expect(answer.body.info).toEqual({ analytics: { status: 'up', enabled: false } });
  });
});
