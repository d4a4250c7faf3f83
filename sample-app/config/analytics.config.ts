import type { JitsuAnalyticsOptions } from '../../lib/index.js';
import { dataDir, warehouseFile } from './data-dir.js';
import { type EnvLookup, setting } from './env-lookup.js';

/** Paths the dashboard and the startup log never record as `API Call`s: they would only measure themselves. */
export const UNTRACKED_PATHS = ['/health', '/analytics', '/analytics/*'];

/** TypeORM's health ping (`SELECT 1`) would otherwise be most of `database_events`. */
export const IGNORED_QUERIES = [/^\s*SELECT 1\s*$/i];

export const WEATHER_SERVICE_NAME = 'weather-api';

/**
 * The guide's environment variables turned into module options. Without `JITSU_URL` events go to
 * the embedded SQLite warehouse in the data folder, which the dashboard at `/analytics` reads;
 * with it, to that Jitsu server. Strings are passed through as they are: the library accepts
 * them for numbers and booleans and names the variable's option when one is bad.
 */
export function analyticsOptionsFromEnv(env: EnvLookup, weatherApiUrl: string): JitsuAnalyticsOptions {
  const jitsuUrl = setting(env, 'JITSU_URL');
  return {
    jitsuUrl,
    writeKey: setting(env, 'JITSU_WRITE_KEY'),
    protocol: setting(env, 'JITSU_PROTOCOL') as JitsuAnalyticsOptions['protocol'],
    proxy: setting(env, 'JITSU_PROXY'),
    destination: jitsuUrl ? 'jitsu' : { type: 'warehouse', url: `sqlite:${warehouseFile(dataDir(env))}` },
    enabled: setting(env, 'ANALYTICS_ENABLED') ?? true,
    batchSize: setting(env, 'ANALYTICS_BATCH_SIZE'),
    batchTimeout: setting(env, 'ANALYTICS_BATCH_TIMEOUT'),
    debug: setting(env, 'ANALYTICS_DEBUG'),
    serviceName: setting(env, 'SERVICE_NAME') ?? 'sample-app',
    environment: setting(env, 'NODE_ENV') ?? 'development',
    api: { exclude: UNTRACKED_PATHS },
    system: { intervalMs: setting(env, 'ANALYTICS_SYSTEM_INTERVAL_MS') },
    outboundHttp: { enabled: true, services: { [new URL(weatherApiUrl).host]: WEATHER_SERVICE_NAME } },
    database: { ignore: IGNORED_QUERIES },
  };
}

/** Where `analyticsOptionsFromEnv` sends events, in words, for the dashboard's header. */
export function describeEventDestination(env: EnvLookup): string {
  const enabled = setting(env, 'ANALYTICS_ENABLED');
  if (enabled !== undefined && ['false', '0', 'no', 'off'].includes(enabled.toLowerCase())) return 'nowhere: ANALYTICS_ENABLED is off';
  const jitsuUrl = setting(env, 'JITSU_URL');
  if (jitsuUrl) return `Jitsu at ${URL.canParse(jitsuUrl) ? new URL(jitsuUrl).origin : 'JITSU_URL'}, not this warehouse`;
  return 'this warehouse';
}
