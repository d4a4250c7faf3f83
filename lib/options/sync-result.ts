/**
 * Whether a user callback that must answer synchronously (`beforeSend`, an extractor,
 * `api.identify`) handed back a promise, as an `async` function does. Nothing on those paths can
 * wait for it, so the caller counts the call as failed; its rejection is caught here, so that it
 * can never become an unhandled rejection, which stops a Node process.
 */
export function isPromiseResult(value: unknown): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  let then: unknown;
  try {
    then = (value as { then?: unknown }).then;
  } catch {
    return false;
  }
  if (typeof then !== 'function') return false;
  try {
    (then as (onFulfilled?: unknown, onRejected?: (reason: unknown) => void) => unknown).call(value, undefined, ignoreRejection);
  } catch {
    // A thenable whose `then` throws has no rejection to catch.
  }
  return true;
}

function ignoreRejection(): void {}
