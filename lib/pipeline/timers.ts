/** The pipeline's timers: unreferenced, so analytics never keeps a process alive, except where noted. */

const TIMED_OUT = Symbol('timed out');

/**
 * True when `work` has not settled within `ms`. The one timer left referenced: shutdown is
 * awaited by the app, and an unreferenced deadline would let the process exit mid-retry with
 * events neither delivered nor reported. It is bounded by `shutdownTimeout`.
 */
export async function timesOut(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), ms)));
  try {
    return (await Promise.race([work, deadline])) === TIMED_OUT;
  } finally {
    clearTimeout(timer);
  }
}

export function unrefTimer(fn: () => void, ms: number): NodeJS.Timeout {
  const t = setTimeout(fn, ms);
  t.unref();
  return t;
}

/** Resolves after `ms`, or at once when `signal` aborts (shutdown cuts a retry wait short). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = unrefTimer(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
