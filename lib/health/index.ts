/**
 * `nestjs-jitsu-analytics/health`: the `@nestjs/terminus` indicator. A separate entry point so
 * that `@nestjs/terminus` stays an optional peer: only apps that import this path need it.
 */
export { AnalyticsHealthIndicator } from './analytics-health.indicator.js';
export { resolveHealthOptions, type AnalyticsHealthOptions } from './health-options.js';
export { assessPipelineHealth, DEFAULT_HEALTH_THRESHOLDS, type HealthFacts, type HealthThresholds, type QueueLimits } from './pipeline-health.js';
export type { PipelineHealth } from '../pipeline/analytics-stats.interface.js';
