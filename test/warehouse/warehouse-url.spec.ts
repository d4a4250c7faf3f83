import { parseWarehouseUrl, passwordRedactor } from '../../lib/transports/warehouse/warehouse-url.js';

describe('parseWarehouseUrl', () => {
  it('resolves a relative sqlite path against the working directory', () => {
    expect(parseWarehouseUrl('sqlite:data/analytics.sqlite', '/srv/app')).toEqual({
      dialect: 'sqlite',
      filename: '/srv/app/data/analytics.sqlite',
    });
  });

  it('keeps absolute sqlite paths, with one or three slashes', () => {
    expect(parseWarehouseUrl('sqlite:/var/lib/a.sqlite', '/srv')).toEqual({ dialect: 'sqlite', filename: '/var/lib/a.sqlite' });
    expect(parseWarehouseUrl('sqlite:///var/lib/a.sqlite', '/srv')).toEqual({ dialect: 'sqlite', filename: '/var/lib/a.sqlite' });
    expect(parseWarehouseUrl('sqlite://data/a.sqlite', '/srv')).toEqual({ dialect: 'sqlite', filename: '/srv/data/a.sqlite' });
  });

  it('recognises the in-memory database', () => {
    expect(parseWarehouseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', filename: ':memory:' });
  });

  it('accepts both PostgreSQL schemes and passes the url to the driver as is', () => {
    const url = 'postgres://app:pw@db.internal:5432/analytics?sslmode=require';
    expect(parseWarehouseUrl(url)).toEqual({ dialect: 'postgres', connectionString: url });
    expect(parseWarehouseUrl('POSTGRESQL://db/x')).toEqual({ dialect: 'postgres', connectionString: 'POSTGRESQL://db/x' });
  });

  it.each([
    ['', /non-empty/],
    ['mysql://root:hunter2@db/x', /unsupported url scheme 'mysql:'/],
    ['data/analytics.sqlite', /unsupported url scheme/],
    ['sqlite:', /names no file/],
    ['postgres://user:hunter2@[bad/x', /could not be parsed/],
  ])('rejects %j with a clear message that never echoes the url', (url, message) => {
    let thrown: unknown;
    try {
      parseWarehouseUrl(url);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('hunter2');
  });
});

describe('passwordRedactor', () => {
  it('masks the raw, percent-decoded and query-string forms of the password', () => {
    const redact = passwordRedactor('postgres://app:p%40ss%2Fw0rd@db:5432/x?password=other-secret');
    expect(redact('login p%40ss%2Fw0rd / p@ss/w0rd / other-secret failed')).toBe('login *** / *** / *** failed');
  });

  // Masked in turn: were the shorter one masked first, the rest of the longer one would be left showing.
  it('masks a password that contains the other one whole', () => {
    const redact = passwordRedactor('postgres://app:tiger@db:5432/x?password=tiger-lily-7');
    expect(redact('tried tiger, then tiger-lily-7')).toBe('tried ***, then ***');
  });

  it('leaves text alone when the url has no password', () => {
    expect(passwordRedactor('postgres://app@db/x')('connect ECONNREFUSED 127.0.0.1:5432')).toBe(
      'connect ECONNREFUSED 127.0.0.1:5432',
    );
    expect(passwordRedactor('sqlite:data/a.sqlite')('SQLITE_BUSY: database is locked')).toBe('SQLITE_BUSY: database is locked');
  });
});
