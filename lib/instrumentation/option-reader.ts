/**
 * Reads the instrumentation option groups (`system`, `outboundHttp`, `database`) the way the core
 * reads its own options: strings are accepted for numbers and booleans (values often come from
 * `process.env`), and every problem is collected with the option's full name, the bad value and
 * what is expected, so one `AnalyticsConfigError` lists them all.
 */
export class OptionProblems {
  readonly list: string[] = [];

  constructor(private readonly group: string) {}

  add(name: string, value: unknown, expected: string): void {
    this.list.push(`${this.group}.${name}: got ${describeValue(value)}, expected ${expected}`);
  }

  /** The group itself: undefined/null mean "all defaults"; anything but a plain object is a problem. */
  object(value: unknown): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    this.list.push(`${this.group}: got ${describeValue(value)}, expected an object`);
    return {};
  }

  bool(name: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined || value === null || value === '') return fallback;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const v = value.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off'].includes(v)) return false;
    }
    this.add(name, value, `a boolean (or 'true'/'false', '1'/'0')`);
    return fallback;
  }

  number(name: string, value: unknown, fallback: number, min: number, max = Number.POSITIVE_INFINITY): number {
    if (value === undefined || value === null || value === '') return fallback;
    const n = typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) {
      const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `between ${min} and ${max}`;
      this.add(name, value, `a number ${range} (a number or a numeric string)`);
      return fallback;
    }
    return n;
  }
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${String(value)}`;
}
