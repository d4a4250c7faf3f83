/**
 * How the event builders turn what callers hand them into field values: pure, and lenient (a
 * value of the wrong type is left out, never thrown about).
 */

/**
 * An own `__proto__` key (JSON.parse and spreads make them) stays a key: assigned, it would
 * replace the prototype, dropping the value and letting inherited fields shadow the ones the
 * envelope adds later.
 */
export function putField(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

export function stripQuery(path: string): string {
  const q = path.search(/[?#]/);
  return q === -1 ? path : path.slice(0, q);
}

export function idString(id: unknown): string | undefined {
  if (typeof id === 'string') return id === '' ? undefined : id;
  if (typeof id === 'number' || typeof id === 'bigint') return String(id);
  return undefined;
}

export function optionalString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function optionalInt(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

export function optionalMs(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? roundMs(value) : undefined;
}

/** Durations keep microseconds; a duration that is not a number is 0. */
export function roundMs(ms: number): number {
  return Number.isFinite(ms) ? Math.round(ms * 1000) / 1000 : 0;
}

export function round2(n: number): number {
  return Number.isFinite(n) ? Math.round(n * 100) / 100 : 0;
}
