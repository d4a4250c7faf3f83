// @segment/analytics-node pointed at the sink (`host`); `/v1/batch` is its default path.
import { Analytics } from '@segment/analytics-node';
import { apiCallProperties, EVENT_NAME, USER_ID } from '../../lib/workload.mjs';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

export function create({ sinkUrl, options = {} }) {
  const analytics = new Analytics({ writeKey: 'bench-write-key', host: sinkUrl, ...options });
  let failed = 0;
  const onDone = (error) => {
    if (error) failed++;
  };
  /** Events still pending outside the open batch: in its plugin chain or in a batch being sent. */
  const pendingOutsideOpenBatch = () => analytics._pendingEvents - (analytics._publisher?._batch?.length ?? 0);
  return {
    track: (i) => analytics.track({ userId: USER_ID, event: EVENT_NAME, properties: apiCallProperties(i) }, onDone),
    // analytics-node 3.1.0's flush() sends the open (partial) batch at once only when nothing else
    // is pending; called while a batch is in flight it leaves the open batch to its flushInterval
    // timer (10 s by default), so the row would time that timer, not delivery. Wait (1 ms polls)
    // until only the open batch is pending, then flush — what a caller who knew would do.
    flush: async () => {
      while (pendingOutsideOpenBatch() > 0) await tick();
      await analytics.flush({ timeout: 120_000 });
    },
    close: () => analytics.closeAndFlush({ timeout: 5_000 }),
    // Events accepted and not yet settled (delivered or failed): its own counter.
    report: () => ({ dropped: failed ? { delivery_failed: failed } : {}, held: analytics._pendingEvents }),
  };
}
