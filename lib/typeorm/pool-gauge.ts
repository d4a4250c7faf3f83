import type { DataSource } from 'typeorm';

/** The counters `pg.Pool` exposes (and mysql2's pool does not, hence PostgreSQL only). */
interface PgPoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * The pool's figures for the System Performance event: `db_pool_total` (open connections),
 * `db_pool_idle`, `db_pool_waiting` (callers queued for a connection). Reads TypeORM's
 * `driver.master`, which is the `pg.Pool` for the postgres driver in 0.3 and 1.x; undefined for
 * any other driver and while the DataSource is not initialised.
 */
export function poolFigures(dataSource: DataSource): Record<string, number> | undefined {
  if (!dataSource.isInitialized) return undefined;
  const pool = (dataSource.driver as unknown as { master?: unknown }).master;
  if (!isPgPool(pool)) return undefined;
  return { db_pool_total: pool.totalCount, db_pool_idle: pool.idleCount, db_pool_waiting: pool.waitingCount };
}

/** The pool to listen to for broken idle connections (`error` events), when there is one. */
export function eventPool(dataSource: DataSource): { on(event: 'error', l: (e: Error) => void): unknown; off(event: 'error', l: (e: Error) => void): unknown } | undefined {
  const pool = (dataSource.driver as unknown as { master?: unknown } | undefined)?.master as
    | { on?: unknown; off?: unknown }
    | undefined;
  return isPgPool(pool) && typeof pool.on === 'function' && typeof pool.off === 'function' ? (pool as never) : undefined;
}

function isPgPool(pool: unknown): pool is PgPoolLike & { on?: unknown; off?: unknown } {
  if (typeof pool !== 'object' || pool === null) return false;
  const p = pool as Partial<PgPoolLike>;
  return typeof p.totalCount === 'number' && typeof p.idleCount === 'number' && typeof p.waitingCount === 'number';
}
