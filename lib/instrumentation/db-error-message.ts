import { redactDbErrorMessage } from '../privacy/error-message.js';

/** The driver's error code: PostgreSQL SQLSTATE (`23505`), SQLite (`SQLITE_CONSTRAINT_UNIQUE`), MySQL (`ER_DUP_ENTRY`), errno. */
export function dbErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return typeof code === 'number' ? String(code) : undefined;
}

/**
 * What a `Backend Error` may carry of a database error: its name, the redacted message and the
 * stack (read only for the stack fingerprint, which hashes frames, never the message).
 */
export function safeDbError(error: unknown, fallbackMessage: string): { name: string; message: string; stack?: unknown } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown; stack?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : 'DatabaseError',
    message: redactDbErrorMessage(e.message) ?? fallbackMessage,
    stack: e.stack,
  };
}
