import type { ArgumentsHost } from '@nestjs/common';
import type { AnalyticsCore } from '../analytics-core.js';
import { apiTrackerOrNothing } from './api-tracker.registry.js';
import { httpCallStateOf } from './http-call-state.js';
import { captureNonHttpError } from './non-http-calls.js';
import { rawRequestOf } from './parsers/http-request.parser.js';
import { isNonHttpContextType } from './parsers/context-parsers.js';

/**
 * Records an exception the way the library's own filter does: for an app's exception filter that
 * answers exceptions before the library's filter would (see `AnalyticsExceptionFilter`). Call it
 * from your filter's `catch(exception, host)`; a request's exception is still recorded once, with
 * the status your filter sends, however many of these see it. Never throws.
 */
export function recordApiException(analytics: { core: AnalyticsCore }, exception: unknown, host: ArgumentsHost): void {
  const tracker = apiTrackerOrNothing(analytics.core);
  if (!tracker?.active) return;
  try {
    const type = host.getType<string>();
    if (type === 'http') {
      const state = tracker.begin(host.getArgByIndex(0), host.getArgByIndex(1));
      tracker.captureError(state, exception);
    } else if (isNonHttpContextType(type)) {
      captureNonHttpError(tracker, type, host, exception);
    }
  } catch (error) {
    tracker.reportFailure(error);
  }
}

/**
 * Hands `error` to the request's tracking when this instance is tracking `request` and records
 * errors; false when the caller should record it on its own. Never throws.
 */
export function captureRequestError(core: AnalyticsCore, request: unknown, error: unknown): boolean {
  const tracker = core.enabled ? apiTrackerOrNothing(core) : undefined;
  if (!tracker?.active || !tracker.settings.errorsEnabled) return false;
  try {
    const state = httpCallStateOf(rawRequestOf(request));
    if (state?.owner !== tracker) return false;
    tracker.captureError(state, error);
    return true;
  } catch (failure) {
    tracker.reportFailure(failure);
    return false;
  }
}
