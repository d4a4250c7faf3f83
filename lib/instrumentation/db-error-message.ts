/**
 * Database error messages quote the offending value as often as the offending object:
 * MySQL `Duplicate entry 'bob@x.io' for key 'users.email'`, PostgreSQL `invalid input syntax for
 * type integer: "abc"` next to `violates unique constraint "users_email_key"`. The value must not
 * leave the process, the object names are what make the error useful. So a quoted segment is
 * kept only right after a word that names a schema object, and every other one becomes `?`.
 */
const OBJECT_WORDS = new Set([
  'constraint', 'relation', 'column', 'table', 'index', 'key', 'schema', 'database', 'type', 'function',
  'sequence', 'role', 'view', 'trigger', 'operator', 'extension', 'collation', 'procedure', 'savepoint',
]);
const QUOTED = /(["'`])(?:(?!\1)[^\\]|\\.)*\1/g;
const MAX_LENGTH = 1024;

export function redactDbErrorMessage(message: unknown): string | undefined {
  if (typeof message !== 'string') return undefined;
  const text = message.length > MAX_LENGTH ? message.slice(0, MAX_LENGTH) : message;
  return text.replace(QUOTED, (quoted, quote: string, offset: number) => {
    const before = /([A-Za-z_]+)\s*$/.exec(text.slice(Math.max(0, offset - 32), offset));
    return before && OBJECT_WORDS.has(before[1].toLowerCase()) ? quoted : `${quote}?${quote}`;
  });
}

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
