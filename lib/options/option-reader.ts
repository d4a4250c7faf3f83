import { AnalyticsConfigError } from '../analytics-config.error.js';
import { describeValue } from './describe-value.js';

/** Inclusive bounds of a numeric option; no `max` means no upper bound. */
export interface NumberBounds {
  min: number;
  max?: number;
}

export interface IntBounds extends NumberBounds {
  /** Named in the message: `an integer number of bytes >= 65536`. */
  unit?: string;
}

/** Node runs a longer timer after 1 ms (with a warning), so delays beyond it are refused. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Numbers written as text, as they come from `process.env`: `'25'`, `' 100 '`, `'-1.5'` (not `'1e3'`). */
const NUMERIC_TEXT = /^\s*-?\d+(\.\d+)?\s*$/;
const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

/**
 * Reads user options one by one, so that a bad value never stops the reading: it becomes a
 * problem naming the option, the value (`describeValue`) and what is expected, and the reader
 * returns the default. `throwIfAny()` then throws one `AnalyticsConfigError` listing them all, so
 * a user fixes every mistake in one go rather than one per restart.
 *
 * Names are prefixed with the reader's group (`system` → `system.intervalMs`). Readers made with
 * `nested()`, or constructed with the same `problems` array, add to one list.
 *
 * undefined, null and `''` mean "not set" for every scalar option: values often come from
 * `process.env`, where an unset variable reads as undefined or as an empty string.
 */
export class OptionReader {
  constructor(
    /** Prefix of every name, e.g. `api` or `api.contexts`; `''` for top-level options. */
    readonly group = '',
    /** Appended to, never replaced: pass one array to several readers to collect into it. */
    readonly problems: string[] = [],
  ) {}

  /** A reader for the group `name` inside this one, adding to the same problems. */
  nested(name: string): OptionReader {
    return new OptionReader(this.path(name), this.problems);
  }

  /** Records `<group.name>: got <value>, expected <expected>`; `name` `''` names the group itself. */
  problem(name: string, value: unknown, expected: string): void {
    this.problems.push(`${this.path(name)}: got ${describeValue(value)}, expected ${expected}`);
  }

  /**
   * The group's own value: undefined or null mean "all defaults" (`{}`), anything but a plain
   * object or with keys outside `known` (when given) is a problem. `listed` is how the message
   * names the known keys (default `one of a, b, c`).
   */
  object(value: unknown, known?: readonly string[], listed = `one of ${known?.join(', ')}`): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problem('', value, 'an object');
      return {};
    }
    if (known) {
      for (const key of Object.keys(value)) {
        if (known.includes(key)) continue;
        const near = closestKey(key, known);
        this.problems.push(`${this.path(key)}: unknown option; ${near === undefined ? `expected ${listed}` : `did you mean ${near}?`}`);
      }
    }
    return value as Record<string, unknown>;
  }

  /** A boolean, or `'true'/'false'`, `'1'/'0'`, `'yes'/'no'`, `'on'/'off'` in any case. */
  bool(name: string, value: unknown, fallback: boolean): boolean {
    if (isUnset(value)) return fallback;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const word = value.trim().toLowerCase();
      if (TRUE_WORDS.includes(word)) return true;
      if (FALSE_WORDS.includes(word)) return false;
    }
    this.problem(name, value, `a boolean (or 'true'/'false', '1'/'0')`);
    return fallback;
  }

  /** A safe integer within `bounds`, or a numeric string of one. */
  int(name: string, value: unknown, fallback: number, bounds: IntBounds): number {
    if (isUnset(value)) return fallback;
    const n = numeric(value);
    if (typeof n === 'number' && Number.isSafeInteger(n) && within(n, bounds)) return n;
    const noun = bounds.unit === undefined ? 'an integer' : `an integer number of ${bounds.unit}`;
    this.problem(name, value, `${noun} ${range(bounds)} (a number or a numeric string)`);
    return fallback;
  }

  /** A finite number within `bounds`, or a numeric string of one. */
  number(name: string, value: unknown, fallback: number, bounds: NumberBounds): number {
    if (isUnset(value)) return fallback;
    const n = numeric(value);
    if (typeof n === 'number' && Number.isFinite(n) && within(n, bounds)) return n;
    this.problem(name, value, `a number ${range(bounds)} (a number or a numeric string)`);
    return fallback;
  }

  /**
   * A share from 0 to 1. Text is read as JavaScript reads numbers, so `'.5'` and `'1e-2'` are
   * rates too. `meaning` says in the message what the share is of.
   */
  rate(name: string, value: unknown, fallback: number, meaning: string): number {
    if (isUnset(value)) return fallback;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n === 'number' && n >= 0 && n <= 1) return n;
    this.problem(name, value, `a number from 0 to 1 (${meaning})`);
    return fallback;
  }

  oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
    if (isUnset(value)) return fallback;
    if (allowed.includes(value as T)) return value as T;
    this.problem(name, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
    return fallback;
  }

  /** A string, or undefined when not set. */
  text(name: string, value: unknown): string | undefined {
    if (isUnset(value)) return undefined;
    if (typeof value === 'string') return value;
    this.problem(name, value, 'a string');
    return undefined;
  }

  /** An http(s) URL without trailing slashes, or undefined when not set. */
  url(name: string, value: unknown): string | undefined {
    const text = this.text(name, value);
    if (text === undefined) return undefined;
    if (isHttpUrl(text)) return text.replace(/\/+$/, '');
    this.problems.push(`${this.path(name)}: got ${describeRefusedUrl(text)}, expected an http(s) URL such as 'http://localhost:8080'`);
    return undefined;
  }

  /** Throws one `AnalyticsConfigError` with every problem recorded so far, if there is any. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw new AnalyticsConfigError([...this.problems]);
  }

  private path(name: string): string {
    if (name === '') return this.group;
    return this.group === '' ? name : `${this.group}.${name}`;
  }
}

function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function numeric(value: unknown): unknown {
  return typeof value === 'string' && NUMERIC_TEXT.test(value) ? Number(value) : value;
}

function within(n: number, { min, max = Number.POSITIVE_INFINITY }: NumberBounds): boolean {
  return n >= min && n <= max;
}

function range({ min, max }: NumberBounds): string {
  return max === undefined || max === Number.POSITIVE_INFINITY ? `>= ${min}` : `between ${min} and ${max}`;
}

/** `localhost:8080`, `jitsu.internal:8080/`: an address without its scheme. */
const HOST_AND_PORT = /^[a-z0-9.-]+:\d{1,5}(\/\S*)?$/i;

/**
 * A refused URL is quoted only when it is shaped like an address (a scheme, or host and port).
 * Anything else may be a secret given to the wrong option, the usual one being a write key
 * swapped with the URL in the environment, which the write key's own redaction cannot recognise.
 */
function describeRefusedUrl(text: string): string {
  if (text.includes('://') || HOST_AND_PORT.test(text.trim())) return describeValue(text);
  return `a value of ${text.length} characters that is not a URL (not shown: it may be a key given to the wrong option)`;
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    // Not a URL at all: the caller reports it like any other refused value.
    return false;
  }
}

/** The known key a misspelt one was meant to be: same letters in another case, or at most two edits away. */
function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance; option names are short, so the quadratic table is a few hundred cells. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 64 || b.length > 64) return Number.POSITIVE_INFINITY;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
