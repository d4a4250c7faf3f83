import type { AnalyticsCore } from '../analytics-core.js';
import type { KindEvent } from '../events/event-builders.js';
import type { CallReader } from './call-reader.js';
import type { DecoratorArguments } from './decorator-arguments.js';
import type { Extractor, TrackOptionsBase } from './tracked-call.interface.js';

/** The readers of the options every decorator shares, resolved once per decorated method. */
export interface CommonReaders {
  readonly userId?: Extractor<unknown>;
  readonly success?: Extractor<boolean>;
  readonly properties?: Extractor<unknown>;
  readonly site: string;
}

export const COMMON_OPTIONS = ['userId', 'success', 'properties'] as const;

export function commonReaders(
  check: DecoratorArguments,
  options: Partial<TrackOptionsBase>,
  site: string,
  defaultUserId?: Extractor<unknown>,
): CommonReaders {
  return {
    userId: check.field('userId', options.userId, 'id', defaultUserId),
    success: check.extractor<boolean>('success', options.success),
    properties: check.field('properties', options.properties, 'object'),
    site,
  };
}

/**
 * A call that threw is a failure; otherwise the `success` extractor decides, else (or when that
 * extractor fails) the decorator's own rule.
 */
export function succeeded(readers: CommonReaders, reader: CallReader, failed: boolean, byDefault = true): boolean {
  if (failed) return false;
  return readers.success ? Boolean(reader.field('success', readers.success, byDefault)) : byDefault;
}

/** The `properties` option's value, copied as `AnalyticsCore.callerFields` copies a caller's fields. */
export function extraProperties(core: AnalyticsCore, readers: CommonReaders, reader: CallReader): Record<string, unknown> | undefined {
  if (readers.properties === undefined) return undefined;
  return core.callerFields(reader.field('properties', readers.properties), `${readers.site}: the 'properties' extractor's value`);
}

/** Records a kind event with the extracted user id (when there is one) as its `userId`. */
export function recordKind(core: AnalyticsCore, built: KindEvent, userId: unknown): void {
  core.recordKind(built, userId === undefined || userId === null ? undefined : { userId });
}
