/** DI token of the `AnalyticsCore` that one module instance owns. */
export const ANALYTICS_CORE = Symbol('JITSU_ANALYTICS_CORE');
export const LOG_CONTEXT = 'JitsuAnalytics';
