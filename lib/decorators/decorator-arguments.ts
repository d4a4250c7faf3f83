import { AnalyticsConfigError } from '../analytics-config.error.js';
import { TABLE_NAME_PATTERN } from '../events/table-router.js';
import { describeValue } from '../options/describe-value.js';
import type { Extractor } from './tracked-call.interface.js';

/**
 * Checks a decorator's arguments once, when the class is defined, so a typo fails at startup
 * with a message naming the decorator, the method, the argument and what was expected, instead
 * of silently producing empty columns at run time.
 */
export class DecoratorArguments {
  private readonly problems: string[] = [];

  constructor(
    private readonly decorator: string,
    private readonly site: string,
  ) {}

  /** A required non-empty string argument such as an action or a service name. */
  text(name: string, value: unknown, maxLength = 256): string {
    if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) {
      this.problem(`${name}: got ${describeValue(value)}, expected a non-empty string of at most ${maxLength} characters`);
      return '';
    }
    return value;
  }

  /** The options object: undefined, or an object whose keys are all known. */
  options<T extends object>(value: T | undefined, allowed: readonly string[]): Partial<T> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problem(`options: got ${describeValue(value)}, expected an object with ${allowed.join(', ')}`);
      return {};
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.problem(`options.${key}: unknown option; expected one of ${allowed.join(', ')}`);
    }
    return value;
  }

  /** An option that must be a function when given (`success`). */
  extractor<T>(name: string, value: unknown): Extractor<T> | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'function') return value as Extractor<T>;
    this.problem(`options.${name}: got ${describeValue(value)}, expected a function ({ args, result, error, instance }) => value`);
    return undefined;
  }

  /**
   * A field option: an extractor, or a fixed value of the `kind` the event's column takes, checked
   * now (a fixed `currency: 5` would otherwise vanish from every event without a word).
   */
  field<T>(name: string, option: unknown, kind: FixedKind, fallback?: Extractor<T>): Extractor<unknown> | undefined {
    if (option !== undefined && typeof option !== 'function' && !FIXED_KINDS[kind].accepts(option)) {
      this.problem(`options.${name}: got ${describeValue(option)}, expected ${FIXED_KINDS[kind].wording} or a function ({ args, result, error, instance }) => value`);
      return fallback;
    }
    return fieldReader(option, fallback);
  }

  /** A table name `core.record` will accept. */
  table(name: string, value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && TABLE_NAME_PATTERN.test(value)) return value;
    this.problem(`options.${name}: got ${describeValue(value)}, expected a table name of letters, digits and _ (not starting with a digit, at most 63 characters)`);
    return undefined;
  }

  flag(name: string, value: unknown): boolean {
    if (value === undefined) return false;
    if (typeof value === 'boolean') return value;
    this.problem(`options.${name}: got ${describeValue(value)}, expected true or false`);
    return false;
  }

  problem(message: string): void {
    this.problems.push(`@${this.decorator}() on ${this.site}: ${message}`);
  }

  /** Throws every problem found, at once. */
  done(): void {
    if (this.problems.length > 0) throw new AnalyticsConfigError(this.problems);
  }
}

type FixedKind = 'text' | 'number' | 'id' | 'object' | 'recipient';

const isText = (v: unknown) => typeof v === 'string' && v.trim() !== '';
const FIXED_KINDS: Record<FixedKind, { accepts(value: unknown): boolean; wording: string }> = {
  text: { accepts: isText, wording: 'a non-empty string' },
  number: { accepts: (v) => typeof v === 'number' && Number.isFinite(v), wording: 'a finite number' },
  id: { accepts: (v) => isText(v) || (typeof v === 'number' && Number.isFinite(v)), wording: 'a string or a number' },
  object: { accepts: (v) => typeof v === 'object' && v !== null && !Array.isArray(v), wording: 'an object' },
  recipient: { accepts: (v) => isText(v) || (Array.isArray(v) && v.every(isText)), wording: 'an address or a list of addresses' },
};

/**
 * A field read per call: the user's option (a fixed value or an extractor), else the
 * decorator's default extractor, else nothing.
 */
function fieldReader<T>(option: unknown, fallback?: Extractor<T>): Extractor<unknown> | undefined {
  if (typeof option === 'function') return option as Extractor<unknown>;
  if (option !== undefined) return () => option;
  return fallback;
}
