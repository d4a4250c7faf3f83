/**
 * What the SQL scanner emits. Literals and placeholders are one `value` token whose text is `?`,
 * so no literal text survives past the scanner.
 */
export type SqlTokenKind = 'keyword' | 'ident' | 'quoted' | 'value' | 'op' | 'punct';

export interface SqlToken {
  readonly kind: SqlTokenKind;
  /** Keywords upper-cased, identifiers and quoted identifiers as written, values `?`. */
  readonly text: string;
}

/** A token and the characters it was read from, `[start, end)`: readings are compared by position. */
export interface ScannedToken extends SqlToken {
  readonly start: number;
  readonly end: number;
}

/** Words upper-cased in fingerprints. Function names are not keywords: they keep their case. */
export const SQL_KEYWORDS: ReadonlySet<string> = new Set(
  ('SELECT FROM WHERE AND OR NOT IN IS NULL TRUE FALSE LIKE ILIKE SIMILAR BETWEEN EXISTS ANY SOME ALL ' +
    'DISTINCT AS ON USING JOIN INNER LEFT RIGHT FULL OUTER CROSS NATURAL LATERAL GROUP BY ORDER HAVING ' +
    'LIMIT OFFSET FETCH FIRST NEXT ROWS ROW ONLY UNION EXCEPT INTERSECT CASE WHEN THEN ELSE END ASC DESC ' +
    'NULLS INSERT INTO VALUES DEFAULT UPDATE SET DELETE RETURNING CONFLICT DO NOTHING DUPLICATE KEY WITH ' +
    'RECURSIVE MATERIALIZED CREATE ALTER DROP TRUNCATE TABLE INDEX VIEW SEQUENCE SCHEMA DATABASE IF ' +
    'PRIMARY FOREIGN REFERENCES CONSTRAINT UNIQUE CHECK ADD COLUMN RENAME TO CASCADE RESTRICT TEMP ' +
    'TEMPORARY UNLOGGED BEGIN COMMIT ROLLBACK SAVEPOINT RELEASE TRANSACTION START WORK SHOW PRAGMA CALL ' +
    'EXPLAIN ANALYZE VERBOSE MERGE MATCHED REPLACE IGNORE FOR SHARE NOWAIT SKIP LOCKED OVER PARTITION ' +
    'WINDOW FILTER WITHIN ESCAPE INTERVAL ARRAY COLLATE').split(' '),
);

/** Keywords that stand for a value, so a following `-` is binary and `:x` is not a placeholder. */
const VALUE_KEYWORDS: ReadonlySet<string> = new Set(['NULL', 'TRUE', 'FALSE', 'END']);

/** Whether a token ends an operand, so what follows is an operator rather than a new value. */
export function valueLike(token: SqlToken | undefined): boolean {
  if (token === undefined) return false;
  switch (token.kind) {
    case 'ident':
    case 'quoted':
    case 'value':
      return true;
    case 'keyword':
      return VALUE_KEYWORDS.has(token.text);
    default:
      return token.text === ')' || token.text === ']';
  }
}
