import type { FieldType } from '../../events/event-catalog.js';
import type { QueuedEvent } from '../transport.interface.js';
import type { ColumnSource, TableSchema } from './warehouse-schema.js';

/** A bound parameter; each dialect maps booleans and JSON text onto its own column types. */
export type SqlValue = string | number | boolean | null;

export type RowResult = { ok: true; values: SqlValue[] } | { ok: false; reason: string };

type Coerced = { ok: true; value: SqlValue } | { ok: false };

const INTEGER_TEXT = /^\s*[-+]?\d+\s*$/;
const DECIMAL_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const FAIL: Coerced = { ok: false };

/**
 * Fits a property value to a typed column when that loses nothing (numeric text → number,
 * 'true'/'false' and 0/1 → boolean, scalars → text); anything else fails, and the caller keeps
 * the raw value in the JSON column instead, so a producer's type change never breaks an insert.
 */
export function coerceValue(value: unknown, type: FieldType): Coerced {
  if (value === null || value === undefined) return { ok: true, value: null };
  switch (type) {
    case 'text':
      if (typeof value === 'string') return { ok: true, value };
      if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
        return { ok: true, value: String(value) };
      }
      return FAIL;
    case 'integer': {
      const n = typeof value === 'string' && INTEGER_TEXT.test(value) ? Number(value) : value;
      return typeof n === 'number' && Number.isSafeInteger(n) ? { ok: true, value: n } : FAIL;
    }
    case 'real': {
      const n = typeof value === 'string' && DECIMAL_TEXT.test(value) ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? { ok: true, value: n } : FAIL;
    }
    case 'boolean':
      return coerceBoolean(value);
  }
}

function coerceBoolean(value: unknown): Coerced {
  if (typeof value === 'boolean') return { ok: true, value };
  if (value === 1 || value === 0) return { ok: true, value: value === 1 };
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true' || text === '1') return { ok: true, value: true };
    if (text === 'false' || text === '0') return { ok: true, value: false };
  }
  return FAIL;
}

/**
 * Turns one queued event into the parameter values of `schema.columns`, in order. Malformed events
 * (not JSON, not an object, no usable timestamp) come back as a reason to reject that event alone.
 */
export function buildRow(queued: QueuedEvent, schema: TableSchema, receivedAt: string): RowResult {
  let event: unknown;
  try {
    event = JSON.parse(queued.json);
  } catch {
    return { ok: false, reason: 'Event is not valid JSON' };
  }
  if (!isRecord(event)) return { ok: false, reason: 'Event is not a JSON object' };
  if (typeof queued.messageId !== 'string' || queued.messageId === '') {
    return { ok: false, reason: 'Event has no messageId' };
  }
  const properties = event.properties ?? {};
  if (!isRecord(properties)) return { ok: false, reason: 'Event properties are not a JSON object' };
  const timestamp = isoTimestamp(event.timestamp);
  if (timestamp === undefined) return { ok: false, reason: 'Event has a missing or invalid timestamp' };

  const envelope: Record<ColumnSource, SqlValue> = {
    messageId: queued.messageId,
    timestamp,
    receivedAt,
    event: asText(event.event),
    userId: asText(event.userId),
    anonymousId: asText(event.anonymousId),
    property: null,
    properties: null,
    context: event.context === undefined ? null : JSON.stringify(event.context),
  };
  const leftover: Record<string, unknown> = { ...properties };
  const values = schema.columns.map((column): SqlValue => {
    if (column.source !== 'property') return envelope[column.source];
    const raw = properties[column.name];
    if (raw === undefined || raw === null) {
      delete leftover[column.name];
      return column.fallback ? envelope[column.fallback] : null;
    }
    const coerced = coerceValue(raw, column.type as FieldType);
    if (!coerced.ok) return null;
    delete leftover[column.name];
    return coerced.value;
  });
  // Filled last: only now is it known which properties found a typed column.
  const json = JSON.stringify(leftover);
  schema.columns.forEach((column, i) => {
    if (column.source === 'properties') values[i] = json;
  });
  return { ok: true, values };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asText(value: unknown): string | null {
  const coerced = coerceValue(value, 'text');
  return coerced.ok ? (coerced.value as string | null) : null;
}

function isoTimestamp(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
