import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import { AnalyticsHealthIndicator } from '../../lib/health/index.js';

/**
 * `GET /health`: the app's database and the analytics pipeline. Left out of `api_events` by
 * `api.exclude`, and its `SELECT 1` left out of `database_events` by `database.ignore`, so
 * probes do not drown the numbers they sit next to.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly analytics: AnalyticsHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.pingCheck('database'), () => this.analytics.isHealthy('analytics')]);
  }
}
