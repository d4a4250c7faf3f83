import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { DashboardSummary } from './dashboard-summary.js';
import { DASHBOARD_ASSETS, EVENT_DESTINATION } from './dashboard.tokens.js';
import type { DashboardAssets } from './dashboard-assets.js';
import { WarehouseReader } from './warehouse-reader.js';

/**
 * `/analytics`: one HTML page, one script, chart.js and a JSON summary of the warehouse. These
 * paths are in `api.exclude`, so watching the dashboard does not change what it shows.
 */
@Controller('analytics')
export class DashboardController {
  constructor(
    private readonly warehouse: WarehouseReader,
    @Inject(DASHBOARD_ASSETS) private readonly assets: DashboardAssets,
    @Inject(EVENT_DESTINATION) private readonly destination: string,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return this.assets.page;
  }

  @Get('dashboard.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return this.assets.script;
  }

  @Get('chart.umd.min.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=86400')
  chartJs(): string {
    return this.assets.chartJs;
  }

  @Get('api/summary')
  @Header('cache-control', 'no-store')
  summary(): DashboardSummary {
    return this.warehouse.summary(this.destination);
  }
}
