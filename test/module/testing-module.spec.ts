import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { AnalyticsService } from '../../lib/index.js';
import { AnalyticsRecorder, JitsuAnalyticsTestingModule } from '../../lib/testing/index.js';
import { compileSources, type CompiledSources } from '../support/compile-sources.js';
import { runScript } from '../support/run-script.js';

@Injectable()
class CheckoutService {
  constructor(private readonly analytics: AnalyticsService) {}
  pay(order: string): void {
    this.analytics.track('Checkout Paid', { order });
  }
}

/**
 * A test module declared once per file, as users write them: its `forRoot()` runs once, when the
 * class is decorated, and every app a test builds from it must still get its own recorder.
 */
@Module({ imports: [JitsuAnalyticsTestingModule.forRoot()], providers: [CheckoutService] })
class CheckoutTestModule {}

const paidOrders = (app: TestingModule) => app.get(AnalyticsRecorder).events().map((e) => e.properties?.order);

describe('JitsuAnalyticsTestingModule', () => {
  const apps: TestingModule[] = [];
  const start = async (): Promise<TestingModule> => {
    const app = await Test.createTestingModule({ imports: [CheckoutTestModule] }).compile();
    apps.push(app);
    return app.init();
  };

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('records what the app tracked', async () => {
    const app = await start();
    app.get(CheckoutService).pay('first');
    await app.get(AnalyticsRecorder).waitFor((e) => e.event === 'Checkout Paid');
    expect(paidOrders(app)).toEqual(['first']);
  });

  it('gives each app built from the same module definition its own events, one after the other and side by side', async () => {
    const earlier = await start();
    earlier.get(CheckoutService).pay('earlier');
    await earlier.get(AnalyticsRecorder).waitFor((e) => e.properties?.order === 'earlier');
    await earlier.close();

    const [a, b] = await Promise.all([start(), start()]);
    a.get(CheckoutService).pay('a');
    b.get(CheckoutService).pay('b');
    await Promise.all([a.get(AnalyticsRecorder).waitFor((e) => e.properties?.order === 'a'), b.get(AnalyticsRecorder).waitFor((e) => e.properties?.order === 'b')]);
    expect([paidOrders(a), paidOrders(b)]).toEqual([['a'], ['b']]);
  });

  it('waitFor() keeps a plain script alive until it answers, so a missing event fails instead of exiting with code 0', async () => {
    let build: CompiledSources | undefined;
    try {
      build = await compileSources('test/module/fixture/recorder-wait.ts');
      const { code, stdout } = await runScript(build.entry, [], 15_000);
      expect(stdout.trim()).toMatch(/^rejected: AnalyticsRecorder\.waitFor: no matching event within 300 ms \(0 events recorded\)$/);
      expect(code).toBe(0);
    } finally {
      build?.remove();
    }
  }, 30_000);
});
