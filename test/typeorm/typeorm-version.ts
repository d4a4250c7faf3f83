import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The installed TypeORM's major version (0 or 1): `.ci/typeorm03-smoke.sh` runs these specs on TypeORM 0.3 too. */
export const TYPEORM_MAJOR = Number(
  (JSON.parse(readFileSync(join(dirname(createRequire(import.meta.url).resolve('typeorm')), 'package.json'), 'utf8')) as { version: string }).version.split('.')[0],
);

/**
 * TypeORM 0.3's better-sqlite3 driver prepares a statement before its error handling: one SQLite
 * refuses to prepare (a syntax error, a missing table or column) reaches neither subscribers nor
 * the logger, so nothing can record it. 1.x reports it like any other failure.
 */
export const SQLITE_PREPARE_ERRORS_RECORDED = TYPEORM_MAJOR >= 1;
