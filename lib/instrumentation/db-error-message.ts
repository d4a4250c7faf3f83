import { redactDbErrorMessage } from '../privacy/error-message.js';

/** The driver's error code: PostgreSQL SQLSTATE (`23505`), SQLite (`SQLITE_CONSTRAINT_UNIQUE`), MySQL (`ER_DUP_ENTRY`), errno. */
export function dbErrorCode(error: unknown): string | undefined {
  const code = field(error, 'code');
  if (typeof code === 'string' && code !== '') return code;
  return typeof code === 'number' ? String(code) : undefined;
}

/**
 * What a `Backend Error` may carry of a database error: its name, the redacted message and the
 * stack (read only for the stack fingerprint, which hashes frames, never the message). Never
 * throws: it runs while the app's own error is on its way to the app.
 */
export function safeDbError(error: unknown, fallbackMessage: string): { name: string; message: string; stack?: unknown } {
  const name = field(error, 'name');
  return {
    name: typeof name === 'string' ? name : 'DatabaseError',
    message: redactDbErrorMessage(field(error, 'message')) ?? fallbackMessage,
    stack: field(error, 'stack'),
  };
}

/** One property of a thrown value; undefined when it has none or reading it throws (a getter, a revoked proxy). */
function field(error: unknown, key: 'code' | 'name' | 'message' | 'stack'): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  try {
    return (error as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
