import type { SqlDialect } from '../privacy/sql-dialect.js';

/**
 * How a TypeORM driver's SQL is read (sql-dialect.ts), from `DataSourceOptions.type`. Every
 * SQLite driver shares SQLite's lexer. A type not listed here (Oracle, SAP HANA, Spanner, or one
 * added later) is read as 'unknown', which is safe under every dialect's rules.
 */
const DIALECTS: Readonly<Record<string, SqlDialect>> = {
  mysql: 'mysql',
  mariadb: 'mysql',
  'aurora-mysql': 'mysql',
  postgres: 'postgres',
  cockroachdb: 'postgres',
  'aurora-postgres': 'postgres',
  sqlite: 'sqlite',
  'better-sqlite3': 'sqlite',
  sqljs: 'sqlite',
  capacitor: 'sqlite',
  cordova: 'sqlite',
  expo: 'sqlite',
  nativescript: 'sqlite',
  'react-native': 'sqlite',
  mssql: 'mssql',
};

export function typeOrmDialect(type: unknown): SqlDialect {
  return typeof type === 'string' && Object.hasOwn(DIALECTS, type) ? DIALECTS[type] : 'unknown';
}
