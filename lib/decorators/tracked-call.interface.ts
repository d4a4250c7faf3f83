/**
 * The types users write extractors against. An extractor receives one call of the decorated
 * method and returns one field of its event. Decorator options are evaluated before TypeScript
 * knows which method they decorate, so the parameters default to `any` for convenience; annotate
 * them (`({ args }: TrackedCall<[ChargeDto]>) => args[0].amount`) to have them checked.
 */
export interface TrackedCall<TArgs extends readonly unknown[] = any[], TResult = any, TInstance = any> {
  /** The arguments the method was called with (the same array on every extractor of one call). */
  readonly args: TArgs;
  /**
   * What the method produced, on success: the return value of a synchronous method, the resolved
   * value of a Promise, the last value an Observable emitted. Undefined when it failed.
   */
  readonly result: TResult | undefined;
  /** What it threw or rejected with; undefined on success. */
  readonly error: unknown;
  /** The object the method was called on (`this`). */
  readonly instance: TInstance;
}

/**
 * Reads one field of the event from a call. One that throws (or returns a Promise) costs that
 * field only: the event is recorded without it, counted in `stats().warnings.extractor_failed`.
 */
export type Extractor<T> = (call: TrackedCall) => T;

/** A fixed value, or an extractor computing it per call. */
export type FieldOption<T> = T | Extractor<T | null | undefined>;

/** Options every `@Track*` decorator accepts. */
export interface TrackOptionsBase {
  /**
   * The event's `userId` (and `user_id` for `@TrackAuth`). Default: the request's user, when the
   * call happens while a request is being served.
   */
  userId?: FieldOption<string | number>;
  /**
   * Whether the call counts as a success. Default: it returned (or resolved, or completed)
   * without an error; `@TrackAuth` also counts a `null` or `false` result as a failed attempt,
   * `@TrackExternalApi` a status code >= 400. A call that threw is always a failure.
   */
  success?: Extractor<boolean>;
  /**
   * Extra properties (columns) of the event. They never overwrite the fields the decorator owns,
   * and they pass the same redaction as every property. Nothing of `args` is recorded unless an
   * extractor picks it.
   */
  properties?: FieldOption<Record<string, unknown>>;
}
