import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { JitsuAnalyticsOptions } from './analytics.options.js';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: JITSU_ANALYTICS_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<JitsuAnalyticsOptions>({ moduleName: 'JitsuAnalytics' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
