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

/** Rows [start, end) of a group, each with its message id. */
export function sliceGroup(group: PlannedGroup, start: number, end: number): PlannedGroup {
  return { schema: group.schema, rows: group.rows.slice(start, end), messageIds: group.messageIds.slice(start, end) };
}

/**
 * Tries rows [start, end) together and, when `attempt` reports that they did not land, each half
 * the same way, down to single rows, whose outcome is final. A failed range whose left half landed
 * has its fault in the right half, which is split without being tried whole. k bad rows among n
 * cost O(k log n) attempts rather than n. Ranges are tried in order, so bad rows are met in batch
 * order. Resolves true when every row landed.
 */
export async function bisect(
  start: number,
  end: number,
  attempt: (start: number, end: number) => Promise<boolean>,
  knownToFail = false,
): Promise<boolean> {
  const single = end - start <= 1;
  // A single row is tried even when known to fail: its own error is the rejection's reason.
  if (!knownToFail || single) {
    if (await attempt(start, end)) return true;
    if (single) return false;
  }
  const middle = start + Math.ceil((end - start) / 2);
  const leftLanded = await bisect(start, middle, attempt);
  await bisect(middle, end, attempt, leftLanded);
  return false;
}
