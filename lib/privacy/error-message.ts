/**
 * What an error's message may say once it leaves the process. Database errors quote the offending
 * value as often as the offending object, and reach a controller (`QueryFailedError`) as often as
 * the query hook, so they get the same treatment whichever source records them. JSON parse
 * errors quote the text around the fault, which is the client's request body.
 */

/**
 * MySQL `Duplicate entry 'bob@x.io' for key 'users.email'`, PostgreSQL `invalid input syntax for
 * type integer: "abc"` next to `violates unique constraint "users_email_key"`. The value must not
 * leave the process, the object names are what make the error useful. So a quoted segment is
 * kept only right after a word that names a schema object, and every other one becomes `?`.
 */
const OBJECT_WORDS = new Set([
  'constraint', 'relation', 'column', 'table', 'index', 'key', 'schema', 'database', 'type', 'function',
  'sequence', 'role', 'view', 'trigger', 'operator', 'extension', 'collation', 'procedure', 'savepoint', 'object',
]);
const QUOTED = /(["'`])(?:(?!\1)[^\\]|\\.)*\1/g;
/** MySQL quotes the rest of the statement after `near`, unescaped, so its quotes cannot be paired. */
const MYSQL_NEAR = /\bnear '.*' at line (\d+)/gs;
/** PostgreSQL `Key (email)=(bob@x.io)` and SQL Server `The duplicate key value is (bob@x.io)`. */
const KEY_VALUES = /(\bkey \([^()]*\)=\()[^]*?(\)(?: already exists| is not present| conflicts)|\)\.?$)/gi;
const DUPLICATE_KEY_VALUE = /(\bduplicate key value is \()[^]*?(\)\.?(?:\s|$))/gi;
/** V8's `Unexpected token 'h', ..."assword": hunter2}" is not valid JSON`. */
const JSON_EXCERPT = /"[^]*"(\.\.\.)? is not valid JSON/;
const MAX_DB_MESSAGE_LENGTH = 1024;

export function redactDbErrorMessage(message: unknown): string | undefined {
  if (typeof message !== 'string') return undefined;
  const text = (message.length > MAX_DB_MESSAGE_LENGTH ? message.slice(0, MAX_DB_MESSAGE_LENGTH) : message)
    .replace(MYSQL_NEAR, "near '?' at line $1")
    .replace(KEY_VALUES, '$1?$2')
    .replace(DUPLICATE_KEY_VALUE, '$1?$2');
  return text.replace(QUOTED, (quoted, quote: string, offset: number) => {
    const before = /([A-Za-z_]+)\s*$/.exec(text.slice(Math.max(0, offset - 32), offset));
    return before && OBJECT_WORDS.has(before[1].toLowerCase()) ? quoted : `${quote}?${quote}`;
  });
}

/**
 * Whether an error comes from a database driver or an ORM wrapping one: TypeORM's
 * `QueryFailedError` (with its `driverError`), pg's `DatabaseError` (`severity`, `routine`),
 * mysql2's `sqlMessage`/`sqlState`, SQLite's `SQLITE_*` codes, SQL Server's `RequestError` (`number`
 * and `class`).
 */
export function isDatabaseError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Record<string, unknown>;
  if (e.name === 'QueryFailedError' || 'driverError' in e || 'sqlMessage' in e || 'sqlState' in e) return true;
  if (typeof e.code === 'string' && e.code.startsWith('SQLITE_')) return true;
  if ('severity' in e && 'routine' in e) return true;
  return e.name === 'RequestError' && typeof e.number === 'number' && 'class' in e;
}

/** The message a `Backend Error` may carry for `error` (before the string rules every field passes). */
export function safeErrorMessage(error: unknown, message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  if (isDatabaseError(error)) return redactDbErrorMessage(message);
  return message.includes(' is not valid JSON') ? message.replace(JSON_EXCERPT, '"?"$1 is not valid JSON') : message;
}
