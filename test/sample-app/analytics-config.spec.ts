import { resolve } from 'node:path';
import { resolveOptions } from '../../lib/analytics-options.resolver.js';
import { analyticsOptionsFromEnv, describeEventDestination, IGNORED_QUERIES, UNTRACKED_PATHS } from '../../sample-app/config/analytics.config.js';
import { dataDir, DEFAULT_DATA_DIR } from '../../sample-app/config/data-dir.js';
import { databaseOptionsFromEnv } from '../../sample-app/config/database.config.js';
import type { EnvLookup } from '../../sample-app/config/env-lookup.js';

const env =
  (values: Record<string, string>): EnvLookup =>
  (name) =>
    values[name];
const WEATHER = 'http://127.0.0.1:45678';

describe('the sample app configuration from the environment', () => {
  it('sends to the SQLite warehouse in the data folder when JITSU_URL is unset, and the library accepts the options', () => {
    const options = analyticsOptionsFromEnv(env({ DATA_DIR: '/srv/app-data' }), WEATHER);
    expect(options.destination).toEqual({ type: 'warehouse', url: 'sqlite:/srv/app-data/analytics.sqlite' });
    expect(options.jitsuUrl).toBeUndefined();
    const resolved = resolveOptions(options);
    expect(resolved.destination).toEqual({ type: 'warehouse', url: 'sqlite:/srv/app-data/analytics.sqlite' });
    expect(resolved).toMatchObject({ enabled: true, batchSize: 10, batchTimeout: 5000, serviceName: 'sample-app', environment: 'development' });
  });

  it('sends to Jitsu with the guide variables, passing numbers and booleans as the strings the environment holds', () => {
    const options = analyticsOptionsFromEnv(
      env({
        JITSU_URL: 'http://jitsu.internal:8080',
        JITSU_WRITE_KEY: 'key:secret',
        JITSU_PROXY: 'http://proxy.internal:3128',
        ANALYTICS_ENABLED: 'true',
        ANALYTICS_BATCH_SIZE: '25',
        ANALYTICS_BATCH_TIMEOUT: '250',
        ANALYTICS_DEBUG: 'yes',
        NODE_ENV: 'production',
        SERVICE_NAME: 'shop',
      }),
      WEATHER,
    );
    expect(resolveOptions(options)).toMatchObject({
      destination: { type: 'jitsu' },
      jitsuUrl: 'http://jitsu.internal:8080',
      writeKey: 'key:secret',
      proxy: 'http://proxy.internal:3128',
      batchSize: 25,
      batchTimeout: 250,
      debug: true,
      environment: 'production',
      serviceName: 'shop',
    });
  });

  it('treats blank variables as unset, as `JITSU_URL= npm start` means', () => {
    const options = analyticsOptionsFromEnv(env({ JITSU_URL: '  ', ANALYTICS_BATCH_SIZE: '' }), WEATHER);
    expect(options.destination).toMatchObject({ type: 'warehouse' });
    expect(resolveOptions(options).batchSize).toBe(10);
  });

  it('lets a bad value fail the bootstrap with the option named', () => {
    expect(() => resolveOptions(analyticsOptionsFromEnv(env({ ANALYTICS_BATCH_SIZE: 'lots' }), WEATHER))).toThrow(/batchSize/);
  });

  it('leaves the health check and the dashboard out of API tracking, and names the weather stub by its host', () => {
    const options = analyticsOptionsFromEnv(env({}), WEATHER);
    expect(options.api?.exclude).toEqual(UNTRACKED_PATHS);
    expect(UNTRACKED_PATHS).toEqual(expect.arrayContaining(['/health', '/analytics', '/analytics/*']));
    expect(options.outboundHttp).toEqual({ enabled: true, services: { '127.0.0.1:45678': 'weather-api' } });
    expect(options.database?.ignore).toBe(IGNORED_QUERIES);
    expect(IGNORED_QUERIES.some((p) => p.test('SELECT 1'))).toBe(true);
    expect(IGNORED_QUERIES.some((p) => p.test('SELECT 1 FROM users'))).toBe(false);
  });

  it('describes where events go for the dashboard', () => {
    expect(describeEventDestination(env({}))).toBe('this warehouse');
    expect(describeEventDestination(env({ JITSU_URL: 'https://jitsu.example.com/x?key=1' }))).toBe('Jitsu at https://jitsu.example.com, not this warehouse');
    expect(describeEventDestination(env({ ANALYTICS_ENABLED: 'OFF', JITSU_URL: 'https://jitsu.example.com' }))).toMatch(/^nowhere/);
  });

  it('keeps its data under DATA_DIR, relative to the working directory, default data/', () => {
    expect(dataDir(env({}), '/repo')).toBe(resolve('/repo', DEFAULT_DATA_DIR));
    expect(dataDir(env({ DATA_DIR: 'tmp/run-1' }), '/repo')).toBe('/repo/tmp/run-1');
    expect(dataDir(env({ DATA_DIR: '/var/lib/shop' }), '/repo')).toBe('/var/lib/shop');
  });

  it("keeps the app's own data in SQLite, or in PostgreSQL when DATABASE_URL is set", () => {
    expect(databaseOptionsFromEnv(env({ DATA_DIR: '/d' }))).toMatchObject({ type: 'better-sqlite3', database: '/d/app.sqlite', autoLoadEntities: true });
    expect(databaseOptionsFromEnv(env({ DATABASE_URL: 'postgres://u:p@db:5432/shop' }))).toMatchObject({ type: 'postgres', url: 'postgres://u:p@db:5432/shop' });
  });

  it('gives up on a database it cannot open after two quick retries, not the 30 s of @nestjs/typeorm\'s defaults', () => {
    // An unwritable DATA_DIR fails every attempt alike (ENOTDIR, EACCES): npm start should say so at once.
    for (const options of [databaseOptionsFromEnv(env({})), databaseOptionsFromEnv(env({ DATABASE_URL: 'postgres://db/shop' }))]) {
      expect(options).toMatchObject({ retryAttempts: 2, retryDelay: 500 });
    }
    expect(databaseOptionsFromEnv(env({ DATABASE_URL: 'postgresql://db/shop' }))).toMatchObject({ type: 'postgres' });
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL by name, without quoting its password', () => {
    // TypeORM would read either as a PostgreSQL address and fail with "getaddrinfo ENOTFOUND base".
    const refusal = (url: string): string => {
      try {
        databaseOptionsFromEnv(env({ DATABASE_URL: url }));
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`expected DATABASE_URL=${url} to be refused`);
    };
    expect(refusal('data/app.sqlite')).toMatch(/^DATABASE_URL: expected a PostgreSQL URL such as postgres:\/\/user:pass@host:5432\/db/);
    expect(refusal('mysql://shop:hunter2@db:3306/shop')).toContain('DATABASE_URL: expected a PostgreSQL URL');
    expect(refusal('mysql://shop:hunter2@db:3306/shop')).not.toContain('hunter2');
  });
});
