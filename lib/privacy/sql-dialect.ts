/**
 * Where a literal or a comment ends depends on the database: the same bytes can close a string in
 * PostgreSQL and leave it open in MySQL, so a fingerprint read with the wrong rules pairs every
 * later quote the wrong way and ships what the database reads as data. A dialect is therefore a
 * set of readings: one when the rules are known, several when they are not, and the fingerprint
 * keeps only what every reading agrees is not a literal (see sql-readings.ts).
 */
export type SqlDialect = 'mysql' | 'postgres' | 'sqlite' | 'mssql' | 'unknown';

export interface LexRules {
  /** Where a backslash escapes the next character: every string (MySQL), only `E'...'` (PostgreSQL), none. */
  readonly backslash: 'all' | 'e-strings' | 'none';
  /**
   * `"..."`: always a string (MySQL without ANSI_QUOTES), always a name (PostgreSQL), or guessed
   * from its position (SQLite reads an unknown name as a string; SQL Server can run with
   * QUOTED_IDENTIFIER OFF).
   */
  readonly doubleQuotes: 'string' | 'name' | 'guess';
  /** `#` opens a comment to the end of the line (MySQL) rather than being an operator. */
  readonly hashComments: boolean;
  /** `--` opens a comment only before whitespace or a control character (MySQL): `a--1` is `a - -1`. */
  readonly dashCommentNeedsSpace: boolean;
  /** A `--` comment also ends at a bare `\r` (PostgreSQL), not only at `\n`. */
  readonly dashCommentEndsAtCr: boolean;
  /** Block comments nest (PostgreSQL, SQL Server) rather than ending at the first closing star-slash. */
  readonly nestedComments: boolean;
}

const MYSQL: LexRules = {
  backslash: 'all',
  doubleQuotes: 'string',
  hashComments: true,
  dashCommentNeedsSpace: true,
  dashCommentEndsAtCr: false,
  nestedComments: false,
};
const POSTGRES: LexRules = {
  backslash: 'e-strings',
  doubleQuotes: 'name',
  hashComments: false,
  dashCommentNeedsSpace: false,
  dashCommentEndsAtCr: true,
  nestedComments: true,
};
const SQLITE: LexRules = {
  backslash: 'none',
  doubleQuotes: 'guess',
  hashComments: false,
  dashCommentNeedsSpace: false,
  dashCommentEndsAtCr: false,
  nestedComments: false,
};
/** SQL Server's documentation does not say whether a bare `\r` ends a `--` comment: both are read. */
const MSSQL_LF: LexRules = { ...SQLITE, nestedComments: true };
const MSSQL_CR: LexRules = { ...MSSQL_LF, dashCommentEndsAtCr: true };

/**
 * With the database unknown every dialect's reading counts, except that `"..."` is guessed in all
 * of them: read as a name in one and a string in another, every quoted name an ORM writes would
 * count as a disagreement and cost the rest of the statement.
 */
const READINGS: Readonly<Record<SqlDialect, readonly LexRules[]>> = {
  mysql: [MYSQL],
  postgres: [POSTGRES],
  sqlite: [SQLITE],
  mssql: [MSSQL_LF, MSSQL_CR],
  unknown: [{ ...MYSQL, doubleQuotes: 'guess' }, { ...POSTGRES, doubleQuotes: 'guess' }, SQLITE, MSSQL_LF, MSSQL_CR],
};

export function readingsOf(dialect: SqlDialect): readonly LexRules[] {
  return READINGS[dialect] ?? READINGS.unknown;
}
