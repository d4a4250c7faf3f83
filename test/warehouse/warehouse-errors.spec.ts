import {
  classifyPostgresError,
  classifySqliteError,
  describeError,
} from '../../lib/transports/warehouse/warehouse-errors.js';
import { FOREIGN_TABLE } from '../../lib/transports/warehouse/warehouse-schema.js';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('classifyPostgresError', () => {
  it.each([
    ['ECONNREFUSED', 'retryable'],
    ['ECONNRESET', 'retryable'],
    ['08006', 'retryable'],
    ['57P01', 'retryable'],
    ['57P03', 'retryable'],
    ['53300', 'retryable'],
    ['40P01', 'retryable'],
    ['25006', 'retryable'],
    ['28P01', 'unauthorized'],
    ['3D000', 'fatal'],
    ['23502', 'data'],
    ['22P05', 'data'],
    ['42P10', 'data'],
  ])('%s → %s', (code, kind) => {
    expect(classifyPostgresError(withCode(code))).toBe(kind);
  });

  // Not a SQLSTATE: a socket or TLS failure of Node's, which says nothing about the rows.
  it.each(['EADDRNOTAVAIL', 'ERR_STREAM_DESTROYED', 'EPERM', 'EBADF', 'EBUSY'])('treats the Node error code %s as retryable, not as bad data', (code) => {
    expect(classifyPostgresError(withCode(code))).toBe('retryable');
  });

  it("treats an application's own table under the events' table name as data: those events are rejected, not retried for ever", () => {
    expect(classifyPostgresError(withCode(FOREIGN_TABLE))).toBe('data');
  });

  it('treats node-postgres connection errors without SQLSTATE as retryable', () => {
    expect(classifyPostgresError(new Error('Connection terminated unexpectedly'))).toBe('retryable');
    expect(classifyPostgresError(new Error('timeout exceeded when trying to connect'))).toBe('retryable');
  });
});

describe('classifySqliteError', () => {
  it.each([
    ['SQLITE_BUSY', 'retryable'],
    ['SQLITE_BUSY_SNAPSHOT', 'retryable'],
    ['SQLITE_LOCKED', 'retryable'],
    ['SQLITE_IOERR_WRITE', 'retryable'],
    ['SQLITE_FULL', 'retryable'],
    ['SQLITE_CANTOPEN', 'retryable'],
    ['EACCES', 'retryable'],
    ['SQLITE_READONLY', 'fatal'],
    ['SQLITE_NOTADB', 'fatal'],
    ['SQLITE_CONSTRAINT_NOTNULL', 'data'],
    ['SQLITE_MISMATCH', 'data'],
  ])('%s → %s', (code, kind) => {
    expect(classifySqliteError(withCode(code))).toBe(kind);
  });

  it('treats a binding error without a code as data', () => {
    expect(classifySqliteError(new TypeError('SQLite3 can only bind numbers, strings, bigints, buffers, and null'))).toBe('data');
  });
});

describe('describeError', () => {
  it('prefixes the code and masks the password', () => {
    const redact = (text: string) => text.split('s3cret').join('***');
    expect(describeError(withCode('28P01', 'password s3cret rejected'), redact)).toBe('28P01: password *** rejected');
    expect(describeError('plain s3cret', redact)).toBe('plain ***');
  });

  it.each([
    ['22P02', 'invalid input syntax for type bigint: "acct-Zq81"', 'invalid input syntax for type bigint: "?"'],
    ['22001', 'value too long for type character varying(8)', 'value too long for type character varying(8)'],
    ['23505', 'duplicate key value violates unique constraint "events_user_key"', 'duplicate key value violates unique constraint "events_user_key"'],
    ['3D000', 'database "analytics" does not exist', 'database "analytics" does not exist'],
    ['SQLITE_CONSTRAINT_CHECK', "CHECK constraint failed: pin <> 'x'", "CHECK constraint failed: pin <> '?'"],
  ])('removes the values a %s quotes and keeps the objects it names', (code, message, expected) => {
    expect(describeError(withCode(code, message), (text) => text)).toBe(`${code}: ${expected}`);
  });

  it('masks a quoted password before the quotes are read', () => {
    const redact = (text: string) => text.split('pa"ss').join('***');
    expect(describeError(withCode('28P01', 'bad password "pa"ss" for role "app"'), redact)).toBe('28P01: bad password "?" for role "app"');
  });
});
