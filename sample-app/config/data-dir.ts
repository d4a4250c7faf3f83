import { resolve } from 'node:path';
import { type EnvLookup, setting } from './env-lookup.js';

export const DEFAULT_DATA_DIR = 'data';

/**
 * Where the sample app keeps its state: its own database, the analytics warehouse and uploaded
 * files. `DATA_DIR` moves it (tests give each run its own); relative paths start at the working
 * directory, like `npm start` from the repository root expects.
 */
export function dataDir(env: EnvLookup, cwd: string = process.cwd()): string {
  return resolve(cwd, setting(env, 'DATA_DIR') ?? DEFAULT_DATA_DIR);
}

export function warehouseFile(directory: string): string {
  return resolve(directory, 'analytics.sqlite');
}

export function appDatabaseFile(directory: string): string {
  return resolve(directory, 'app.sqlite');
}

export function uploadsDir(directory: string): string {
  return resolve(directory, 'uploads');
}
