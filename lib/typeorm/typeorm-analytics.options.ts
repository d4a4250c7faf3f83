import type { DataSource } from 'typeorm';
import type { DatabaseOptions } from '../instrumentation/database-options.js';

/**
 * `JitsuAnalyticsTypeOrmModule.forRoot(options)`. `slowQueryMs`, `sampleRate` and `ignore`
 * override the core module's `database` options field by field.
 */
export interface JitsuAnalyticsTypeOrmOptions extends DatabaseOptions {
  /**
   * The DataSources to instrument: names given to `TypeOrmModule.forRoot({ name })` (`'default'`
   * for the unnamed one) or DataSource instances. Default `['default']`. A DataSource not listed
   * is never instrumented: list only the application's, never one that stores analytics.
   */
  dataSources?: ReadonlyArray<string | DataSource>;
}

export const JITSU_ANALYTICS_TYPEORM_OPTIONS = Symbol('JITSU_ANALYTICS_TYPEORM_OPTIONS');
