import { describeThrown } from '../options/describe-thrown.js';
import { isPromiseResult } from '../options/sync-result.js';
import type { Extractor, TrackedCall } from './tracked-call.interface.js';

/**
 * One decorated call, as its event's fields are read from it. An extractor that throws (or returns
 * a Promise) costs its own field, not the event: a failed call is the one most worth recording,
 * and `({ result }) => result.amount` throws exactly then (`result` is undefined). `report` hears
 * why, once per failed field.
 */
export class CallReader {
  constructor(
    readonly call: TrackedCall,
    private readonly report: (why: string) => void,
  ) {}

  /** The field's value from `extractor`, or `onFailure` when the extractor fails. */
  field(name: string, extractor: Extractor<unknown> | undefined, onFailure?: unknown): unknown {
    if (extractor === undefined) return undefined;
    let value: unknown;
    try {
      value = extractor(this.call);
    } catch (error) {
      this.report(`the '${name}' extractor threw ${describeError(error)}`);
      return onFailure;
    }
    if (isPromiseResult(value)) {
      this.report(`the '${name}' extractor returned a Promise; extractors must return their value synchronously`);
      return onFailure;
    }
    return value;
  }
}

function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${describeThrown(error)}`;
    return typeof error === 'string' ? error : typeof error;
  } catch {
    // A getter on the thrown value threw, or it is a revoked proxy.
    return 'a value that cannot be read';
  }
}
