/**
 * `nestjs-jitsu-analytics/typeorm`: `Database Query` events for every statement a TypeORM
 * DataSource runs, with no code in the application's services (the only entry point that loads
 * TypeORM). With Nest and `@nestjs/typeorm`:
 *
 *   imports: [JitsuAnalyticsModule.forRoot(...), TypeOrmModule.forRoot(...), JitsuAnalyticsTypeOrmModule.forRoot()]
 *
 * Without Nest, or for a DataSource Nest does not manage: `instrumentDataSource(dataSource, analytics)`.
 * Code that calls a driver directly (`pg`, `better-sqlite3`) times each query with the core
 * service instead: `analytics.timeDbQuery(sql, () => pool.query(sql, params))` records the same
 * fingerprinted `Database Query` (and `Backend Error` on failure).
 */
export { JitsuAnalyticsTypeOrmModule } from './jitsu-analytics-typeorm.module.js';
export type { JitsuAnalyticsTypeOrmOptions } from './typeorm-analytics.options.js';
export { instrumentDataSource, type DataSourceInstrumentation, type InstrumentDataSourceOptions } from './instrument-data-source.js';
export { AnalyticsQuerySubscriber } from './analytics-query.subscriber.js';
