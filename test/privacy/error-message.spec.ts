import { backendErrorEvent } from '../../lib/events/event-builders.js';
import { isDatabaseError, safeErrorMessage } from '../../lib/privacy/error-message.js';
import { wireAnalytics } from '../instrumentation/wire-analytics.js';

/** Shapes of real driver errors, with the properties the drivers set. */
const queryFailed = Object.assign(new Error('invalid input syntax for type integer: "S3cretPin"'), {
  name: 'QueryFailedError',
  query: 'INSERT INTO "users"("age") VALUES ($1)',
  parameters: ['S3cretPin'],
  driverError: {},
});
const pgError = Object.assign(new Error('invalid input value for enum users_role_enum: "superadmin-hunter2"'), { severity: 'ERROR', routine: 'enum_in', code: '22P02' });
const mysqlError = Object.assign(new Error("Duplicate entry 'Jane Q. Public' for key 'users.name'"), { sqlMessage: 'x', sqlState: '23000', errno: 1062 });
const sqliteError = Object.assign(new Error('CHECK constraint failed: pin_check'), { code: 'SQLITE_CONSTRAINT_CHECK' });
const mssqlError = Object.assign(new Error('The duplicate key value is (k_8f7d6e5c).'), { name: 'RequestError', number: 2627, class: 14 });

describe('error messages', () => {
  it.each([
    ['TypeORM QueryFailedError', queryFailed],
    ['pg DatabaseError', pgError],
    ['mysql2 error', mysqlError],
    ['SQLite error', sqliteError],
    ['SQL Server RequestError', mssqlError],
  ])('recognises a %s as a database error', (_, error) => {
    expect(isDatabaseError(error)).toBe(true);
  });

  it.each([new Error('Duplicate entry'), { code: '23505' }, { name: 'RequestError' }, 'QueryFailedError', null])('does not take %p for one', (error) => {
    expect(isDatabaseError(error)).toBe(false);
  });

  it('redacts the values a database error quotes, and keeps other messages as they are', () => {
    expect(safeErrorMessage(queryFailed, queryFailed.message)).toBe('invalid input syntax for type integer: "?"');
    expect(safeErrorMessage(mysqlError, mysqlError.message)).toBe("Duplicate entry '?' for key 'users.name'");
    expect(safeErrorMessage(new Error('x'), 'Order "A-17" was not found')).toBe('Order "A-17" was not found');
    expect(safeErrorMessage(new Error('x'), undefined)).toBeUndefined();
  });

  it.each([
    [`Unexpected token 'h', ..."assword": hunter2}" is not valid JSON`, `Unexpected token 'h', ..."?" is not valid JSON`],
    [`Unexpected token 'S', "{"pin": S3cre"... is not valid JSON`, `Unexpected token 'S', "?"... is not valid JSON`],
    [`Unexpected token 'j', "jane.doe@e"... is not valid JSON`, `Unexpected token 'j', "?"... is not valid JSON`],
    [`Cannot parse the body: Unexpected token 'h', ..."assword": hunter2}" is not valid JSON`, `Cannot parse the body: Unexpected token 'h', ..."?" is not valid JSON`],
    ['Unexpected end of JSON input', 'Unexpected end of JSON input'],
  ])('cuts the request body out of a JSON parse error: %s', (message, expected) => {
    expect(safeErrorMessage(new SyntaxError(message), message)).toBe(expected);
  });

  it.each([
    [
      'pg',
      { severity: 'ERROR', routine: '_bt_check_unique', code: '23505' },
      `insert into "users" ("email", "pin") values ('bob@x.io', 8812) - duplicate key value violates unique constraint "users_email_key"`,
      `INSERT INTO "users"("email", "pin") VALUES (?) - duplicate key value violates unique constraint "users_email_key"`,
    ],
    [
      'mysql2',
      { sqlMessage: 'x', sqlState: 'HY000', errno: 1205 },
      'update `users` set `pin` = 4821 where `id` = 7 - Lock wait timeout exceeded; try restarting transaction',
      'UPDATE `users` SET `pin` = ? WHERE `id` = ? - Lock wait timeout exceeded; try restarting transaction',
    ],
  ])("reads the statement Knex puts before a %s error's message as a query fingerprint", (_, fields, message, expected) => {
    expect(safeErrorMessage(Object.assign(new Error(message), fields), message)).toBe(expected);
  });

  it('reads the whole statement before cutting the message, so a long one keeps no value past the cut', () => {
    const message = `update "t" set "a" = "a" - 1, "b" = '${'x'.repeat(1100)}', "pin" = 4821 where "id" = 7 - deadlock detected`;
    const safe = safeErrorMessage(Object.assign(new Error(message), { severity: 'ERROR', routine: 'DeadLockReport', code: '40P01' }), message)!;
    expect(safe.startsWith('UPDATE "t" SET')).toBe(true);
    expect(safe).not.toMatch(/4821|xxx/);
    expect(safe.length).toBeLessThanOrEqual(1024);
  });

  it.each([
    ['Cannot GET /oauth/callback?code=4_0AX4XfWh&state=st8', 'Cannot GET /oauth/callback'],
    ['Cannot POST /reset#t=Zq81', 'Cannot POST /reset'],
    ['Cannot GET /?q=ada+lovelace', 'Cannot GET /'],
    ['Cannot GET /api/users/42', 'Cannot GET /api/users/42'],
    ["Cannot read properties of undefined (reading 'id?')", "Cannot read properties of undefined (reading 'id?')"],
  ])("cuts the query string out of Nest's answer to an unmatched path: %s", (message, expected) => {
    expect(safeErrorMessage(new Error(message), message)).toBe(expected);
  });

  it('applies to a Backend Error of any source, not only the database hook', () => {
    for (const source of ['api', 'payment', 'custom']) {
      expect(backendErrorEvent({ source, error: pgError }).properties.error_message).toBe('invalid input value for enum users_role_enum: "?"');
    }
  });

  it('keeps the values of a database error that reaches a controller or a decorated method off the wire', async () => {
    const wa = wireAnalytics();
    try {
      wa.analytics.recordError('api', queryFailed);
      wa.analytics.recordError('payment', mysqlError);
      wa.analytics.recordError('api', mssqlError);
      wa.analytics.recordError('api', new SyntaxError(`Unexpected token 'h', ..."assword": hunter2}" is not valid JSON`));
      const payload = await wa.payload();
      expect(payload).toContain('invalid input syntax for type integer');
      for (const value of ['S3cretPin', 'Jane Q. Public', 'k_8f7d6e5c', 'hunter2']) expect(payload).not.toContain(value);
    } finally {
      await wa.analytics.shutdown();
    }
  });
});
