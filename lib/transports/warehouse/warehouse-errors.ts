import { redactDbErrorMessage } from '../../privacy/error-message.js';
import { FOREIGN_TABLE } from './warehouse-schema.js';

/**
 * What a database failure means for the batch:
 * - `retryable`: the database is unreachable, restarting, busy or out of resources; try later.
 * - `unauthorized` / `fatal`: the configuration is wrong (bad credentials, missing database,
 *   read-only file); no event of the batch can land, trying again does not help.
 * - `data`: something about the rows; insert them in ever smaller parts to find the bad ones.
 */
export type FailureKind = 'retryable' | 'unauthorized' | 'fatal' | 'data';

/** Socket and file-system errors: the database cannot be reached right now. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EACCES',
  'EROFS',
  'ENOSPC',
  'EIO',
]);

/**
 * Transient PostgreSQL conditions outside class 08 (connection) and 53 (resources). 25006 is a
 * read-only transaction, as a standby or a database mid-failover answers; 25P03 an idle
 * transaction that timed out.
 */
const RETRYABLE_SQLSTATES = new Set(['25006', '25P03', '40001', '40P01', '55P03', '57014', '57P01', '57P02', '57P03', '57P04', '57P05']);
const FATAL_SQLSTATES = new Set(['3D000']);

const SQLITE_RETRYABLE = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN', 'SQLITE_PROTOCOL', 'SQLITE_NOMEM'];
const SQLITE_FATAL = ['SQLITE_READONLY', 'SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_PERM', 'SQLITE_AUTH'];

export function classifyPostgresError(error: unknown): FailureKind {
  const code = errorCode(error);
  if (code === FOREIGN_TABLE) return 'data';
  if (code !== undefined && NETWORK_CODES.has(code)) return 'retryable';
  if (code === undefined || !/^[0-9A-Z]{5}$/.test(code) || /^E[A-Z]+$/.test(code)) {
    // node-postgres reports a dropped or timed-out connection as a plain Error without SQLSTATE;
    // every failure the server attributes to the data carries one. Node's own codes (EPERM, EBUSY)
    // can be five capitals too, but no SQLSTATE class starts with E.
    return 'retryable';
  }
  if (code.startsWith('08') || code.startsWith('53') || RETRYABLE_SQLSTATES.has(code)) return 'retryable';
  if (code.startsWith('28')) return 'unauthorized';
  if (FATAL_SQLSTATES.has(code)) return 'fatal';
  return 'data';
}

export function classifySqliteError(error: unknown): FailureKind {
  const code = errorCode(error);
  if (code === undefined) return 'data';
  if (NETWORK_CODES.has(code)) return 'retryable';
  // Extended result codes (SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_WRITE, ...) share their primary's meaning.
  if (SQLITE_RETRYABLE.some((primary) => code === primary || code.startsWith(`${primary}_`))) return 'retryable';
  if (SQLITE_FATAL.some((primary) => code === primary || code.startsWith(`${primary}_`))) return 'fatal';
  return 'data';
}

/**
 * `CODE: message`, with the connection password masked by `redact` (first, while it is still
 * spelled as written) and the values the database quotes removed: `invalid input syntax for type
 * bigint: "acct-7"` quotes an event's field into a rejection reason that is logged and announced.
 */
export function describeError(error: unknown, redact: (text: string) => string): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return redactDbErrorMessage(redact(code === undefined ? message : `${code}: ${message}`)) ?? '';
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}
