import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { describeEventDestination } from '../config/analytics.config.js';
import { dataDir, warehouseFile } from '../config/data-dir.js';
import { loadDashboardAssets } from './dashboard-assets.js';
import { DashboardController } from './dashboard.controller.js';
import { DASHBOARD_ASSETS, EVENT_DESTINATION } from './dashboard.tokens.js';
import { WarehouseReader } from './warehouse-reader.js';

@Module({
  controllers: [DashboardController],
  providers: [
    {
      provide: WarehouseReader,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => new WarehouseReader(warehouseFile(dataDir((name) => config.get<string>(name)))),
    },
    { provide: DASHBOARD_ASSETS, useFactory: () => loadDashboardAssets() },
    {
      provide: EVENT_DESTINATION,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => describeEventDestination((name) => config.get<string>(name)),
    },
  ],
})
export class DashboardModule {}
