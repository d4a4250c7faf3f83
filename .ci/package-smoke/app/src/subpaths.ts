// Type-only: every entry point resolves to its declarations under each tsconfig here.
import type { AnalyticsService, JitsuAnalyticsOptions } from 'nestjs-jitsu-analytics';
import type { AnalyticsRecorder } from 'nestjs-jitsu-analytics/testing';
import type { JitsuAnalyticsTypeOrmModule } from 'nestjs-jitsu-analytics/typeorm';
import type { AnalyticsHealthIndicator } from 'nestjs-jitsu-analytics/health';

export type EntryPoints = [AnalyticsService, JitsuAnalyticsOptions, AnalyticsRecorder, typeof JitsuAnalyticsTypeOrmModule, AnalyticsHealthIndicator];
