import type { AnalyticsCore } from '../analytics-core.js';
import { backendErrorEvent, databaseQueryEvent, type KindEvent } from '../events/event-builders.js';
import type { SqlDialect } from '../privacy/sql-dialect.js';
import type { ResolvedDatabaseOptions } from './database-options.js';
import { dbErrorCode, safeDbError } from './db-error-message.js';
import { roundMs } from '../events/field-values.js';

/** Statements longer than this are classified every time rather than cached (bulk inserts are rarely repeated verbatim). */
const MAX_CACHED_SQL_LENGTH = 4096;
const MAX_CACHED_STATEMENTS = 512;
/** A number not inside a word: `= 42`, `$1`, `LIMIT 10`, but not the digits of `t1` or `"Product_2"`. */
const NUMBER = /(?<!\w)\d+/g;

/** One executed statement as a query hook reports it. */
export interface ExecutedQuery {
  sql: string;
  durationMs: number;
  success: boolean;
  /** The driver's error for a failed statement. */
  error?: unknown;
}

/**
 * Turns executed statements into `Database Query` events (plus a `Backend Error` for a failure),
 * applying `ignore`, `slowQueryMs` and `sampleRate`. Runs on every query the application makes,
 * so classification and fingerprinting are done once per statement shape, not once per query.
 */
export class QueryRecorder {
  private readonly shapes = new Map<string, KindEvent>();
  /** The last statement and its shape: a parameterised query in a loop repeats its text exactly. */
  private lastSql?: string;
  private lastShape?: KindEvent;

  /**
   * One recorder per database: its `dialect` is fixed, so the shape cache never serves a
   * statement read under one dialect's rules to a database of another, and `dataSource` (the
   * DataSource's name) tells apart the events of an app's several databases.
   */
  constructor(
    private readonly core: AnalyticsCore,
    private readonly options: ResolvedDatabaseOptions,
    private readonly dialect: SqlDialect = 'unknown',
    private readonly random: () => number = Math.random,
    private readonly dataSource?: string,
  ) {}

  record(query: ExecutedQuery): void {
    if (!this.core.enabled) return;
    try {
      if (this.options.ignore(query.sql)) return;
      const sampled = this.sampled(query);
      if (sampled === undefined) return;
      const shape = this.shape(query.sql);
      const code = dbErrorCode(query.error);
      const properties: Record<string, unknown> = {
        ...shape.properties,
        query_duration_ms: roundMs(Math.max(0, query.durationMs)),
        query_success: query.success,
      };
      if (code !== undefined) properties.error_code = code;
      if (sampled < 1) properties.sample_rate = sampled;
      this.core.recordKind({ kind: 'database', properties });
      if (!query.success) this.recordFailure(query.error, shape, code);
    } catch (error) {
      this.core.reporter.dropped('invalid_event', ['(unassigned)'], `could not record a database query: ${(error as Error)?.message ?? error}`);
    }
  }

  /** The rate the event stands for (1 when always kept), or undefined when sampled out. */
  private sampled({ success, durationMs }: ExecutedQuery): number | undefined {
    const { sampleRate, slowQueryMs } = this.options;
    if (sampleRate >= 1 || !success || durationMs >= slowQueryMs) return 1;
    return this.random() < sampleRate ? sampleRate : undefined;
  }

  private shape(sql: string): KindEvent {
    if (sql === this.lastSql) return this.lastShape!;
    const shape = this.classify(sql);
    // A bulk statement is not held until the next query.
    if (sql.length <= MAX_CACHED_SQL_LENGTH) {
      this.lastSql = sql;
      this.lastShape = shape;
    }
    return shape;
  }

  /**
   * Type, table and fingerprint of a statement, cached under its text with numbers replaced: ORMs
   * inline numeric ids (`WHERE "id" = 42`), and a cache keyed by the raw text would miss on every
   * id. Statements that share a key differ only in number literals, which the fingerprint removes
   * anyway (the one exception, digits alone in a quoted identifier such as `"col 2"`, shows the
   * first such identifier seen: a name, never a value).
   */
  private classify(sql: string): KindEvent {
    const key = sql.length <= MAX_CACHED_SQL_LENGTH ? sql.replace(NUMBER, '?') : undefined;
    const cached = key === undefined ? undefined : this.shapes.get(key);
    if (cached) return cached;
    // The DataSource's name is part of the cached shape: added to each event's own properties
    // afterwards, it cost every recorded query about 2 µs (the intake's flat-bag check slowed).
    const source = this.dataSource === undefined ? undefined : { data_source: this.dataSource };
    const shape = databaseQueryEvent(sql, 0, true, source, this.dialect);
    if (key !== undefined) {
      if (this.shapes.size >= MAX_CACHED_STATEMENTS) this.shapes.delete(this.shapes.keys().next().value as string);
      this.shapes.set(key, shape);
    }
    return shape;
  }

  private recordFailure(error: unknown, shape: KindEvent, code: string | undefined): void {
    const { query_table, query_type } = shape.properties;
    this.core.recordKind(
      backendErrorEvent(
        { source: 'database', error: safeDbError(error, 'query failed') },
        { error_code: code, query_table, query_type, data_source: this.dataSource },
      ),
    );
  }
}
