import { isAbsolute, resolve } from 'node:path';

/** Where a warehouse URL points, in the form each driver takes. */
export type WarehouseTarget =
  | { readonly dialect: 'sqlite'; /** An absolute path, or `:memory:`. */ readonly filename: string }
  | { readonly dialect: 'postgres'; readonly connectionString: string };

const SQLITE_PREFIX = 'sqlite:';
const POSTGRES_SCHEMES = ['postgres:', 'postgresql:'];
const MEMORY = ':memory:';

/**
 * Parses `sqlite:relative/or/absolute/path.sqlite` (also `sqlite:///abs/path`), `sqlite::memory:`,
 * `postgres://...` and `postgresql://...`. Errors never echo the URL: it may hold a password.
 */
export function parseWarehouseUrl(url: string, cwd: string = process.cwd()): WarehouseTarget {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new Error('Warehouse destination: `url` must be a non-empty string (sqlite:<path> or postgres://...)');
  }
  const trimmed = url.trim();
  const scheme = trimmed.slice(0, trimmed.indexOf(':') + 1).toLowerCase();
  if (scheme === SQLITE_PREFIX) return { dialect: 'sqlite', filename: sqliteFilename(trimmed, cwd) };
  if (POSTGRES_SCHEMES.includes(scheme)) {
    if (!URL.canParse(trimmed)) {
      throw new Error('Warehouse destination: the PostgreSQL url could not be parsed (expected postgres://user:password@host:port/database)');
    }
    return { dialect: 'postgres', connectionString: trimmed };
  }
  throw new Error(
    `Warehouse destination: unsupported url scheme '${scheme || '(none)'}' (expected sqlite:, postgres:// or postgresql://)`,
  );
}

function sqliteFilename(url: string, cwd: string): string {
  let path = url.slice(SQLITE_PREFIX.length);
  if (path === MEMORY) return MEMORY;
  // `sqlite://data/a.sqlite` and `sqlite:///abs/a.sqlite` are common spellings of the same idea.
  if (path.startsWith('//')) path = path.slice(2);
  if (path === '') throw new Error('Warehouse destination: the sqlite url names no file (e.g. sqlite:data/analytics.sqlite)');
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/**
 * A function that masks the URL's password (raw, percent-decoded, or given as `?password=`) in
 * any text, for driver error messages that might quote the connection settings.
 */
export function passwordRedactor(url: string): (text: string) => string {
  const secrets = new Set<string>();
  if (URL.canParse(url)) {
    const parsed = new URL(url);
    for (const raw of [parsed.password, parsed.searchParams.get('password') ?? '']) {
      if (raw === '') continue;
      secrets.add(raw);
      secrets.add(safeDecode(raw));
      secrets.add(encodeURIComponent(safeDecode(raw)));
    }
  }
  const ordered = [...secrets].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((out, secret) => out.split(secret).join('***'), text);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
