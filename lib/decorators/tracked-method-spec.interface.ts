import type { AnalyticsCore } from '../analytics-core.js';
import type { BackendErrorFields } from '../events/event-builders.js';
import type { CallReader } from './call-reader.js';

/**
 * What one decorator knows about one decorated method, worked out once when the class is
 * defined: options checked, extractors and defaults chosen, table and names fixed. The wrapper
 * only times the call and hands the outcome to `record`.
 */
export interface TrackedMethodSpec {
  /** The decorator's name, without `@` (`TrackPayment`). */
  readonly decorator: string;
  /** `Class.method`, for what is reported (drops, extractor failures). */
  readonly site: string;
  /** `error_source` of the `Backend Error` added when the method throws. */
  readonly errorSource: BackendErrorFields['source'];
  /**
   * The outbound HTTP calls the method makes are its own event: `outboundHttp` does not record
   * them again (`@TrackExternalApi`).
   */
  readonly ownsOutboundCalls?: boolean;
  /**
   * Fields its `Backend Error` carries besides the error's (`@TrackExternalApi`: `service` and
   * `endpoint`, as the failures `outboundHttp` records have them).
   */
  readonly errorProperties?: Readonly<Record<string, string>>;
  /**
   * Records the method's event, its fields read through `reader` (an extractor that fails costs
   * its field only). `failed` is true when the method threw or rejected.
   */
  record(core: AnalyticsCore, reader: CallReader, durationMs: number, failed: boolean): void;
}

/** Where a decorator was applied. */
export interface DecoratedSite {
  readonly className: string;
  readonly methodName: string;
  /** `Class.method` */
  readonly label: string;
}
