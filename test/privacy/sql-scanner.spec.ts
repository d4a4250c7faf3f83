import fc from 'fast-check';
import { MAX_SQL_INPUT, type SqlToken, scanSql, valueLike } from '../../lib/privacy/sql-scanner.js';

const SEED = 5_432;

/** `kind:text` per token, compact enough to read in a table. */
function lex(sql: string): string[] {
  return scanSql(sql).map((t) => `${t.kind}:${t.text}`);
}

describe('scanSql', () => {
  it.each<[string, string[]]>([
    ['SELECT a FROM t', ['keyword:SELECT', 'ident:a', 'keyword:FROM', 'ident:t']],
    ['select Name from Users', ['keyword:SELECT', 'ident:Name', 'keyword:FROM', 'ident:Users']],
    ["'it''s'", ['value:?']],
    ["'a\\'b' x", ['value:?', 'ident:x']],
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
    ['"Weird ""Name""" `back``tick`', ['quoted:"Weird ""Name"""', 'quoted:`back``tick`']],
    ['[dbo].[My Table]', ['quoted:[dbo]', 'punct:.', 'quoted:[My Table]']],
    ['ARRAY[1, 2]', ['keyword:ARRAY', 'punct:[', 'value:?', 'punct:,', 'value:?', 'punct:]']],
    ['[x + 1]', ['punct:[', 'ident:x', 'op:+', 'value:?', 'punct:]']],
    ['a -- comment 123\nb', ['ident:a', 'ident:b']],
    ['a /* c /* nested */ 42 */ b', ['ident:a', 'ident:b']],
    ['a /* never closed 42', ['ident:a']],
    ['a=/*x*/1', ['ident:a', 'op:=', 'value:?']],
    ['a--1', ['ident:a']],
    ["name = \"bob\"", ['ident:name', 'op:=', 'value:?']],
    ["name LIKE \"%bob%\"", ['ident:name', 'keyword:LIKE', 'value:?']],
    ['"u"."id" = "p"."uid"', ['quoted:"u"', 'punct:.', 'quoted:"id"', 'op:=', 'quoted:"p"', 'punct:.', 'quoted:"uid"']],
    ['"unterminated ident', ['value:?']],
    [`"${'x'.repeat(200)}"`, ['value:?']],
    ['\ufeff\u00a0SELECT\t1;', ['keyword:SELECT', 'value:?', 'punct:;']],
    ['', []],
  ])('%j', (sql, tokens) => {
    expect(lex(sql)).toEqual(tokens);
  });

  it(`reads at most ${MAX_SQL_INPUT} characters`, () => {
    const sql = `SELECT a FROM t WHERE x = 1${' '.repeat(MAX_SQL_INPUT)}AND secret_column = 2`;
    expect(lex(sql)).toEqual(['keyword:SELECT', 'ident:a', 'keyword:FROM', 'ident:t', 'keyword:WHERE', 'ident:x', 'op:=', 'value:?']);
  });

  it('never throws and only emits `?` as value text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (sql) => {
        for (const token of scanSql(sql)) {
          if (token.kind === 'value') expect(token.text).toBe('?');
          expect(token.text.length).toBeGreaterThan(0);
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('is linear on adversarial input', () => {
    const inputs = ['['.repeat(MAX_SQL_INPUT), '"'.repeat(MAX_SQL_INPUT), "'".repeat(MAX_SQL_INPUT), '$a'.repeat(MAX_SQL_INPUT / 2), '/*'.repeat(MAX_SQL_INPUT / 2), '=-'.repeat(MAX_SQL_INPUT / 2), '[a'.repeat(MAX_SQL_INPUT / 2)];
    const started = performance.now();
    for (const sql of inputs) scanSql(sql);
    expect(performance.now() - started).toBeLessThan(5_000);
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
