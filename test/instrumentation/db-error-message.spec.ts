import { dbErrorCode, redactDbErrorMessage, safeDbError } from '../../lib/instrumentation/db-error-message.js';

describe('database error messages', () => {
  it.each([
    [`Duplicate entry 'bob@example.com' for key 'users.email'`, `Duplicate entry '?' for key 'users.email'`],
    [`invalid input syntax for type integer: "abc123"`, `invalid input syntax for type integer: "?"`],
    [`value "99999999999" is out of range for type integer`, `value "?" is out of range for type integer`],
    [`duplicate key value violates unique constraint "users_email_key"`, `duplicate key value violates unique constraint "users_email_key"`],
    [`null value in column "email" of relation "users" violates not-null constraint`, `null value in column "email" of relation "users" violates not-null constraint`],
    [`UNIQUE constraint failed: users.email`, `UNIQUE constraint failed: users.email`],
    [`near "'; DROP": syntax error`, `near "?": syntax error`],
    [`unterminated quoted string at or near "'secret value"`, `unterminated quoted string at or near "?"`],
    [`relation "users" does not exist`, `relation "users" does not exist`],
  ])('%s → %s', (message, expected) => {
    expect(redactDbErrorMessage(message)).toBe(expected);
  });

  it('handles escaped quotes inside a value', () => {
    expect(redactDbErrorMessage(`Duplicate entry 'o\\'brien' for key 'name'`)).toBe(`Duplicate entry '?' for key 'name'`);
  });

  it('reads codes of every driver shape', () => {
    expect(dbErrorCode({ code: '23505' })).toBe('23505');
    expect(dbErrorCode({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(dbErrorCode({ code: 1062 })).toBe('1062');
    expect(dbErrorCode({ code: '' })).toBeUndefined();
    expect(dbErrorCode(null)).toBeUndefined();
  });

  it('safeDbError keeps name and stack, redacts the message and survives non-errors', () => {
    const error = Object.assign(new Error(`Duplicate entry 'x@y.z' for key 'k'`), { name: 'QueryError' });
    expect(safeDbError(error, 'fallback')).toEqual({ name: 'QueryError', message: `Duplicate entry '?' for key 'k'`, stack: error.stack });
    expect(safeDbError('boom', 'fallback')).toEqual({ name: 'DatabaseError', message: 'fallback', stack: undefined });
  });
});
