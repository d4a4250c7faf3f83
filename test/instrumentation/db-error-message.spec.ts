import { dbErrorCode, safeDbError } from '../../lib/instrumentation/db-error-message.js';
import { redactDbErrorMessage } from '../../lib/privacy/error-message.js';

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
    [
      `You have an error in your SQL syntax; check the manual near 'key, secret) VALUES ('bob@example.com', 'k_8f7d6e5c')' at line 1`,
      `You have an error in your SQL syntax; check the manual near '?' at line 1`,
    ],
    [
      `Violation of PRIMARY KEY constraint 'PK_users'. Cannot insert duplicate key in object 'dbo.users'. The duplicate key value is (k_8f7d6e5c, 42).`,
      `Violation of PRIMARY KEY constraint 'PK_users'. Cannot insert duplicate key in object 'dbo.users'. The duplicate key value is (?).`,
    ],
    [`Key (email)=(bob@example.com) already exists.`, `Key (email)=(?) already exists.`],
    [`Key (user_id)=(42) is not present in table "users".`, `Key (user_id)=(?) is not present in table "users".`],
    [
      `Key (room, during)=(1, [2026-01-01,2026-01-02)) conflicts with existing key (room, during)=(1, [2026-01-01,2026-01-03)).`,
      `Key (room, during)=(?) conflicts with existing key (room, during)=(?).`,
    ],
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

  it('reads nothing from an error whose properties throw when read (getters, a revoked proxy), and never throws', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const throwing = (key: string) => ({
      get: () => {
        throw new Error(`no ${key}`);
      },
    });
    const getters = Object.defineProperties({}, Object.fromEntries(['code', 'name', 'message', 'stack'].map((key) => [key, throwing(key)])));
    for (const error of [proxy, getters]) {
      expect(dbErrorCode(error)).toBeUndefined();
      expect(safeDbError(error, 'fallback')).toEqual({ name: 'DatabaseError', message: 'fallback', stack: undefined });
    }
  });
});
