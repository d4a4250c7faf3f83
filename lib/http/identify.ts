import { describeThrown } from '../options/describe-thrown.js';
import { isPromiseResult } from '../options/sync-result.js';
import type { IdentifyRequest, RequestIdentity } from './api-tracking.options.js';

/** Ids as the request facts hold them: non-empty strings. */
export interface Identity {
  userId?: string;
  anonymousId?: string;
}

/** The default `api.identify`: `request.user.id`, else `request.user.sub` (a JWT's subject). */
export const identifyFromUser: IdentifyRequest = (request) => {
  const user = (request as { user?: unknown } | null | undefined)?.user;
  if (typeof user !== 'object' || user === null) return undefined;
  const { id, sub } = user as { id?: unknown; sub?: unknown };
  const userId = idString(id) ?? idString(sub);
  return userId === undefined ? undefined : { userId };
};

/**
 * Runs `identify` on a request. Never throws: what it throws is returned as `failure` for the
 * caller to count, and ids that are not strings or finite numbers are ignored.
 */
export function identifyRequest(identify: IdentifyRequest, request: unknown): { identity: Identity; failure?: string } {
  try {
    const result: RequestIdentity | null | undefined = identify(request);
    if (isPromiseResult(result)) return { identity: {}, failure: 'api.identify returned a Promise; it must return the ids synchronously' };
    const identity: Identity = {};
    if (typeof result !== 'object' || result === null) return { identity };
    const userId = idString(result.userId);
    const anonymousId = idString(result.anonymousId);
    if (userId !== undefined) identity.userId = userId;
    if (anonymousId !== undefined) identity.anonymousId = anonymousId;
    return { identity };
  } catch (error) {
    return { identity: {}, failure: `api.identify threw: ${describeThrown(error)}` };
  }
}

function idString(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
