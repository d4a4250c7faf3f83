import fc from 'fast-check';
import { type SqlDialect, fingerprintSql } from '../../lib/privacy/sql-fingerprint.js';

/**
 * Fingerprints whose literals end where the database's rules end them (sql-dialect.ts): the same
 * statement by dialect, and 'unknown', which must be safe whichever rules the database follows.
 */
const SEED = 2_718;
const DIALECTS: readonly SqlDialect[] = ['unknown', 'mysql', 'postgres', 'sqlite', 'mssql'];

/** Expected fingerprints by dialect; `'*'` stands for every dialect not named. */
type ByDialect = Partial<Record<SqlDialect | '*', string>>;

/** Checks each dialect's fingerprint; `secrets` must be absent except where `codeIn` says the dialect reads them as SQL, not data. */
function expectByDialect(sql: string, expected: ByDialect, secrets: readonly string[], codeIn: readonly SqlDialect[] = []): void {
  for (const dialect of DIALECTS) {
    const want = expected[dialect] ?? expected['*'];
    if (want === undefined) continue;
    const out = fingerprintSql(sql, dialect);
    expect({ dialect, out }).toEqual({ dialect, out: want });
    if (codeIn.includes(dialect)) continue;
    for (const secret of secrets) expect({ dialect, leaked: out.includes(secret) }).toEqual({ dialect, leaked: false });
  }
}

describe('fingerprintSql: backslashes escape by dialect', () => {
  // MySQL escapes with backslashes in every string: there `'C:\' AND owner_token = '` is one
  // literal and the words after it are SQL, which is what its fingerprint shows (`codeIn`).
  it.each<[string, ByDialect, string[], SqlDialect[]]>([
    [
      "SELECT * FROM files WHERE dir = 'C:\\' AND owner_token = 'abc123 secret words'",
      { '*': 'SELECT * FROM files WHERE dir = ? AND owner_token = ?', mysql: 'SELECT * FROM files WHERE dir = ? abc123 secret words ?', unknown: 'SELECT * FROM files WHERE dir = ?' },
      ['abc123', 'secret'],
      ['mysql'],
    ],
    [
      "SELECT replace(path, '\\', '/'), 'LEAK secret' FROM files",
      { '*': 'SELECT REPLACE (path, ?, ?), ? FROM files', mysql: 'SELECT REPLACE (path, ? / ? LEAK secret ?', unknown: 'SELECT REPLACE (path, ?' },
      ['LEAK', 'secret'],
      ['mysql'],
    ],
    [
      "SELECT * FROM t WHERE a = N'C:\\' AND b = N'LEAK secret'",
      { '*': 'SELECT * FROM t WHERE a = ? AND b = ?', mysql: 'SELECT * FROM t WHERE a = ? LEAK secret ?', unknown: 'SELECT * FROM t WHERE a = ?' },
      ['LEAK', 'secret'],
      ['mysql'],
    ],
    // E'' escapes in PostgreSQL (and MySQL); SQLite and SQL Server read `E` as a name before a plain string.
    [
      "SELECT * FROM t WHERE a = E'it\\'s' AND b = 'LEAK secret'",
      { '*': 'SELECT * FROM t WHERE a = ? AND b = ?', sqlite: 'SELECT * FROM t WHERE a = ? s ? LEAK secret ?', mssql: 'SELECT * FROM t WHERE a = ? s ? LEAK secret ?', unknown: 'SELECT * FROM t WHERE a = ?' },
      ['LEAK', 'secret'],
      ['sqlite', 'mssql'],
    ],
  ])('%j', (sql, expected, secrets, codeIn) => {
    expectByDialect(sql, expected, secrets, codeIn);
  });
});


describe('fingerprintSql: MySQL reads every "..." as a string and # as a comment', () => {
  // PostgreSQL reads "..." as a name and # as an operator: there the words are SQL (`codeIn`).
  it.each<[string, ByDialect, string[], SqlDialect[]]>([
    ['SELECT id FROM users WHERE password = MD5("hunter2")', { '*': 'SELECT id FROM users WHERE password = ? (?)', postgres: 'SELECT id FROM users WHERE password = ? ("hunter2")' }, ['hunter2'], ['postgres']],
    ['SELECT concat("LEAK62", x) FROM t', { '*': 'SELECT concat(?, x) FROM t', postgres: 'SELECT concat("LEAK62", x) FROM t' }, ['LEAK'], ['postgres']],
    ['SELECT IF(a, "LEAK70", "b") FROM t', { '*': 'SELECT IF (a, ?, ?) FROM t', postgres: 'SELECT IF (a, "LEAK70", "b") FROM t' }, ['LEAK'], ['postgres']],
    ['SELECT * FROM t WHERE y BETWEEN "LEAK66" AND "LEAK67"', { '*': 'SELECT * FROM t WHERE y BETWEEN ? AND ?', postgres: 'SELECT * FROM t WHERE y BETWEEN "LEAK66" AND "LEAK67"' }, ['LEAK'], ['postgres']],
    ['SELECT CASE WHEN z THEN "LEAK68" ELSE "b" END FROM t', { '*': 'SELECT CASE WHEN z THEN ? ELSE ? END FROM t', postgres: 'SELECT CASE WHEN z THEN "LEAK68" ELSE "b" END FROM t' }, ['LEAK'], ['postgres']],
    ['SELECT * FROM t WHERE a <=> "LEAK69"', { '*': 'SELECT * FROM t WHERE a <=> ?', postgres: 'SELECT * FROM t WHERE a <=> "LEAK69"' }, ['LEAK'], ['postgres']],
    [
      'SELECT * FROM t WHERE a REGEXP "LEAK71" OR b RLIKE "LEAK72" OR c GLOB "LEAK73" OR d IS "LEAK74" OR e = BINARY "LEAK75"',
      {
        '*': 'SELECT * FROM t WHERE a REGEXP ? OR b RLIKE ? OR c GLOB ? OR d IS ? OR e = BINARY ?',
        postgres: 'SELECT * FROM t WHERE a REGEXP "LEAK71" OR b RLIKE "LEAK72" OR c GLOB "LEAK73" OR d IS "LEAK74" OR e = BINARY "LEAK75"',
      },
      ['LEAK'],
      ['postgres'],
    ],
    [
      'SELECT * FROM t WHERE MATCH (a) AGAINST ("LEAK76") OR b MATCH "LEAK77"',
      { '*': 'SELECT * FROM t WHERE MATCH(a) AGAINST(?) OR b MATCH ?', postgres: 'SELECT * FROM t WHERE MATCH(a) AGAINST("LEAK76") OR b MATCH "LEAK77"' },
      ['LEAK'],
      ['postgres'],
    ],
    [
      'SELECT x FROM t # note: customer LEAK secret\nWHERE id = 1',
      { '*': 'SELECT x FROM t # note:customer LEAK secret WHERE id = ?', mysql: 'SELECT x FROM t WHERE id = ?', unknown: 'SELECT x FROM t ? WHERE id = ?' },
      ['LEAK', 'secret'],
      ['postgres', 'sqlite', 'mssql'],
    ],
  ])('%j', (sql, expected, secrets, codeIn) => {
    expectByDialect(sql, expected, secrets, codeIn);
  });

  it('keeps the names an ORM quotes wherever "..." may be a name', () => {
    const sql = 'INSERT INTO "customers"("email", "name") SELECT "u"."email", "name" FROM "users" "u" WHERE "u"."id" = $1 AND "name" IN (SELECT "name" FROM "b")';
    const names = 'INSERT INTO "customers"("email", "name") SELECT "u"."email", "name" FROM "users" "u" WHERE "u"."id" = ? AND "name" IN (SELECT "name" FROM "b")';
    expectByDialect(sql, { '*': names, mysql: 'INSERT INTO ? (?, ?) SELECT ?.?, ? FROM ? ? WHERE ?.? = ? AND ? IN (SELECT ? FROM ?)' }, []);
  });
});

describe('fingerprintSql: where a -- comment ends', () => {
  it.each<[string, ByDialect]>([
    // PostgreSQL also ends it at a bare \r; MySQL and SQLite only at \n; SQL Server is read both ways.
    ["SELECT x FROM t -- c\r WHERE a = 'y'", { postgres: 'SELECT x FROM t WHERE a = ?', mysql: 'SELECT x FROM t', sqlite: 'SELECT x FROM t', mssql: 'SELECT x FROM t ?', unknown: 'SELECT x FROM t ?' }],
    ["SELECT x FROM t -- c\r\nWHERE a = 'y'", { '*': 'SELECT x FROM t WHERE a = ?' }],
    // MySQL needs a space after --: `a--1` is `a - -1` there.
    ['SELECT a--1\nFROM t', { '*': 'SELECT a FROM t', mysql: 'SELECT a - ? FROM t', unknown: 'SELECT a ? FROM t' }],
  ])('%j', (sql, expected) => {
    expectByDialect(sql, expected, []);
  });
});

describe('fingerprintSql: literals never come out, read by their own dialect or as unknown (property)', () => {
  // Only Z, Q and 7 are letters or digits in literals, and the statement around them has none.
  const content = fc.string({ unit: fc.constantFrom("'", '"', '\\', '`', '$', '#', '-', '*', '/', '\n', '\r', ' ', '(', ',', 'Z', 'Q', '7'), maxLength: 24 });
  const backslashEscaped = (quote: string) => content.map((c) => `${quote}ZQ${c.replace(/\\/g, '\\\\').replaceAll(quote, `\\${quote}`)}${quote}`);
  const standard = content.map((c) => `'ZQ${c.replace(/'/g, "''")}'`);
  const eString = backslashEscaped("'").map((literal) => `E${literal}`);

  it.each<[string, fc.Arbitrary<string>, SqlDialect[]]>([
    ["MySQL '...' and \"...\"", fc.oneof(backslashEscaped("'"), backslashEscaped('"')), ['mysql', 'unknown']],
    ["standard '...'", standard, ['postgres', 'sqlite', 'mssql', 'unknown']],
    ["PostgreSQL E'...'", fc.oneof(standard, eString), ['postgres', 'unknown']],
  ])('%s', (_, literal, dialects) => {
    fc.assert(
      fc.property(literal, literal, literal, fc.constantFrom(...dialects), (a, b, c, dialect) => {
        const sql = `SELECT a FROM t WHERE b = ${a} AND c IN (${b}, x) OR d LIKE ${c}`;
        expect(fingerprintSql(sql, dialect)).not.toMatch(/[ZQ7]/);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
