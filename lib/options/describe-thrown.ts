import { safeErrorMessage } from '../privacy/error-message.js';

/**
 * What was thrown, for a drop's detail or an error message: its `message`, else the value as
 * text, under the rules of a `Backend Error`'s message (a database error's quoted values and a
 * JSON parse error's excerpt of its input go): what an app's callback throws often quotes the
 * request or the row it was reading. Never throws itself: callers catch anything, even a
 * revoked proxy or an object without `toString`.
 */
export function describeThrown(thrown: unknown): string {
  try {
    const message = (thrown as Error)?.message;
    if (message === undefined || message === null) return String(thrown);
    return safeErrorMessage(thrown, String(message)) ?? '';
  } catch {
    return 'a value that cannot be read';
  }
}
