/** A Node stream as a query's rows arrive on it: `pg-query-stream`, mysql2's `stream()`, any `Readable`. */
export interface ReadableLike {
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  listenerCount?(event: string): number;
  pipe(destination: unknown): unknown;
  readonly readableEnded?: boolean;
  readonly destroyed?: boolean;
  readonly errored?: unknown;
}

/** Whether a query function gave back a stream to be read rather than its result. */
export function isReadableStream(value: unknown): value is ReadableLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ReadableLike>;
  return typeof candidate.once === 'function' && typeof candidate.pipe === 'function';
}

/**
 * Calls `done` once: at the stream's end (at once if it is over already), its first error (mysql2
 * emits one without destroying its stream, and ends it after) or its close before either (a
 * reader that stopped early). An error nobody else listens to is thrown on, as Node would throw
 * it with no listener at all.
 */
export function onStreamOver(stream: ReadableLike, done: (error: unknown) => void): void {
  // Read to the end or destroyed before it was handed over: it will emit nothing more.
  if (stream.readableEnded === true || stream.destroyed === true) return done(stream.errored ?? undefined);
  let over = false;
  const finish = (error: unknown) => {
    if (over) return;
    over = true;
    done(error);
  };
  stream.once('end', () => finish(undefined));
  stream.once('close', () => finish(undefined));
  stream.once('error', (error) => {
    finish(error ?? new Error('stream failed'));
    if (stream.listenerCount?.('error') === 0) throw error;
  });
}
