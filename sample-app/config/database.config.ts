import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { appDatabaseFile, dataDir } from './data-dir.js';
import { type EnvLookup, setting } from './env-lookup.js';

const COMMON = {
  // Each feature module lists its entities with TypeOrmModule.forFeature; autoLoadEntities collects them.
  autoLoadEntities: true,
  synchronize: true,
  // Two quick retries, not @nestjs/typeorm's ten every 3 s: a wrong DATABASE_URL or a DATA_DIR
  // that cannot be written should stop `npm start` at once.
  retryAttempts: 2,
  retryDelay: 500,
};

/**
 * The app's own database: SQLite in the data folder, or PostgreSQL when `DATABASE_URL` is set.
 * `synchronize` creates the tables from the entities, which suits an example app (never a real one).
 */
export function databaseOptionsFromEnv(env: EnvLookup): TypeOrmModuleOptions {
  const url = setting(env, 'DATABASE_URL');
  if (url) return { type: 'postgres', url: postgresUrl(url), ...COMMON };
  return { type: 'better-sqlite3', database: appDatabaseFile(dataDir(env)), ...COMMON };
}

/**
 * TypeORM reads any text as a PostgreSQL address, so a file path or another database's URL would
 * fail later as "getaddrinfo ENOTFOUND". Only the scheme is quoted: the rest may hold a password.
 */
function postgresUrl(url: string): string {
  if (/^postgres(ql)?:\/\//i.test(url)) return url;
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0];
  throw new Error(`DATABASE_URL: expected a PostgreSQL URL such as postgres://user:pass@host:5432/db, got ${scheme ? `a ${scheme} URL` : 'something else'}`);
}
