import { fingerprintSql } from './sql-fingerprint.js';

/**
 * What an error's message may say once it leaves the process. Database errors quote the offending
 * value as often as the offending object, and reach a controller (`QueryFailedError`) as often as
 * the query hook, so they get the same treatment whichever source records them. JSON parse
 * errors quote the text around the fault, which is the client's request body; Nest's 404 quotes
 * the url with its query string.
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
/**
 * Knex writes the failed statement, its bindings spelled in, before the driver's message:
 * `insert into "users" ("pin") values (8812) - duplicate key ...`. Its numbers are as much values
 * as its quoted strings, so the statement is sent as a query fingerprint.
 */
const LEADING_STATEMENT = /^\s*(?:select|insert|update|delete|with|replace|merge|call)\s/i;
const STATEMENT_END = ' - ';
/**
 * Nest's answer to a path no route serves, `Cannot GET <url>`, quotes the url as the client sent
 * it; the query string goes, as it does from the `API Call`'s path (codes, tokens, search terms).
 */
const ROUTE_NOT_FOUND = /^(Cannot [A-Z]+ [^?#\s]*)[?#]\S*$/;

export function redactDbErrorMessage(message: unknown): string | undefined {
  if (typeof message !== 'string') return undefined;
  // Split before cutting: a long statement cut short would leave its end to the quote rule alone.
  const end = LEADING_STATEMENT.test(message) ? message.lastIndexOf(STATEMENT_END) : -1;
  if (end < 0) return redactQuotedValues(cut(message));
  const driverMessage = redactQuotedValues(cut(message.slice(end + STATEMENT_END.length)));
  return cut(`${fingerprintSql(message.slice(0, end))}${STATEMENT_END}${driverMessage}`);
}

function cut(text: string): string {
  return text.length > MAX_DB_MESSAGE_LENGTH ? text.slice(0, MAX_DB_MESSAGE_LENGTH) : text;
}

function redactQuotedValues(message: string): string {
  const text = message
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
  const text = message.startsWith('Cannot ') ? message.replace(ROUTE_NOT_FOUND, '$1') : message;
  return text.includes(' is not valid JSON') ? text.replace(JSON_EXCERPT, '"?"$1 is not valid JSON') : text;
}
