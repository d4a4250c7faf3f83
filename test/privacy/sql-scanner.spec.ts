import fc from 'fast-check';
import { type SqlDialect, readingsOf } from '../../lib/privacy/sql-dialect.js';
import { readSql } from '../../lib/privacy/sql-readings.js';
import { MAX_SQL_INPUT, scanSql } from '../../lib/privacy/sql-scanner.js';
import { type SqlToken, valueLike } from '../../lib/privacy/sql-tokens.js';

const SEED = 5_432;
const DIALECTS: readonly SqlDialect[] = ['unknown', 'mysql', 'postgres', 'sqlite', 'mssql'];

/** `kind:text` per token, compact enough to read in a table. */
function lex(sql: string, dialect: SqlDialect): string[] {
  return readSql(sql, dialect).map((t) => `${t.kind}:${t.text}`);
}

describe('scanSql', () => {
  it.each<[string, string[]]>([
    ['SELECT a FROM t', ['keyword:SELECT', 'ident:a', 'keyword:FROM', 'ident:t']],
    ['select Name from Users', ['keyword:SELECT', 'ident:Name', 'keyword:FROM', 'ident:Users']],
    ["'it''s'", ['value:?']],
    ["E'\\n' e'x' N'y' X'ff' b'01' _utf8'z' U&'d\\0061t'", ['value:?', 'value:?', 'value:?', 'value:?', 'value:?', 'value:?', 'value:?']],
    ["'unterminated and more", ['value:?']],
    ['$$ a $ b $$ x', ['value:?', 'ident:x']],
    ['$fn$ body $x$ $fn$ y', ['value:?', 'ident:y']],
    ['$tag$ never closed', ['value:?']],
    ['($1, $23, ?, ?7, :name, :1, @p1)', ['punct:(', ...Array(7).fill(['value:?', 'punct:,']).flat().slice(0, -1), 'punct:)']],
    ['a :name', ['ident:a', 'punct::', 'ident:name']],
    ['a @p1', ['ident:a', 'op:@', 'ident:p1']],
    ['a$b c$1', ['ident:a$b', 'ident:c$1']],
    ['42, -7, 3.14, .5, 1e10, 1.5E-3, 0x1F, 0b101, 1_000, 12abc', Array(10).fill(['value:?', 'punct:,']).flat().slice(0, -1)],
    ['a - 1', ['ident:a', 'op:-', 'value:?']],
    ['a = -1', ['ident:a', 'op:=', 'value:?']],
    ['a=-1', ['ident:a', 'op:=', 'value:?']],
    ['a - -1', ['ident:a', 'op:-', 'value:?']],
    ['(-1)', ['punct:(', 'value:?', 'punct:)']],
    [') - 1', ['punct:)', 'op:-', 'value:?']],
    ['NULL - 1', ['keyword:NULL', 'op:-', 'value:?']],
    ['a <> b >= c != d || e ->> f @> g', ['ident:a', 'op:<>', 'ident:b', 'op:>=', 'ident:c', 'op:!=', 'ident:d', 'op:||', 'ident:e', 'op:->>', 'ident:f', 'op:@>', 'ident:g']],
    ['a::int', ['ident:a', 'op:::', 'ident:int']],
    ['x := 1', ['ident:x', 'op::=', 'value:?']],
    ['a[1:2]', ['ident:a', 'punct:[', 'value:?', 'punct::', 'value:?', 'punct:]']],
    ['a[lo:hi]', ['ident:a', 'punct:[', 'ident:lo', 'punct::', 'ident:hi', 'punct:]']],
    ['data ?| b', ['ident:data', 'op:?|', 'ident:b']],
    ['@@version', ['ident:@@version']],
    ['[dbo].[My Table]', ['quoted:[dbo]', 'punct:.', 'quoted:[My Table]']],
    ['ARRAY[1, 2]', ['keyword:ARRAY', 'punct:[', 'value:?', 'punct:,', 'value:?', 'punct:]']],
    ['[x + 1]', ['punct:[', 'ident:x', 'op:+', 'value:?', 'punct:]']],
    ['a -- comment 123\nb', ['ident:a', 'ident:b']],
    ['a /* never closed 42', ['ident:a']],
    ['a=/*x*/1', ['ident:a', 'op:=', 'value:?']],
    ['"unterminated ident', ['value:?']],
    [`"${'x'.repeat(200)}"`, ['value:?']],
    ['\ufeff\u00a0SELECT\t1;', ['keyword:SELECT', 'value:?', 'punct:;']],
    ['', []],
  ])('%j in every dialect', (sql, tokens) => {
    for (const dialect of DIALECTS) expect({ dialect, tokens: lex(sql, dialect) }).toEqual({ dialect, tokens });
  });

  it.each<[string, Partial<Record<SqlDialect, string[]>>]>([
    // Backslash escapes: every string in MySQL, only E'' in PostgreSQL, none in SQLite and SQL Server.
    ["'a\\'c' x", { mysql: ['value:?', 'ident:x'], postgres: ['value:?', 'ident:c', 'value:?'], sqlite: ['value:?', 'ident:c', 'value:?'], unknown: ['value:?'] }],
    ["E'a\\'c' x", { mysql: ['value:?', 'ident:x'], postgres: ['value:?', 'ident:x'], mssql: ['value:?', 'ident:c', 'value:?'], unknown: ['value:?'] }],
    ['"a\\"b" x', { mysql: ['value:?', 'ident:x'], postgres: ['quoted:"a\\"', 'ident:b', 'value:?'], unknown: ['value:?'] }],
    // Comments: `#` in MySQL only, `-- ` needs a space in MySQL, a bare \r ends `--` in PostgreSQL, nesting in PostgreSQL and SQL Server.
    ['a # b\nc', { mysql: ['ident:a', 'ident:c'], postgres: ['ident:a', 'op:#', 'ident:b', 'ident:c'], unknown: ['ident:a', 'value:?', 'ident:c'] }],
    ['a <#> b', { mysql: ['ident:a', 'op:<'], postgres: ['ident:a', 'op:<#>', 'ident:b'], unknown: ['ident:a', 'value:?'] }],
    ['a--1', { mysql: ['ident:a', 'op:-', 'value:?'], postgres: ['ident:a'], sqlite: ['ident:a'], unknown: ['ident:a', 'value:?'] }],
    ['a -- b\rc\nd', { mysql: ['ident:a', 'ident:d'], postgres: ['ident:a', 'ident:c', 'ident:d'], sqlite: ['ident:a', 'ident:d'], mssql: ['ident:a', 'value:?', 'ident:d'], unknown: ['ident:a', 'value:?', 'ident:d'] }],
    ['a /* c /* nested */ 42 */ b', { mysql: ['ident:a', 'value:?', 'op:*/', 'ident:b'], postgres: ['ident:a', 'ident:b'], mssql: ['ident:a', 'ident:b'], unknown: ['ident:a', 'value:?', 'ident:b'] }],
    // Double quotes: always a string in MySQL, always a name in PostgreSQL, guessed elsewhere.
    ['name = "bob"', { mysql: ['ident:name', 'op:=', 'value:?'], postgres: ['ident:name', 'op:=', 'quoted:"bob"'], sqlite: ['ident:name', 'op:=', 'value:?'], unknown: ['ident:name', 'op:=', 'value:?'] }],
    ['name LIKE "%bob%"', { mysql: ['ident:name', 'keyword:LIKE', 'value:?'], postgres: ['ident:name', 'keyword:LIKE', 'quoted:"%bob%"'], unknown: ['ident:name', 'keyword:LIKE', 'value:?'] }],
    ['"Weird ""Name""" `back``tick`', { mysql: ['value:?', 'quoted:`back``tick`'], postgres: ['quoted:"Weird ""Name"""', 'quoted:`back``tick`'], unknown: ['quoted:"Weird ""Name"""', 'quoted:`back``tick`'] }],
    ['"u"."id" = "p"."uid"', { mysql: ['value:?', 'punct:.', 'value:?', 'op:=', 'value:?', 'punct:.', 'value:?'], unknown: ['quoted:"u"', 'punct:.', 'quoted:"id"', 'op:=', 'quoted:"p"', 'punct:.', 'quoted:"uid"'] }],
    ['SELECT "a" FROM "t"', { mysql: ['keyword:SELECT', 'value:?', 'keyword:FROM', 'value:?'], postgres: ['keyword:SELECT', 'quoted:"a"', 'keyword:FROM', 'quoted:"t"'], unknown: ['keyword:SELECT', 'quoted:"a"', 'keyword:FROM', 'quoted:"t"'] }],
  ])('%j by dialect', (sql, expected) => {
    for (const [dialect, tokens] of Object.entries(expected)) expect({ dialect, tokens: lex(sql, dialect as SqlDialect) }).toEqual({ dialect, tokens });
  });

  it('gives each token the characters it was read from, a folded sign included', () => {
    expect(scanSql("a = -5 AND b = 'x'", readingsOf('postgres')[0]).map((t) => [t.kind, t.start, t.end])).toEqual([
      ['ident', 0, 1],
      ['op', 2, 3],
      ['value', 4, 6],
      ['keyword', 7, 10],
      ['ident', 11, 12],
      ['op', 13, 14],
      ['value', 15, 18],
    ]);
  });

  it('reads an operator run of at most 63 characters, shedding trailing signs without a keeper', () => {
    const run = (sql: string) => scanSql(sql, readingsOf('postgres')[0]).map((t) => t.text);
    expect(run(`a ${'<'.repeat(70)} b`)).toEqual(['a', '<'.repeat(63), '<'.repeat(7), 'b']);
    expect(run('a +-+ b')).toEqual(['a', '+', '-', '+', 'b']);
    expect(run('a *-- b')).toEqual(['a', '*']);
    expect(run('a @- b')).toEqual(['a', '@-', 'b']);
  });

  it(`reads at most ${MAX_SQL_INPUT} characters`, () => {
    const sql = `SELECT a FROM t WHERE x = 1${' '.repeat(MAX_SQL_INPUT)}AND secret_column = 2`;
    expect(lex(sql, 'unknown')).toEqual(['keyword:SELECT', 'ident:a', 'keyword:FROM', 'ident:t', 'keyword:WHERE', 'ident:x', 'op:=', 'value:?']);
  });

  it('never throws and only emits `?` as value text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(...DIALECTS), (sql, dialect) => {
        for (const token of readSql(sql, dialect)) {
          if (token.kind === 'value') expect(token.text).toBe('?');
          expect(token.text.length).toBeGreaterThan(0);
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('reads adversarial input of the largest size in order, never past its end', () => {
    const inputs = ['['.repeat(MAX_SQL_INPUT), '"'.repeat(MAX_SQL_INPUT), "'".repeat(MAX_SQL_INPUT), '$a'.repeat(MAX_SQL_INPUT / 2), '/*'.repeat(MAX_SQL_INPUT / 2), '=-'.repeat(MAX_SQL_INPUT / 2), '[a'.repeat(MAX_SQL_INPUT / 2), '+'.repeat(MAX_SQL_INPUT), '--\r'.repeat(MAX_SQL_INPUT / 3), '#'.repeat(MAX_SQL_INPUT)];
    const problems: string[] = [];
    for (const sql of inputs) {
      for (const rules of readingsOf('unknown')) {
        let at = 0;
        for (const token of scanSql(sql, rules)) {
          if (token.start < at || token.end < token.start) problems.push(`${sql.slice(0, 4)}…: token out of order at ${token.start}`);
          at = token.end;
        }
        if (at > sql.length) problems.push(`${sql.slice(0, 4)}…: read past the end (${at})`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('valueLike', () => {
  it.each<[SqlToken | undefined, boolean]>([
    [undefined, false],
    [{ kind: 'ident', text: 'a' }, true],
    [{ kind: 'quoted', text: '"a"' }, true],
    [{ kind: 'value', text: '?' }, true],
    [{ kind: 'keyword', text: 'NULL' }, true],
    [{ kind: 'keyword', text: 'SELECT' }, false],
    [{ kind: 'punct', text: ')' }, true],
    [{ kind: 'punct', text: ']' }, true],
    [{ kind: 'punct', text: '(' }, false],
    [{ kind: 'op', text: '=' }, false],
  ])('%j → %s', (token, expected) => {
    expect(valueLike(token)).toBe(expected);
  });
});
