import type { JitsuAnalyticsOptions } from '../../lib/analytics.options.js';
import type { AnalyticsEvent } from '../../lib/events/analytics-event.interface.js';
import { wireAnalytics, type WireAnalytics } from './wire-analytics.js';

/**
 * For a spec of outbound calls: `tracked()` gives analytics with `outboundHttp` on (`running()`
 * any other), each shut down after its test, so no subscription outlives the test that made it.
 * Call at the top of the spec file.
 */
export function outboundTracking() {
  const started: WireAnalytics[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((wa) => wa.analytics.shutdown()));
  });
  const running = (options?: Omit<JitsuAnalyticsOptions, 'destination'>): WireAnalytics => {
    const wa = wireAnalytics(options);
    started.push(wa);
    return wa;
  };
  return { running, tracked: (services?: Record<string, string>) => running({ outboundHttp: { enabled: true, services } }) };
}

export const calls = async (wa: WireAnalytics): Promise<AnalyticsEvent[]> => (await wa.events()).filter((e) => e.event === 'External API Call');
export const errorsOf = async (wa: WireAnalytics): Promise<AnalyticsEvent[]> => (await wa.events()).filter((e) => e.event === 'Backend Error');
