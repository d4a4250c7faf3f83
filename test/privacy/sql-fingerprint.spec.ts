import fc from 'fast-check';
import { classifySql } from '../../lib/privacy/sql-classify.js';
import { MAX_FINGERPRINT_LENGTH, MAX_SQL_INPUT, describeSql, fingerprintSql } from '../../lib/privacy/sql-fingerprint.js';

const SEED = 1_337;

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
    ["INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, now())", 'INSERT INTO t(a, b) VALUES (?)'],
    ["INSERT INTO t VALUES (1, 'x') ON CONFLICT (a) DO UPDATE SET b = excluded.b RETURNING id", 'INSERT INTO t VALUES (?) ON CONFLICT (a) DO UPDATE SET b = excluded.b RETURNING id'],
    ['SELECT * FROM (VALUES (1), (2)) AS v(x)', 'SELECT * FROM (VALUES (?)) AS v(x)'],
    ['INSERT INTO t VALUES (1, 2', 'INSERT INTO t VALUES (?)'],
    // comments and whitespace
    ['/* lead */ SELECT  a,\n\tb -- trailing 99\nFROM t', 'SELECT a, b FROM t'],
    ['SELECT a /* 1 /* 2 */ 3 */ FROM t', 'SELECT a FROM t'],
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
    ['SELECT COUNT("Product"."id"), LOWER("user_email") AS "Weird Name" FROM "products" "Product"', 'SELECT COUNT("Product"."id"), LOWER("user_email") AS "Weird Name" FROM "products" "Product"'],
    // passwords written without quotes
    ['CREATE USER app IDENTIFIED BY hunter2', 'CREATE USER app IDENTIFIED BY ?'],
    ["ALTER USER app IDENTIFIED WITH caching_sha2_password BY 's3cret'", 'ALTER USER app IDENTIFIED WITH caching_sha2_password BY ?'],
    ['ALTER ROLE app WITH LOGIN PASSWORD hunter2', 'ALTER ROLE app WITH LOGIN PASSWORD ?'],
    ['SET PASSWORD FOR app = hunter2', 'SET PASSWORD FOR app = ?'],
    ["SET PASSWORD FOR 'app'@'%' = hunter2", 'SET PASSWORD FOR ? @ ? = ?'],
    ['SET PASSWORD = hunter2', 'SET PASSWORD = ?'],
    ['SELECT password FROM users ORDER BY password', 'SELECT password FROM users ORDER BY password'],
    // several statements, unusual input
    ['BEGIN; UPDATE a SET n = n + 1; COMMIT;', 'BEGIN; UPDATE a SET n = n + ?; COMMIT;'],
    ['   ', ''],
    ['', ''],
  ])('%j → %j', (sql, expected) => {
    expect(fingerprintSql(sql)).toBe(expected);
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
        expect(fingerprintSql(sql)).toBe('SELECT * FROM users WHERE name = ? AND age > ? AND id IN (?) LIMIT ?');
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
