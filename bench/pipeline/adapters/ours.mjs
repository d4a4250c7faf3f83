// nestjs-jitsu-analytics through createAnalytics, with its defaults (Jitsu Next batches).
import { library } from '../../lib/library.mjs';
import { apiCallProperties, EVENT_NAME, USER_ID } from '../../lib/workload.mjs';

export function create({ sinkUrl, options = {} }) {
  const analytics = library.createAnalytics(
    { jitsuUrl: sinkUrl, writeKey: 'bench-key:bench-secret', ...options },
    { logger: false },
  );
  const trackOptions = { table: 'api_events', userId: USER_ID };
  return {
    track: (i) => analytics.track(EVENT_NAME, apiCallProperties(i), trackOptions),
    flush: () => analytics.flush(),
    close: () => analytics.shutdown(),
    /** What the library itself reports: its drop counters and what it still holds. */
    report: () => {
      const s = analytics.stats();
      return { dropped: s.dropped, held: s.queued + s.inFlight, sent: s.sent };
    },
  };
}
