import { readSql } from './sql-readings.js';
import type { SqlToken } from './sql-tokens.js';

/**
 * `query_type` and `query_table` of a statement. queryType is one of SELECT, INSERT (also
 * `REPLACE`, `UPSERT` and `INSERT ... ON CONFLICT`), UPDATE, DELETE, MERGE, CREATE, ALTER, DROP,
 * TRUNCATE, BEGIN (also `START TRANSACTION`), COMMIT (also `END`), ROLLBACK (also `ABORT`),
 * SAVEPOINT, RELEASE, SET, SHOW, PRAGMA, CALL, EXPLAIN or OTHER. A `WITH` statement is classified
 * by its main statement, EXPLAIN by its own name with the explained statement's table.
 * table is the first table named after FROM/JOIN (SELECT, DELETE), INTO (INSERT, MERGE), UPDATE,
 * TABLE (DDL, TRUNCATE) or ON (CREATE INDEX) at the statement's own nesting level, without quotes,
 * schema kept (`"public"."Users"` → `public.Users`). Never throws.
 */
export interface SqlClassification {
  queryType: string;
  table?: string;
}

const ALIASES: Readonly<Record<string, string>> = {
  SELECT: 'SELECT', INSERT: 'INSERT', REPLACE: 'INSERT', UPSERT: 'INSERT', UPDATE: 'UPDATE',
  DELETE: 'DELETE', MERGE: 'MERGE', CREATE: 'CREATE', ALTER: 'ALTER', DROP: 'DROP',
  TRUNCATE: 'TRUNCATE', BEGIN: 'BEGIN', START: 'BEGIN', COMMIT: 'COMMIT', END: 'COMMIT',
  ROLLBACK: 'ROLLBACK', ABORT: 'ROLLBACK', SAVEPOINT: 'SAVEPOINT', RELEASE: 'RELEASE', SET: 'SET',
  SHOW: 'SHOW', PRAGMA: 'PRAGMA', CALL: 'CALL', EXPLAIN: 'EXPLAIN', WITH: 'WITH',
};
const MAIN_STATEMENTS = new Set(['SELECT', 'INSERT', 'REPLACE', 'UPSERT', 'UPDATE', 'DELETE', 'MERGE']);
/** Modifiers that may sit between an anchor keyword and the table name. */
const NAME_MODIFIERS = new Set([
  'ONLY', 'IF', 'NOT', 'EXISTS', 'IGNORE', 'LOW_PRIORITY', 'HIGH_PRIORITY', 'DELAYED', 'QUICK', 'TABLE',
]);
/** Words between EXPLAIN and the explained statement; a repeated EXPLAIN is skipped too, not recursed into. */
const EXPLAIN_OPTIONS = new Set(['EXPLAIN', 'ANALYZE', 'ANALYSE', 'VERBOSE', 'QUERY', 'PLAN', 'FORMAT', 'JSON', 'TEXT']);
const FROM_JOIN = new Set(['FROM', 'JOIN']);
const INTO = new Set(['INTO']);
const TABLE = new Set(['TABLE']);
const ON = new Set(['ON']);
const OTHER: SqlClassification = Object.freeze({ queryType: 'OTHER' });

/** Read safely under every dialect; describeSql classifies under a known one. */
export function classifySql(sql: string): SqlClassification {
  return typeof sql === 'string' ? classifyTokens(readSql(sql, 'unknown')) : { ...OTHER };
}

/** classifySql on tokens already scanned (the fingerprint's), to read a statement once. */
export function classifyTokens(tokens: readonly SqlToken[]): SqlClassification {
  let start = 0;
  while (isPunct(tokens[start], '(')) start++;
  return classifyAt(tokens, start);
}

function classifyAt(tokens: readonly SqlToken[], at: number): SqlClassification {
  const head = upperWord(tokens[at]);
  const queryType = ALIASES[head];
  if (queryType === undefined) return { ...OTHER };
  const next = at + 1;
  switch (head) {
    case 'SELECT':
      return result(queryType, tableAfter(tokens, next, FROM_JOIN));
    case 'INSERT':
    case 'REPLACE':
    case 'UPSERT':
      return result(queryType, tableAfter(tokens, next, INTO) ?? tableName(tokens, next));
    case 'MERGE':
      return result(queryType, tableAfter(tokens, next, INTO));
    case 'UPDATE':
      return result(queryType, tableName(tokens, next));
    case 'DELETE':
      return result(queryType, tableAfter(tokens, next, FROM_JOIN) ?? tableName(tokens, next));
    case 'CREATE':
    case 'ALTER':
    case 'DROP':
      return result(queryType, tableAfter(tokens, next, TABLE) ?? (head === 'CREATE' ? tableAfter(tokens, next, ON) : undefined));
    case 'TRUNCATE':
      return result(queryType, tableName(tokens, next));
    case 'START':
      return upperWord(tokens[next]) === 'TRANSACTION' ? { queryType } : { ...OTHER };
    case 'EXPLAIN':
      return result(queryType, classifyAt(tokens, skipExplainOptions(tokens, next)).table);
    case 'WITH':
      return mainOfWith(tokens, next);
    default:
      return { queryType };
  }
}

function result(queryType: string, table: string | undefined): SqlClassification {
  return table === undefined ? { queryType } : { queryType, table };
}

/** The first statement keyword outside the CTE bodies' parentheses is the main statement. */
function mainOfWith(tokens: readonly SqlToken[], from: number): SqlClassification {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')')) depth--;
    else if (depth === 0 && MAIN_STATEMENTS.has(upperWord(tokens[i]))) return classifyAt(tokens, i);
  }
  return { ...OTHER };
}

function skipExplainOptions(tokens: readonly SqlToken[], from: number): number {
  let i = from;
  for (;;) {
    if (isPunct(tokens[i], '(')) {
      while (i < tokens.length && !isPunct(tokens[i], ')')) i++;
      i++;
    } else if (EXPLAIN_OPTIONS.has(upperWord(tokens[i]))) {
      i++;
    } else {
      return i;
    }
  }
}

/** The first anchor at the statement's own level (not in a subquery) that is followed by a name. */
function tableAfter(tokens: readonly SqlToken[], from: number, anchors: ReadonlySet<string>): string | undefined {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i];
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) {
      if (--depth < 0) return undefined;
    } else if (isPunct(t, ';')) return undefined;
    else if (depth === 0 && anchors.has(upperWord(t))) {
      const name = qualifiedName(tokens, i + 1);
      // `FROM generate_series(...)` reads a function, not a table; `INTO t (a, b)` lists columns.
      if (name !== undefined && !(anchors === FROM_JOIN && isPunct(tokens[name.end], '('))) return name.text;
    }
  }
  return undefined;
}

function tableName(tokens: readonly SqlToken[], from: number): string | undefined {
  return qualifiedName(tokens, from)?.text;
}

/** `schema.table`, quoted parts unquoted, after any modifiers; undefined for a subquery or value. */
function qualifiedName(tokens: readonly SqlToken[], from: number): { text: string; end: number } | undefined {
  let i = from;
  while (NAME_MODIFIERS.has(upperWord(tokens[i]))) i++;
  const parts: string[] = [];
  for (;;) {
    const part = nameText(tokens[i]);
    if (part === undefined) return undefined;
    parts.push(part);
    if (!isPunct(tokens[i + 1], '.')) return { text: parts.join('.'), end: i + 1 };
    i += 2;
  }
}

function nameText(token: SqlToken | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (token.kind === 'ident') return token.text;
  if (token.kind !== 'quoted') return undefined;
  const open = token.text[0];
  const close = open === '[' ? ']' : open;
  return token.text.slice(1, -1).split(close + close).join(close);
}

function upperWord(token: SqlToken | undefined): string {
  if (token === undefined) return '';
  if (token.kind === 'keyword') return token.text;
  return token.kind === 'ident' ? token.text.toUpperCase() : '';
}

function isPunct(token: SqlToken | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'punct' && token.text === text;
}
