/**
 * Polls `condition` until it holds, failing with `what` after `timeoutMs`: for waiting on work
 * that finishes on its own schedule (a delivery, a retry) instead of sleeping a fixed time, which
 * is too short on a loaded machine and needlessly long on an idle one.
 */
export async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
