// posthog-node pointed at the sink (`host`); it posts to `/batch/`, gzipped.
import { PostHog } from 'posthog-node';
import { apiCallProperties, EVENT_NAME, USER_ID } from '../../lib/workload.mjs';

export function create({ sinkUrl, options = {} }) {
  const client = new PostHog('phc_bench_project_token', { host: sinkUrl, ...options });
  return {
    track: (i) => client.capture({ distinctId: USER_ID, event: EVENT_NAME, properties: apiCallProperties(i) }),
    flush: () => client.flush(),
    close: () => client.shutdown(5_000),
    // posthog-node drops the oldest event silently when its queue is full (it logs only in debug).
    report: () => ({ dropped: {}, held: client.getPersistedProperty('queue')?.length }),
  };
}
