import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JitsuAnalyticsModule } from '../../lib/index.js';
import { CapturingLogger } from '../secrets/support/log-capture.js';

@Controller('orders')
class OrdersController {
  @Get()
  list() {
    return [];
  }
}

const options = { destination: 'memory' as const, system: { enabled: false } };

async function warningsOf(imports: { root: unknown; feature: unknown }): Promise<string[]> {
  @Module({ imports: [imports.feature as never], controllers: [OrdersController] })
  class OrdersModule {}
  @Module({ imports: [imports.root as never, OrdersModule] })
  class AppModule {}
  const logger = new CapturingLogger();
  const app = await NestFactory.create(AppModule, { logger });
  await app.init();
  await app.close();
  return logger.lines.filter((line) => line.startsWith('warn ') && line.includes('JitsuAnalyticsModule is imported'));
}

describe('JitsuAnalyticsModule imported more than once in one app', () => {
  it('warns once at bootstrap when two forRoot() calls made two analytics instances', async () => {
    const warnings = await warningsOf({ root: JitsuAnalyticsModule.forRoot(options), feature: JitsuAnalyticsModule.forRoot(options) });
    expect(warnings).toEqual([
      'warn JitsuAnalyticsModule is imported 2 times (each forRoot()/forRootAsync() call makes an analytics instance of its own): each request is recorded by one of them only, and each samples the system. Import it once, in the root module: it is global. JitsuAnalytics',
    ]);
  });

  it('says nothing when the module one call returned is imported in two places: Nest makes one instance of it', async () => {
    const analytics = JitsuAnalyticsModule.forRoot(options);
    expect(await warningsOf({ root: analytics, feature: analytics })).toEqual([]);
  });
});
