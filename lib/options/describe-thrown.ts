/**
 * What was thrown, for a drop's detail or an error message: its `message`, else the value as
 * text. Never throws itself: callers catch anything, even a revoked proxy or an object without
 * `toString`.
 */
export function describeThrown(thrown: unknown): string {
  try {
    return String((thrown as Error)?.message ?? thrown);
  } catch {
    return 'a value that cannot be read';
  }
}
