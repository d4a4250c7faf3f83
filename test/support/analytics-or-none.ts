import type { ModuleMetadata, Provider } from '@nestjs/common';
import { AnalyticsService, createAnalytics, type JitsuAnalyticsOptions } from '../../lib/index.js';
import { JitsuAnalyticsTestingModule } from '../../lib/testing/index.js';

/**
 * What an end-to-end app's module takes to run with the library (its testing module, on the
 * memory transport) or without it: then a disabled `AnalyticsService`, so the app's own providers
 * that inject it still resolve, and the app answers as it would with no analytics at all.
 */
export function analyticsOrNone(
  withAnalytics: boolean,
  options: Omit<JitsuAnalyticsOptions, 'destination'> = {},
): { imports: NonNullable<ModuleMetadata['imports']>; providers: Provider[] } {
  return withAnalytics
    ? { imports: [JitsuAnalyticsTestingModule.forRoot(options)], providers: [] }
    : { imports: [], providers: [{ provide: AnalyticsService, useValue: createAnalytics({ enabled: false }, { logger: false }) }] };
}
