/** How `callerFields` marks a field it could not read and tells of a value it could not use. */
export interface FieldReading {
  /** The stand-in for a field whose getter threw. */
  unreadable(): unknown;
  warn(message: string): void;
}

/**
 * A caller's object of fields (`track()` properties, the `extra` of `trackPayment()` and the
 * others, what a decorator's `properties` extractor returns), copied once as it is handed over:
 * events are built after the call returns, and the builders destructure what they are given.
 * What cannot be read costs the field, or all the fields, never the event: the call happened.
 * A Map gives its entries; a value that is not an object is, with a warning, kept as `{ value }`
 * (an event's own properties) or left out (an `extra`, whose fields only add to the event's: an
 * Error handed over as one would carry its message, a driver's with the statement's values);
 * `undefined` means no fields (none given, left out, or not even listable, as a revoked proxy).
 */
export function callerFields(value: unknown, what: string, reading: FieldReading, otherValues: 'kept' | 'left out' = 'kept'): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  let fields: Record<string, unknown> | undefined;
  try {
    if (value instanceof Map) return Object.fromEntries([...value].map(([key, entry]) => [String(key), entry]));
    if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date || value instanceof Error) {
      const kind = Array.isArray(value) ? 'an array' : value instanceof Date ? 'a Date' : value instanceof Error ? 'an Error' : typeof value;
      reading.warn(`${what} should be an object, got ${kind}: ${otherValues === 'kept' ? 'kept as { value }' : 'left out'}`);
      return otherValues === 'kept' ? { value } : undefined;
    }
    fields = readFields(value, reading.unreadable);
  } catch {
    // `instanceof` and `Array.isArray` throw on a revoked proxy.
    fields = undefined;
  }
  if (fields === undefined) reading.warn(`${what} could not be read (a revoked proxy?): recorded without them`);
  return fields;
}

/** Own enumerable fields; a getter that throws gives `unreadable()` for its field; undefined when they cannot be listed. */
function readFields(fields: object, unreadable: () => unknown): Record<string, unknown> | undefined {
  try {
    // A spread keeps V8 on its fast copy: 41 ns against 110 ns with a leading literal field.
    return { ...fields };
  } catch {
    return fieldByField(fields, unreadable);
  }
}

function fieldByField(fields: object, unreadable: () => unknown): Record<string, unknown> | undefined {
  let keys: string[];
  try {
    keys = Object.keys(fields);
  } catch {
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    try {
      out[key] = (fields as Record<string, unknown>)[key];
    } catch {
      out[key] = unreadable();
    }
  }
  return out;
}
