import { Module } from '@nestjs/common';
import { JitsuAnalyticsModule } from '../lib/index.js';
import { analyticsOptionsFromEnv } from './analytics.config.js';
import { AppController } from './app.controller.js';

@Module({
  imports: [JitsuAnalyticsModule.forRoot(analyticsOptionsFromEnv())],
  controllers: [AppController],
})
export class AppModule {}
