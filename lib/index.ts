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
export type { JitsuAnalyticsOptionsFactory } from './analytics-options-factory.interface.js';
export type { JitsuAnalyticsModuleAsyncOptions } from './jitsu-analytics.module-definition.js';
export { AnalyticsConfigError } from './analytics-config.error.js';
export type { AnalyticsEvent, AnalyticsEventContext } from './events/analytics-event.interface.js';
export type { TrackOptions } from './events/event-draft.interface.js';
export { EVENT_CATALOG, type EventKind, type EventKindSpec } from './events/event-catalog.js';
export { DEFAULT_TABLES, routeEvent, type TableNames, type TableOverrides } from './events/table-router.js';
export type { AnalyticsStats, DropReason, DroppedInfo, PipelineHealth, SentInfo } from './pipeline/analytics-stats.interface.js';
export type { AnalyticsTransport, DeliveryResult, QueuedEvent } from './transports/transport.interface.js';
export { DeliveryError, type DeliveryErrorInit, type FinalDropReason } from './transports/delivery-error.js';
export { MemoryTransport } from './transports/memory.transport.js';
export { TrackAuth, type TrackAuthOptions } from './decorators/track-auth.decorator.js';
export { TrackPayment, type TrackPaymentOptions } from './decorators/track-payment.decorator.js';
export { TrackEmail, type EmailRecipient, type TrackEmailOptions } from './decorators/track-email.decorator.js';
export { TrackFileOperation, type TrackFileOperationOptions } from './decorators/track-file-operation.decorator.js';
export { TrackExternalApi, type TrackExternalApiOptions } from './decorators/track-external-api.decorator.js';
export { TrackEvent, type TrackEventOptions } from './decorators/track-event.decorator.js';
export type { Extractor, FieldOption, TrackedCall, TrackOptionsBase } from './decorators/tracked-call.interface.js';
export type { TrackingDecorator } from './decorators/tracking-decorator.js';
export { bindTracking } from './decorators/bind-tracking.js';
export { SkipTracking } from './http/skip-tracking.decorator.js';
export { AnalyticsExceptionFilter } from './http/analytics-exception.filter.js';
export { AnalyticsInterceptor } from './http/analytics.interceptor.js';
export { recordApiException } from './http/record-api-exception.js';
export type { ApiTrackingOptions, ContextTracking, ErrorTrackingOptions, IdentifyRequest, RequestIdentity } from './http/api-tracking.options.js';
export type { MiddlewareNext } from './http/track-api-request.js';
export type { SystemOptions } from './instrumentation/system-options.js';
export type { OutboundHttpOptions } from './instrumentation/outbound-http-options.js';
export type { DatabaseOptions } from './instrumentation/database-options.js';
export { SystemSampler, type SystemGauge, type SystemSample } from './instrumentation/system-sampler.js';
export type { SpoolFsyncPolicy, SpoolOptions } from './spool/spool.options.js';
