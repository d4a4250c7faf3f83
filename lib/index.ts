export { JitsuAnalyticsModule } from './jitsu-analytics.module.js';
export { AnalyticsService } from './analytics.service.js';
export { createAnalytics, type CreateAnalyticsExtras } from './create-analytics.js';
export type {
  DestinationOption,
  IpPolicyOption,
  JitsuAnalyticsOptions,
  OverflowPolicy,
  RedactOptions,
  RetryOptions,
} from './analytics.options.js';
export { AnalyticsConfigError } from './analytics-config.error.js';
export type { AnalyticsEvent, AnalyticsEventContext } from './events/analytics-event.interface.js';
export type { TrackOptions } from './events/event-draft.interface.js';
export { EVENT_CATALOG, type EventKind, type EventKindSpec } from './events/event-catalog.js';
export { DEFAULT_TABLES, routeEvent, type TableNames, type TableOverrides } from './events/table-router.js';
export type { AnalyticsStats, DropReason, DroppedInfo, SentInfo } from './pipeline/analytics-stats.interface.js';
export type { AnalyticsTransport, DeliveryResult, QueuedEvent } from './transports/transport.interface.js';
export { DeliveryError, type FinalDropReason } from './transports/delivery-error.js';
export { MemoryTransport } from './transports/memory.transport.js';
