// A user's unit test in a `nest new` app: Jest in CommonJS mode with ts-jest, reading events
// through `nestjs-jitsu-analytics/testing` (README, Testing your app).
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AnalyticsService } from 'nestjs-jitsu-analytics';
import { AnalyticsRecorder, JitsuAnalyticsTestingModule } from 'nestjs-jitsu-analytics/testing';

@Injectable()
class CheckoutService {
  constructor(private readonly analytics: AnalyticsService) {}

  pay(): void {
    this.analytics.track('Checkout Paid', { items: 2 });
  }
}

@Module({ providers: [CheckoutService] })
class CheckoutModule {}

it('records the event a provider tracks', async () => {
  const moduleRef = await Test.createTestingModule({ imports: [JitsuAnalyticsTestingModule.forRoot(), CheckoutModule] }).compile();
  await moduleRef.init();
  moduleRef.get(CheckoutService).pay();
  const event = await moduleRef.get(AnalyticsRecorder).waitFor((e) => e.event === 'Checkout Paid');
  expect(event.properties).toMatchObject({ items: 2 });
  await moduleRef.close();
});
