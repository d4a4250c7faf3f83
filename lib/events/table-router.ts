import { CUSTOM_EVENTS_TABLE, EVENT_CATALOG, EventKind } from './event-catalog.js';

/** Table names by event kind; `custom` is where `track()` events go when the caller names none. */
export type TableNames = Readonly<Record<EventKind | 'custom', string>>;
export type TableOverrides = Partial<Record<EventKind | 'custom', string>>;

export const DEFAULT_TABLES: TableNames = Object.freeze({
  ...Object.fromEntries(EVENT_CATALOG.map((spec) => [spec.kind, spec.table])),
  custom: CUSTOM_EVENTS_TABLE,
}) as TableNames;

/** A valid table name: what both SQL warehouses and Jitsu destinations accept unquoted. */
export const TABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function resolveTableNames(overrides: TableOverrides | undefined): TableNames {
  return Object.freeze({ ...DEFAULT_TABLES, ...overrides });
}

/**
 * The routing rule shared by the library and the Jitsu function: a known `event_action` picks its
 * kind's table; an event without one is routed by its name; anything else (`event_action:
 * 'custom'`, an unknown action or name) is a custom event, as `track('API Call')` is.
 */
export function routeEvent(
  event: { event?: unknown; properties?: { event_action?: unknown } | null },
  tables: TableNames = DEFAULT_TABLES,
): string {
  const action = event.properties?.event_action;
  const spec =
    action === undefined || action === null
      ? EVENT_CATALOG.find((s) => s.event === event.event)
      : EVENT_CATALOG.find((s) => s.action === action);
  return spec ? tables[spec.kind] : tables.custom;
}
