import fc from 'fast-check';
import { type SqlDialect, readingsOf } from '../../lib/privacy/sql-dialect.js';
import { readSql } from '../../lib/privacy/sql-readings.js';
import { scanSql } from '../../lib/privacy/sql-scanner.js';
import type { ScannedToken } from '../../lib/privacy/sql-tokens.js';

const SEED = 8_128;
const key = (t: ScannedToken) => `${t.start}:${t.end}:${t.kind}:${t.text}`;
const texts = (tokens: readonly ScannedToken[]) => tokens.map((t) => t.text);

describe('readSql', () => {
  it('is the single reading of a dialect that has one', () => {
    const sql = `SELECT a # b\nFROM t WHERE c = 'd\\'' -- e\r f`;
    for (const dialect of ['mysql', 'postgres', 'sqlite'] as const) expect(readSql(sql, dialect)).toEqual(scanSql(sql, readingsOf(dialect)[0]));
  });

  it('keeps what every reading agrees on, puts one ? for each disputed stretch, and resumes where they agree again', () => {
    // Nested or not, `#` a comment or an operator: both disputes end before `, b` and before `WHERE`.
    const sql = 'SELECT a /* x /* y */ 1 */, b FROM t # c\nWHERE d = 1';
    expect(texts(readSql(sql, 'unknown'))).toEqual(['SELECT', 'a', '?', ',', 'b', 'FROM', 't', '?', 'WHERE', 'd', '=', '?']);
  });

  it('keeps nothing after a stretch that one reading takes to the end of the input', () => {
    // MySQL: one string up to the last quote; elsewhere `'C:\'` ends and `secret` is a name.
    expect(texts(readSql("SELECT 'C:\\' AND secret = 'x'", 'unknown'))).toEqual(['SELECT', '?']);
    expect(texts(readSql('SELECT a # secret', 'unknown'))).toEqual(['SELECT', 'a', '?']);
  });

  it('keeps only tokens that every reading of the dialect has, in place, kind and text (property)', () => {
    const piece = fc.constantFrom('SELECT', 'a', 'b', '=', ',', "'", '"', '\\', '#', '--', '-', '\r', '\n', '/*', '*/', 'E', "E'", '$$', '1', ' ', '(', ')');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.constantFrom<SqlDialect>('unknown', 'mssql'), (pieces, dialect) => {
        const sql = pieces.join('');
        const readings = readingsOf(dialect).map((rules) => new Set(scanSql(sql, rules).map(key)));
        for (const token of readSql(sql, dialect)) {
          if (token.start === token.end) continue; // a disputed stretch's `?`
          for (const reading of readings) expect(reading.has(key(token))).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
