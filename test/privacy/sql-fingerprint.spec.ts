import fc from 'fast-check';
import { classifySql } from '../../lib/privacy/sql-classify.js';
import { MAX_FINGERPRINT_LENGTH, MAX_SQL_INPUT, type SqlDialect, describeSql, fingerprintSql } from '../../lib/privacy/sql-fingerprint.js';

const SEED = 1_337;
const DIALECTS: readonly SqlDialect[] = ['unknown', 'mysql', 'postgres', 'sqlite', 'mssql'];

describe('fingerprintSql', () => {
  it.each([
    // literals, signed numbers and placeholders
    ["SELECT * FROM users WHERE id = 42 AND name = 'O''Brien'", 'SELECT * FROM users WHERE id = ? AND name = ?'],
    ['SELECT * FROM t WHERE a = -5 AND b > -2.5e-3 AND c = 0xFF AND d = +1', 'SELECT * FROM t WHERE a = ? AND b > ? AND c = ? AND d = ?'],
    ['SELECT a - 1, a-1, -a FROM t', 'SELECT a - ?, a - ?, - a FROM t'],
    ["SELECT E'\\\\x', $$it's$$, $q$a$$b$q$, N'x', X'ff' FROM t", 'SELECT ?, ?, ?, ?, ? FROM t'],
    ['UPDATE t SET a = $1, b = ?, c = :name, d = @p1, e = ?3 WHERE f = :1', 'UPDATE t SET a = ?, b = ?, c = ?, d = ?, e = ? WHERE f = ?'],
    ['SELECT * FROM t WHERE ok = TRUE AND gone = false AND x IS NULL', 'SELECT * FROM t WHERE ok = TRUE AND gone = FALSE AND x IS NULL'],
    // lists
    ['SELECT * FROM t WHERE id IN (1, 2, 3)', 'SELECT * FROM t WHERE id IN (?)'],
    ['SELECT * FROM t WHERE id NOT IN ($1,$2)', 'SELECT * FROM t WHERE id NOT IN (?)'],
    ["SELECT * FROM t WHERE (a, b) IN ((1, 'x'), (2, 'y'))", 'SELECT * FROM t WHERE (a, b) IN (?)'],
    ['SELECT * FROM t WHERE id IN (SELECT uid FROM u WHERE v = 1)', 'SELECT * FROM t WHERE id IN (SELECT uid FROM u WHERE v = ?)'],
    ['SELECT * FROM t WHERE id IN ()', 'SELECT * FROM t WHERE id IN (?)'],
    // ... whatever values it holds, or the fingerprint would count them
    ["SELECT * FROM t WHERE a IN ('x', -1, +2, NULL)", 'SELECT * FROM t WHERE a IN (?)'],
    ['SELECT * FROM t WHERE a IN (1 + 2, 3)', 'SELECT * FROM t WHERE a IN (?)'],
    ["SELECT * FROM t WHERE a IN ('a'::text, CAST($1 AS varchar(9)), DATE '2024-01-01', - 3, DEFAULT, TRUE, 'b'::character varying)", 'SELECT * FROM t WHERE a IN (?)'],
    ['SELECT * FROM t WHERE a IN (b, 1) AND c IN (SELECT 1) AND d IN (-e)', 'SELECT * FROM t WHERE a IN (b, ?) AND c IN (SELECT ?) AND d IN (- e)'],
    ["INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, now())", 'INSERT INTO t(a, b) VALUES (?)'],
    ["INSERT INTO t VALUES (1, 'x') ON CONFLICT (a) DO UPDATE SET b = excluded.b RETURNING id", 'INSERT INTO t VALUES (?) ON CONFLICT (a) DO UPDATE SET b = excluded.b RETURNING id'],
    ['SELECT * FROM (VALUES (1), (2)) AS v(x)', 'SELECT * FROM (VALUES (?)) AS v(x)'],
    ['INSERT INTO t VALUES (1, 2', 'INSERT INTO t VALUES (?)'],
    // comments and whitespace
    ['/* lead */ SELECT  a,\n\tb -- trailing 99\nFROM t', 'SELECT a, b FROM t'],
    // PostgreSQL nests block comments, MySQL and SQLite do not: with the dialect unknown, the disputed part is one `?`.
    ['SELECT a /* 1 /* 2 */ 3 */ FROM t', 'SELECT a ? FROM t'],
    // identifiers as written, keywords upper-cased
    ['select "User"."firstName", `db`.`t`.c, [dbo].[Order Lines].qty from "User"', 'SELECT "User"."firstName", `db`.`t`.c, [dbo].[Order Lines].qty FROM "User"'],
    ['SELECT count(*), COALESCE(a, 0), t.* FROM t', 'SELECT count(*), COALESCE(a, ?), t.* FROM t'],
    ['SELECT a::text, arr[1], arr[2:3] FROM t', 'SELECT a::text, arr[?], arr[?:?] FROM t'],
    ['SELECT ARRAY[1, 2]', 'SELECT ARRAY[?, ?]'],
    ['SELECT * FROM t LIMIT 10 OFFSET 20', 'SELECT * FROM t LIMIT ? OFFSET ?'],
    ["SELECT now() - interval '1 day'", "SELECT now() - INTERVAL ?"],
    // MySQL double-quoted strings in value positions
    ['SELECT * FROM users WHERE name = "bob" AND nick LIKE "b%"', 'SELECT * FROM users WHERE name = ? AND nick LIKE ?'],
    ['SELECT * FROM users WHERE name IN ("a", "b")', 'SELECT * FROM users WHERE name IN (?)'],
    ['SELECT * FROM "p" JOIN "u" ON "p"."uid" = "u"."id"', 'SELECT * FROM "p" JOIN "u" ON "p"."uid" = "u"."id"'],
    // ... and as arguments, list items and range bounds, when they could not be names
    ['SELECT id FROM users WHERE email = "jane@x.com" AND password = MD5("Tr0ub4dor&3")', 'SELECT id FROM users WHERE email = ? AND password = ? (?)'],
    ['SELECT * FROM t WHERE pin BETWEEN "1111" AND "4321"', 'SELECT * FROM t WHERE pin BETWEEN ? AND ?'],
    ['SELECT CONCAT("%", "Jane Doe", "%")', 'SELECT CONCAT(?, ?, ?)'],
    // A function's argument is a value position: MySQL's MD5("hunter2") reads exactly like LOWER("user_email").
    ['SELECT COUNT("Product"."id"), LOWER("user_email") AS "Weird Name" FROM "products" "Product"', 'SELECT COUNT("Product"."id"), LOWER(?) AS "Weird Name" FROM "products" "Product"'],
    // passwords written without quotes
    ['CREATE USER app IDENTIFIED BY hunter2', 'CREATE USER app IDENTIFIED BY ?'],
    ["ALTER USER app IDENTIFIED WITH caching_sha2_password BY 's3cret'", 'ALTER USER app IDENTIFIED WITH caching_sha2_password BY ?'],
    ['ALTER ROLE app WITH LOGIN PASSWORD hunter2', 'ALTER ROLE app WITH LOGIN PASSWORD ?'],
    ['SET PASSWORD FOR app = hunter2', 'SET PASSWORD FOR app = ?'],
    ["SET PASSWORD FOR 'app'@'%' = hunter2", 'SET PASSWORD FOR ? @ ? = ?'],
    ['SET PASSWORD = hunter2', 'SET PASSWORD = ?'],
    ['ALTER USER app IDENTIFIED WITH caching_sha2_password BY hunter2', 'ALTER USER app IDENTIFIED WITH caching_sha2_password BY ?'],
    ['ALTER ROLE app WITH PASSWORD `hunter2`', 'ALTER ROLE app WITH PASSWORD ?'],
    ['SELECT password FROM users ORDER BY password', 'SELECT password FROM users ORDER BY password'],
    // several statements, unusual input
    ['BEGIN; UPDATE a SET n = n + 1; COMMIT;', 'BEGIN; UPDATE a SET n = n + ?; COMMIT;'],
    ['   ', ''],
    ['', ''],
  ])('%j → %j', (sql, expected) => {
    expect(fingerprintSql(sql)).toBe(expected);
  });

  it('collapses a list of double-quoted items under every dialect, names in PostgreSQL as values in MySQL', () => {
    for (const dialect of DIALECTS) {
      expect(fingerprintSql('SELECT * FROM users WHERE name IN ("a", "b")', dialect)).toBe('SELECT * FROM users WHERE name IN (?)');
    }
  });

  it('returns "" for non-strings instead of throwing', () => {
    for (const value of [undefined, null, 42, {}, Symbol('x')]) expect(fingerprintSql(value as unknown as string)).toBe('');
  });

  it(`caps the output at ${MAX_FINGERPRINT_LENGTH} characters on a token boundary`, () => {
    const columns = Array.from({ length: 2000 }, (_, i) => `column_${String.fromCharCode(97 + (i % 26))}`);
    const out = fingerprintSql(`SELECT ${columns.join(', ')} FROM t`);
    expect(out.length).toBeLessThanOrEqual(MAX_FINGERPRINT_LENGTH);
    expect(out.length).toBeGreaterThan(MAX_FINGERPRINT_LENGTH - 20);
    expect(out).toMatch(/^SELECT column_a, column_b, .*column_[a-z],?$/);
    const oneHugeIdentifier = fingerprintSql(`SELECT ${'x'.repeat(10_000)}`);
    expect(oneHugeIdentifier).toBe('SELECT');
    expect(fingerprintSql('y'.repeat(10_000))).toBe('y'.repeat(MAX_FINGERPRINT_LENGTH));
  });

  it(`reads only the first ${MAX_SQL_INPUT} characters`, () => {
    const tail = ' AND marker_column_after_the_cap = 1';
    expect(fingerprintSql(`SELECT a FROM t WHERE b = 1${' '.repeat(MAX_SQL_INPUT)}${tail}`)).toBe('SELECT a FROM t WHERE b = ?');
  });

  it('collapses a huge multi-row VALUES cut by the input cap', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `(${i}, 'secret-${i}')`).join(', ');
    expect(fingerprintSql(`INSERT INTO t (a, b) VALUES ${rows}`)).toBe('INSERT INTO t(a, b) VALUES (?)');
  });

  // Input chosen to be slow for a scanner that rereads a run from every position it starts at.
  it.each(['-', '+-', '=-', "'", '"', '`', '(', ')', '[', '/*', '*/', '$', '$a', '#', '\\', ':', '?', '@', "E'", '--\r', 'a.'])(
    'reads a 100,000-character run of %j in every dialect',
    (piece) => {
      const sql = `SELECT 1${piece.repeat(Math.ceil(100_000 / piece.length))}`;
      for (const dialect of DIALECTS) {
        const out = fingerprintSql(sql, dialect);
        expect(out).toMatch(/^SELECT \?/);
        expect(out.length).toBeLessThanOrEqual(MAX_FINGERPRINT_LENGTH);
        expect(out).not.toMatch(/\d/);
      }
    },
  );

  it('reads a failed `1+++…+1` as single operators, not as one run reread from each sign', () => {
    for (const dialect of DIALECTS) expect(fingerprintSql(`SELECT 1${'+'.repeat(100_000)}1`, dialect)).toMatch(/^SELECT \?( \+)+$/);
  });

  /** A string literal in one of the quoting styles the scanner knows, holding `content`. */
  const quotedLiteral = fc.tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer({ min: 0, max: 4 })).map(([content, style]) => {
    switch (style) {
      case 0:
        return `'${content.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;
      case 1:
        return `E'${content.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
      case 2:
        return `$$${content.replace(/\$/g, '')}$$`;
      case 3:
        return `$body$${content.replace(/\$body\$/g, '')}$body$`;
      default:
        return `N'${content.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;
    }
  });
  const numberLiteral = fc.oneof(
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => String(d)).filter((d) => !d.includes('Infinity')),
    fc.nat().map((n) => `0x${n.toString(16)}`),
    fc.bigInt().map(String),
  );

  it('is independent of literal values: every generated query has the same fingerprint (property)', () => {
    const list = fc.array(fc.oneof(quotedLiteral, numberLiteral), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(quotedLiteral, numberLiteral, list, numberLiteral, (name, age, ids, limit) => {
        const sql = `SELECT * FROM users WHERE name = ${name} AND age > ${age} AND id IN (${ids.join(', ')}) LIMIT ${limit}`;
        // All five quoting styles are PostgreSQL's (E'' escapes with backslashes, '' does not).
        expect(fingerprintSql(sql, 'postgres')).toBe('SELECT * FROM users WHERE name = ? AND age > ? AND id IN (?) LIMIT ?');
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('never lets a digit or a quoted literal through, whatever the token soup (property)', () => {
    // Identifiers here have no digits and no "ZQ", so any digit or "ZQ" in the output is a leaked literal.
    const piece = fc.oneof(
      fc.constantFrom('SELECT', 'FROM', 'WHERE', 'IN', 'VALUES', 'AND', 'tbl', 'col', 'x', 'E', 'N'),
      fc.constantFrom('=', '-', '+', '(', ')', ',', '.', '::', '*', '<>', ';', '$1', '?', ':p', '@p', '--', '/*', '*/', '\n'),
      quotedLiteral.map((q) => q.replace(/^(\$\w*\$|[EN]?')/, '$1ZQ')),
      numberLiteral,
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.constantFrom(' ', '  ', '\t', '\n'), (pieces, gap) => {
        const out = fingerprintSql(pieces.join(gap));
        expect(out).not.toMatch(/\d/);
        expect(out).not.toContain('ZQ');
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('never throws and stays within its cap on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (sql) => {
        expect(fingerprintSql(sql).length).toBeLessThanOrEqual(MAX_FINGERPRINT_LENGTH);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('fingerprintSql: literals are read before any credential rule (a rule that ate a quote paired every later quote the wrong way)', () => {
  it.each<[string, string, string[]]>([
    ["UPDATE users SET email = username||'@example.com', password = 'hunter2 correct horse' WHERE id = 5", 'UPDATE users SET email = username || ?, password = ? WHERE id = ?', ['hunter2', 'correct', 'horse']],
    ["SELECT id FROM users WHERE email = E'bob@x.io' AND password = E'hunter2 secret'", 'SELECT id FROM users WHERE email = ? AND password = ?', ['bob', 'hunter2', 'secret']],
    ["SELECT id FROM users WHERE email = N'bob@x.io' AND password = N'hunter2 secret'", 'SELECT id FROM users WHERE email = ? AND password = ?', ['bob', 'hunter2', 'secret']],
    ["SELECT id FROM users WHERE email = _utf8mb4'bob@x.io' AND note = 'card 4111 1111 1111 1111 pin'", 'SELECT id FROM users WHERE email = ? AND note = ?', ['bob', 'card', '4111', 'pin']],
    ["SELECT col||'bob@x.io', 'my secret words' FROM t", 'SELECT col || ?, ? FROM t', ['bob', 'secret', 'words']],
    ["SELECT $q$bob@x.io $q$, 'x', $q$LEAK secret$q$", 'SELECT ?, ?, ?', ['bob', 'LEAK', 'secret']],
    ["SELECT a FROM t WHERE x = bob'@x.io' AND y = 'LEAK secret'", 'SELECT a FROM t WHERE x = bob ? AND y = ?', ['LEAK', 'secret']],
    // Credentials written outside literals, read as names and operators, go as a whole.
    ['SELECT * FROM t WHERE owner = bob.smith@example.com', 'SELECT * FROM t WHERE owner = ?', ['bob', 'smith']],
    ["SELECT * FROM t WHERE note = '' postgres://app:Pa55word123@db:5432/x ''", 'SELECT * FROM t WHERE note = ? ? ?', ['Pa55word123']],
    ['SELECT eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl-xyz FROM t', 'SELECT ? FROM t', ['eyJ', 'c2lnbmF0dXJl']],
    ['SELECT `bob@x.io` FROM t', 'SELECT `[REDACTED]@x.io` FROM t', ['bob']],
  ])('%j → %j in every dialect', (sql, expected, secrets) => {
    for (const dialect of DIALECTS) {
      const out = fingerprintSql(sql, dialect);
      expect({ dialect, out }).toEqual({ dialect, out: expected });
      for (const secret of secrets) expect(out).not.toContain(secret);
    }
  });
});

describe('describeSql', () => {
  it.each([
    "SELECT * FROM users WHERE id = 1",
    "WITH x AS (SELECT 1) INSERT INTO logs SELECT * FROM x",
    'not sql at all',
    '',
  ])('equals classifySql plus fingerprintSql for %j', (sql) => {
    expect(describeSql(sql)).toEqual({ ...classifySql(sql), fingerprint: fingerprintSql(sql) });
  });

  it('handles non-strings', () => {
    expect(describeSql(undefined as unknown as string)).toEqual({ queryType: 'OTHER', fingerprint: '' });
  });
});
