import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { JitsuAnalyticsOptionsFactory } from './analytics-options-factory.interface.js';
import type { JitsuAnalyticsOptions } from './analytics.options.js';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: JITSU_ANALYTICS_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<JitsuAnalyticsOptions>({ moduleName: 'JitsuAnalytics' })
  .setClassMethodName('forRoot')
  // `satisfies` keeps the builder and the exported interface from drifting apart.
  .setFactoryMethodName('createJitsuAnalyticsOptions' satisfies keyof JitsuAnalyticsOptionsFactory)
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

export type JitsuAnalyticsModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;
