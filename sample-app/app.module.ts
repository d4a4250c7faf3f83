import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
// The sample app is compiled together with the library (tsconfig.build.json → dist/lib and
// dist/sample-app), so it imports it through relative paths. In your app these are
// 'nestjs-jitsu-analytics' and 'nestjs-jitsu-analytics/typeorm'.
import { JitsuAnalyticsModule } from '../lib/index.js';
import { JitsuAnalyticsTypeOrmModule } from '../lib/typeorm/index.js';
import { AuthModule } from './auth/auth.module.js';
import { analyticsOptionsFromEnv } from './config/analytics.config.js';
import { databaseOptionsFromEnv } from './config/database.config.js';
import type { EnvLookup } from './config/env-lookup.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { FilesModule } from './files/files.module.js';
import { HealthModule } from './health/health.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { ProductsModule } from './products/products.module.js';
import { WeatherStubServer } from './weather/weather-stub.server.js';
import { WeatherModule } from './weather/weather.module.js';

/** What main.ts starts before the app: the weather API stub (unless WEATHER_API_URL names another server). */
export interface AppRuntime {
  weatherApiUrl: string;
  weatherStub?: WeatherStubServer;
}

const lookup =
  (config: ConfigService): EnvLookup =>
  (name) =>
    config.get<string>(name);

@Module({})
export class AppModule {
  static forRoot(runtime: AppRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Reads process.env (and a .env file when there is one); WEATHER_API_URL comes from main.ts.
        ConfigModule.forRoot({ isGlobal: true, load: [() => ({ WEATHER_API_URL: runtime.weatherApiUrl })] }),
        JitsuAnalyticsModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => analyticsOptionsFromEnv(lookup(config), config.getOrThrow<string>('WEATHER_API_URL')),
        }),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => databaseOptionsFromEnv(lookup(config)),
        }),
        // Every query of the default DataSource becomes a `Database Query` event.
        JitsuAnalyticsTypeOrmModule.forRoot(),
        AuthModule,
        ProductsModule,
        PaymentsModule,
        NotificationsModule,
        FilesModule,
        WeatherModule,
        HealthModule,
        DashboardModule,
      ],
      // Registered as a provider so that Nest's shutdown hooks close it with the app.
      providers: runtime.weatherStub ? [{ provide: WeatherStubServer, useValue: runtime.weatherStub }] : [],
    };
  }
}
