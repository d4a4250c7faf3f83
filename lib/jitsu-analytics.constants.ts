/** DI token of the `AnalyticsCore` that one module instance owns. */
export const ANALYTICS_CORE = Symbol('JITSU_ANALYTICS_CORE');
/** DI token of the `CoreBinder` that hands the same module's core to decorated instances. */
export const CORE_BINDER = Symbol('JITSU_ANALYTICS_CORE_BINDER');
export const LOG_CONTEXT = 'JitsuAnalytics';
