import type { AnalyticsCore } from '../analytics-core.js';
import type { RequestFacts } from '../context/request-context.js';
import { apiCallEvent, backendErrorEvent, type ApiCallFields } from '../events/event-builders.js';
import { removeKnownSecrets } from '../privacy/known-secrets.js';
import type { Identity } from './identify.js';

/** Who and where, shared by a call's `API Call` and its `Backend Error`. */
export interface CallOrigin {
  /** The call's request facts (its id above all): recorded with them even outside their context. */
  facts: RequestFacts;
  identity: Identity;
  ipAddress?: string;
  userAgent?: string;
}

/**
 * Non-HTTP calls have no status line: their `API Call` is built with HTTP-style codes (200, or the
 * error's), as the `ogma` parsers do, so one column serves every transport.
 */
export function recordApiCall(core: AnalyticsCore, fields: ApiCallFields, origin: CallOrigin, timestamp: number): void {
  core.recordKind(apiCallEvent(fields), draftOf(origin, timestamp), origin.facts);
}

/** `secrets`: values redacted from the request's path, which the error's message may quote as well. */
export function recordApiError(
  core: AnalyticsCore,
  error: unknown,
  where: { statusCode: number; method?: string; route?: string; secrets?: readonly string[] },
  origin: CallOrigin,
): void {
  const built = backendErrorEvent({ source: 'api', error, statusCode: where.statusCode, method: where.method, route: where.route });
  const message = built.properties.error_message;
  if (typeof message === 'string' && where.secrets?.length) built.properties.error_message = removeKnownSecrets(message, where.secrets);
  core.recordKind(built, draftOf(origin, Date.now()), origin.facts);
}

function draftOf(origin: CallOrigin, timestamp: number) {
  const context: { ip?: string; userAgent?: string } = {};
  if (origin.ipAddress !== undefined) context.ip = origin.ipAddress;
  if (origin.userAgent !== undefined) context.userAgent = origin.userAgent;
  return { userId: origin.identity.userId, anonymousId: origin.identity.anonymousId, timestamp, context };
}
