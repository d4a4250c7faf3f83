import type { JitsuAnalyticsOptions } from '../lib/index.js';

/**
 * The guide's environment variables. Without JITSU_URL and JITSU_WRITE_KEY the sample app writes
 * its events to the log (the console destination), so it runs with no Jitsu server.
 */
export function analyticsOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): JitsuAnalyticsOptions {
  const toJitsu = Boolean(env.JITSU_URL && env.JITSU_WRITE_KEY);
  return {
    jitsuUrl: env.JITSU_URL,
    writeKey: env.JITSU_WRITE_KEY,
    destination: toJitsu ? 'jitsu' : 'console',
    enabled: env.ANALYTICS_ENABLED ?? true,
    batchSize: env.ANALYTICS_BATCH_SIZE,
    batchTimeout: env.ANALYTICS_BATCH_TIMEOUT,
    debug: env.ANALYTICS_DEBUG,
    serviceName: env.SERVICE_NAME ?? 'sample-app',
  };
}
