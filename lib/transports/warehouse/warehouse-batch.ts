import { TABLE_NAME_PATTERN } from '../../events/table-router.js';
import type { QueuedEvent } from '../transport.interface.js';
import type { TableRows } from './warehouse-dialect.js';
import { buildRow, type SqlValue } from './warehouse-row.js';
import { type TableSchema, isValidTableName } from './warehouse-schema.js';

export interface Rejection {
  readonly messageId: string;
  readonly reason: string;
}

/** The rows bound for one table, with the message id of each row (same order) for rejections. */
export interface PlannedGroup extends TableRows {
  readonly rows: SqlValue[][];
  readonly messageIds: string[];
}

export interface BatchPlan {
  readonly groups: PlannedGroup[];
  readonly rejected: Rejection[];
}

const INVALID_TABLE = `Invalid table name (must match ${TABLE_NAME_PATTERN})`;

/**
 * Splits a batch into rows per table. Events that can never be inserted (invalid table name,
 * malformed JSON) are rejected here, before any SQL, so they cannot fail the others; the invalid
 * name is not echoed, as it may be anything a caller passed.
 */
export function planBatch(
  batch: readonly QueuedEvent[],
  schemaFor: (table: string) => TableSchema,
  receivedAt: string,
): BatchPlan {
  const groups = new Map<string, PlannedGroup>();
  const rejected: Rejection[] = [];
  for (const queued of batch) {
    if (!isValidTableName(queued.table)) {
      rejected.push({ messageId: queued.messageId, reason: INVALID_TABLE });
      continue;
    }
    let group = groups.get(queued.table);
    if (!group) {
      group = { schema: schemaFor(queued.table), rows: [], messageIds: [] };
      groups.set(queued.table, group);
    }
    const row = buildRow(queued, group.schema, receivedAt);
    if (!row.ok) {
      rejected.push({ messageId: queued.messageId, reason: row.reason });
      continue;
    }
    group.rows.push(row.values);
    group.messageIds.push(queued.messageId);
  }
  return { groups: [...groups.values()].filter((g) => g.rows.length > 0), rejected };
}
