import type { AnalyticsCore } from '../analytics-core.js';
import { apiCallEvent, backendErrorEvent, type ApiCallFields } from '../events/event-builders.js';
import type { Identity } from './identify.js';

/** Who and where, shared by a call's `API Call` and its `Backend Error`. */
export interface CallOrigin {
  requestId: string;
  identity: Identity;
  ipAddress?: string;
  userAgent?: string;
}

/**
 * Non-HTTP calls have no status line: their `API Call` is built with HTTP-style codes (200, or the
 * error's), as the `ogma` parsers do, so one column serves every transport.
 */
export function recordApiCall(core: AnalyticsCore, fields: ApiCallFields, origin: CallOrigin, timestamp: number): void {
  core.recordKind(apiCallEvent(fields, { request_id: origin.requestId }), draftOf(origin, timestamp));
}

export function recordApiError(
  core: AnalyticsCore,
  error: unknown,
  where: { statusCode: number; method?: string; route?: string },
  origin: CallOrigin,
): void {
  core.recordKind(
    backendErrorEvent({ source: 'api', error, statusCode: where.statusCode, method: where.method, route: where.route }, { request_id: origin.requestId }),
    draftOf(origin, Date.now()),
  );
}

function draftOf(origin: CallOrigin, timestamp: number) {
  const context: { ip?: string; userAgent?: string } = {};
  if (origin.ipAddress !== undefined) context.ip = origin.ipAddress;
  if (origin.userAgent !== undefined) context.userAgent = origin.userAgent;
  return { userId: origin.identity.userId, anonymousId: origin.identity.anonymousId, timestamp, context };
}
