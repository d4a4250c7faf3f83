import type { AnalyticsCore } from '../analytics-core.js';
import { backendErrorEvent } from '../events/event-builders.js';
import { dbErrorCode, safeDbError } from './db-error-message.js';

export const CONNECTION_EVENT = 'Database Connection';
export const CONNECTION_ACTION = 'database_connection';

/** `initialized`/`destroyed`: a DataSource came up or went down; `error`: connecting failed or an open connection broke. */
export type ConnectionEventType = 'initialized' | 'destroyed' | 'error';

export interface ConnectionFacts {
  /** The DataSource's name in the app (`default` for the unnamed one). */
  dataSource: string;
  /** The driver type (`postgres`, `better-sqlite3`, ...). */
  dbType?: string;
}

/**
 * Records a `Database Connection` event. It is not one of the nine kinds, so it goes where the
 * shared routing rule (`routeEvent`) sends an unknown `event_action`: the custom-events table.
 * A failure also records a `Backend Error` (`error_source: 'database'`), whose table is where
 * failures are watched; its message keeps object names and loses quoted values.
 */
export function recordConnectionEvent(
  core: AnalyticsCore,
  facts: ConnectionFacts,
  type: ConnectionEventType,
  detail: { durationMs?: number; /** The driver's error, for `error`. */ error?: unknown } = {},
): void {
  if (!core.enabled) return;
  const code = dbErrorCode(detail.error);
  const success = type !== 'error';
  core.record({
    event: CONNECTION_EVENT,
    table: core.options.tables.custom,
    properties: {
      event_action: CONNECTION_ACTION,
      connection_event: type,
      data_source: facts.dataSource,
      db_type: facts.dbType,
      success,
      duration_ms: detail.durationMs === undefined ? undefined : Math.round(detail.durationMs * 1000) / 1000,
      error_code: code,
    },
  });
  if (success) return;
  try {
    core.recordKind(
      backendErrorEvent({ source: 'database', error: safeDbError(detail.error, 'connection failed') }, { error_code: code, data_source: facts.dataSource }),
    );
  } catch (error) {
    core.reporter.dropped('invalid_event', ['(unassigned)'], `could not record a connection error: ${(error as Error)?.message ?? error}`);
  }
}
