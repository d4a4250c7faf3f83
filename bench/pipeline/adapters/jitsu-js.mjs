// @jitsu/js in server-to-server mode: one POST /api/s/s2s/track per event, no batching.
import { jitsuAnalytics } from '@jitsu/js';
import { apiCallProperties, EVENT_NAME, USER_ID } from '../../lib/workload.mjs';

export function create({ sinkUrl, options = {} }) {
  const jitsu = jitsuAnalytics({ host: sinkUrl, writeKey: 'bench-key:bench-secret', s2s: true, ...options });
  // userId as a track option (the event's top-level userId, like every other row), not merged
  // into a copy of the properties on the timed path.
  const trackOptions = { userId: USER_ID };
  let pending = [];
  let settled = 0;
  const onSettled = () => {
    settled++;
  };
  return {
    track: (i) => {
      pending.push(jitsu.track(EVENT_NAME, apiCallProperties(i), trackOptions).then(onSettled, onSettled));
    },
    flush: async () => {
      await Promise.allSettled(pending);
      pending = [];
      settled = 0;
    },
    close: async () => undefined,
    // It logs a failed send and moves on: nothing is counted. Held = requests not yet settled.
    report: () => ({ dropped: {}, held: pending.length - settled }),
  };
}
