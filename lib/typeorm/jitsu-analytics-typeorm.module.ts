import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmInstrumentationService } from './typeorm-instrumentation.service.js';
import { JITSU_ANALYTICS_TYPEORM_OPTIONS, type JitsuAnalyticsTypeOrmOptions } from './typeorm-analytics.options.js';

/**
 * `JitsuAnalyticsTypeOrmModule.forRoot({ dataSources?, slowQueryMs?, sampleRate?, ignore? })`,
 * imported next to `JitsuAnalyticsModule` and `TypeOrmModule`: every query of the listed
 * DataSources becomes a `Database Query` event, with no code in the application's services.
 */
@Module({})
export class JitsuAnalyticsTypeOrmModule {
  static forRoot(options: JitsuAnalyticsTypeOrmOptions = {}): DynamicModule {
    return {
      module: JitsuAnalyticsTypeOrmModule,
      providers: [{ provide: JITSU_ANALYTICS_TYPEORM_OPTIONS, useValue: options }, TypeOrmInstrumentationService],
    };
  }
}
