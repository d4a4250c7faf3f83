import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AnalyticsHealthIndicator } from '../../lib/health/index.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [AnalyticsHealthIndicator],
})
export class HealthModule {}
