import { COMMON_FIELDS, EVENT_CATALOG } from '../../lib/events/event-catalog.js';
import { DEFAULT_TABLES, resolveTableNames } from '../../lib/events/table-router.js';
import {
  addColumnSql,
  createTableSql,
  insertSql,
  quoteIdent,
  tableSchema,
} from '../../lib/transports/warehouse/warehouse-schema.js';

const ENVELOPE = ['message_id', 'timestamp', 'received_at', 'event', 'user_id', 'anonymous_id'];
const names = (table: string, tables = DEFAULT_TABLES) => tableSchema(table, tables).columns.map((c) => c.name);

describe('tableSchema', () => {
  it.each(EVENT_CATALOG.map((spec) => [spec.table, spec] as const))(
    '%s has the common columns, one typed column per catalog field, then the JSON columns',
    (table, spec) => {
      const schema = tableSchema(table);
      expect(schema.kind).toBe(spec.kind);
      const columns = names(table);
      expect(new Set(columns).size).toBe(columns.length);
      expect(columns.slice(0, ENVELOPE.length)).toEqual(ENVELOPE);
      expect(columns).toEqual(expect.arrayContaining([...Object.keys(COMMON_FIELDS), ...Object.keys(spec.fields)]));
      expect(columns.slice(-2)).toEqual(['properties', 'context']);
      for (const [field, type] of Object.entries(spec.fields)) {
        expect(schema.columns.find((c) => c.name === field)?.type).toBe(type);
      }
    },
  );

  it("fills user_id from authentication's own field, falling back to the top-level userId", () => {
    const userId = tableSchema('authentication_events').columns.find((c) => c.name === 'user_id');
    expect(userId).toEqual({ name: 'user_id', type: 'text', source: 'property', fallback: 'userId' });
    expect(tableSchema('api_events').columns.find((c) => c.name === 'user_id')?.source).toBe('userId');
  });

  it('gives a custom table only the common and JSON columns', () => {
    expect(names('signup_funnel')).toEqual([...ENVELOPE, ...Object.keys(COMMON_FIELDS), 'properties', 'context']);
    expect(tableSchema('signup_funnel').kind).toBeUndefined();
  });

  it('follows renamed tables: the new name gets the typed columns, the old one becomes custom', () => {
    const tables = resolveTableNames({ api: 'http_calls' });
    expect(names('http_calls', tables)).toContain('status_code');
    expect(names('api_events', tables)).not.toContain('status_code');
  });

  it('refuses names outside TABLE_NAME_PATTERN', () => {
    expect(() => tableSchema('x; DROP TABLE y')).toThrow(/Invalid warehouse table name/);
    expect(() => quoteIdent('a"b')).toThrow();
  });
});

describe('SQL builders', () => {
  const schema = tableSchema('signup_funnel');
  const type = (t: string) => t.toUpperCase();

  it('creates the table idempotently with message_id as primary key', () => {
    const sql = createTableSql(schema, type);
    expect(sql).toMatch(/^CREATE TABLE IF NOT EXISTS "signup_funnel" \("message_id" TEXT PRIMARY KEY, "timestamp" TIMESTAMP, /);
    expect(sql).toMatch(/"properties" JSON, "context" JSON\)$/);
  });

  it('numbers multi-row placeholders row-major and skips existing message ids', () => {
    const sql = insertSql(schema, 2, (n) => `$${n}`);
    const width = schema.columns.length;
    expect(sql).toContain(`VALUES ($1, $2,`);
    expect(sql).toContain(`$${width}), ($${width + 1},`);
    expect(sql).toMatch(new RegExp(`\\$${2 * width}\\) ON CONFLICT \\("message_id"\\) DO NOTHING$`));
  });

  it('adds a column, guarded where the dialect allows it', () => {
    const column = { name: 'handler', type: 'text' as const, source: 'property' as const };
    expect(addColumnSql('api_events', column, type, true)).toBe('ALTER TABLE "api_events" ADD COLUMN IF NOT EXISTS "handler" TEXT');
    expect(addColumnSql('api_events', column, type, false)).toBe('ALTER TABLE "api_events" ADD COLUMN "handler" TEXT');
  });
});
