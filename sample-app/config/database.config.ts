import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { appDatabaseFile, dataDir } from './data-dir.js';
import { type EnvLookup, setting } from './env-lookup.js';

/**
 * The app's own database: SQLite in the data folder, or PostgreSQL when `DATABASE_URL` is set.
 * `synchronize` creates the tables from the entities, which suits an example app (never a real one).
 */
export function databaseOptionsFromEnv(env: EnvLookup): TypeOrmModuleOptions {
  const url = setting(env, 'DATABASE_URL');
  // Each feature module lists its entities with TypeOrmModule.forFeature; autoLoadEntities collects them.
  // Two quick retries, not @nestjs/typeorm's ten every 3 s: a wrong URL should stop `npm start` at once.
  if (url) return { type: 'postgres', url, autoLoadEntities: true, synchronize: true, retryAttempts: 2, retryDelay: 500 };
  return { type: 'better-sqlite3', database: appDatabaseFile(dataDir(env)), autoLoadEntities: true, synchronize: true };
}
