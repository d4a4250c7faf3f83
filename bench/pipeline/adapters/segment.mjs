// @segment/analytics-node pointed at the sink (`host`); `/v1/batch` is its default path.
import { Analytics } from '@segment/analytics-node';
import { apiCallProperties, EVENT_NAME, USER_ID } from '../../lib/workload.mjs';

export function create({ sinkUrl, options = {} }) {
  const analytics = new Analytics({ writeKey: 'bench-write-key', host: sinkUrl, ...options });
  let failed = 0;
  const onDone = (error) => {
    if (error) failed++;
  };
  return {
    track: (i) => analytics.track({ userId: USER_ID, event: EVENT_NAME, properties: apiCallProperties(i) }, onDone),
    flush: () => analytics.flush({ timeout: 120_000 }),
    close: () => analytics.closeAndFlush({ timeout: 5_000 }),
    // Events accepted and not yet settled (delivered or failed): its own counter.
    report: () => ({ dropped: failed ? { delivery_failed: failed } : {}, held: analytics._pendingEvents }),
  };
}
