import type { JitsuAnalyticsOptions } from './analytics.options.js';

/**
 * The class given to `forRootAsync({ useClass })` or `useExisting`. The method is named after the
 * options, as in Nest's own modules, so one config class can provide the options of several modules.
 */
export interface JitsuAnalyticsOptionsFactory {
  createJitsuAnalyticsOptions(): JitsuAnalyticsOptions | Promise<JitsuAnalyticsOptions>;
}
