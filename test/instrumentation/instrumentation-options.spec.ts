import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import { createAnalytics } from '../../lib/create-analytics.js';
import { resolveDatabaseOptions } from '../../lib/instrumentation/database-options.js';
import { resolveInstrumentationOptions } from '../../lib/instrumentation/instrumentation.js';
import { resolveOutboundHttpOptions } from '../../lib/instrumentation/outbound-http-options.js';
import { serviceName } from '../../lib/instrumentation/service-names.js';
import { resolveSystemOptions } from '../../lib/instrumentation/system-options.js';
import { JitsuAnalyticsTestingModule } from '../../lib/testing/index.js';

const problemsOf = (fn: () => unknown): readonly string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AnalyticsConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an AnalyticsConfigError');
};

describe('system options', () => {
  it('default to on, every 60 s, and accept strings from the environment', () => {
    expect(resolveSystemOptions(undefined)).toEqual({ enabled: true, intervalMs: 60_000 });
    expect(resolveSystemOptions({ enabled: 'off', intervalMs: '1500' })).toEqual({ enabled: false, intervalMs: 1500 });
  });

  it('name the option, the value and what is expected', () => {
    expect(problemsOf(() => resolveSystemOptions({ enabled: 'sometimes', intervalMs: 5 }))).toEqual([
      `system.enabled: got "sometimes", expected a boolean (or 'true'/'false', '1'/'0')`,
      'system.intervalMs: got number 5, expected a number between 100 and 2147483647 (a number or a numeric string)',
    ]);
    expect(problemsOf(() => resolveSystemOptions(true))).toEqual(['system: got boolean true, expected an object']);
  });

  it('refuse an interval setInterval cannot keep, which it would run every 1 ms instead', () => {
    expect(resolveSystemOptions({ intervalMs: 2 ** 31 - 1 }).intervalMs).toBe(2 ** 31 - 1);
    expect(problemsOf(() => resolveSystemOptions({ intervalMs: 30 * 24 * 3600 * 1000 }))).toEqual([
      'system.intervalMs: got number 2592000000, expected a number between 100 and 2147483647 (a number or a numeric string)',
    ]);
    expect(() => createAnalytics({ destination: 'memory', system: { intervalMs: '2147483648' } }, { logger: false })).toThrow('system.intervalMs');
  });
});

describe('outboundHttp options', () => {
  it('default to off with no service names', () => {
    const resolved = resolveOutboundHttpOptions(undefined);
    expect(resolved.enabled).toBe(false);
    expect(serviceName(resolved.services, 'api.stripe.com')).toBe('api.stripe.com');
  });

  it('build the host map', () => {
    const resolved = resolveOutboundHttpOptions({ enabled: true, services: { 'api.stripe.com': 'stripe', '*.twilio.com': 'twilio' } });
    expect(serviceName(resolved.services, 'api.stripe.com')).toBe('stripe');
    expect(serviceName(resolved.services, 'video.twilio.com')).toBe('twilio');
  });

  it('reject bad service maps', () => {
    expect(problemsOf(() => resolveOutboundHttpOptions({ services: ['stripe'] }))[0]).toMatch(/^outboundHttp\.services: got an array, expected an object of host → service name/);
    expect(problemsOf(() => resolveOutboundHttpOptions({ services: { 'api.stripe.com': '' } }))).toEqual([
      'outboundHttp.services["api.stripe.com"]: got "", expected a non-empty service name',
    ]);
    expect(problemsOf(() => resolveOutboundHttpOptions({ services: { 'https://api.stripe.com/v1': 'stripe' } }))[0]).toMatch(/^outboundHttp\.services: got "https:\/\/api\.stripe\.com\/v1"/);
    expect(problemsOf(() => resolveOutboundHttpOptions({ services: { 'api.stripe.com/v1': 'stripe', '[zz::1]': 'x', '::1': 'y', '[fd00::1]:8080': 'mesh' } }))).toEqual([
      `outboundHttp.services: got "api.stripe.com/v1", expected host keys such as 'api.stripe.com', '*.stripe.com', 'localhost:4000' or '[fd00::1]:8080'`,
      `outboundHttp.services: got "[zz::1]", expected host keys such as 'api.stripe.com', '*.stripe.com', 'localhost:4000' or '[fd00::1]:8080'`,
      `outboundHttp.services: got "::1", expected host keys such as 'api.stripe.com', '*.stripe.com', 'localhost:4000' or '[fd00::1]:8080'`,
    ]);
  });
});

describe('database options', () => {
  it('default to every query, slow from 1 s, nothing ignored', () => {
    const resolved = resolveDatabaseOptions(undefined);
    expect(resolved).toMatchObject({ slowQueryMs: 1000, sampleRate: 1 });
    expect(resolved.ignore('SELECT 1')).toBe(false);
  });

  it('lets the override win field by field', () => {
    const resolved = resolveDatabaseOptions({ slowQueryMs: 200, sampleRate: 0.5, ignore: ['health'] }, { sampleRate: '0.1' });
    expect(resolved).toMatchObject({ slowQueryMs: 200, sampleRate: 0.1 });
    expect(resolved.ignore('select * from health')).toBe(true);
  });

  it('keep the base value for a field the override leaves undefined, and refuse an unknown override key', () => {
    const base = { slowQueryMs: 50, sampleRate: 0.2 };
    expect(resolveDatabaseOptions(base, { sampleRate: undefined, slowQueryMs: undefined })).toMatchObject(base);
    expect(problemsOf(() => resolveDatabaseOptions(base, { slowQueryMS: 10 }, 'instrumentDataSource'))).toEqual([
      'instrumentDataSource.slowQueryMS: unknown option; did you mean slowQueryMs?',
    ]);
  });

  it('match an ignore string literally, with any run of whitespace for its spaces and none needed around it', () => {
    const { ignore } = resolveDatabaseOptions({ ignore: ['  FROM "migrations" ', 'WHERE "token" = $1', 'SELECT 1+1'] });
    expect(ignore('SELECT * FROM\n\t  "migrations" ORDER BY id')).toBe(true);
    expect(ignore('SELECT * FROM "migrations"')).toBe(true);
    expect(ignore('DELETE FROM sessions WHERE "token" = $1')).toBe(true);
    expect(ignore('SELECT 1+1')).toBe(true);
    expect(ignore('SELECT * FROM migrations')).toBe(false);
    expect(ignore('DELETE FROM sessions WHERE "token" = $2')).toBe(false);
    expect(ignore('SELECT 11')).toBe(false);
  });

  it('match a global or sticky RegExp on every statement, not every other one', () => {
    const { ignore } = resolveDatabaseOptions({ ignore: [/^select 1$/gi, /health/y] });
    expect([1, 2, 3].map(() => ignore('SELECT 1'))).toEqual([true, true, true]);
    expect([1, 2, 3].map(() => ignore('health'))).toEqual([true, true, true]);
  });

  it('name the group they come from', () => {
    expect(problemsOf(() => resolveDatabaseOptions({}, { sampleRate: 1.5, ignore: [42] }, 'JitsuAnalyticsTypeOrmModule'))).toEqual([
      'JitsuAnalyticsTypeOrmModule.sampleRate: got number 1.5, expected a number between 0 and 1 (a number or a numeric string)',
      'JitsuAnalyticsTypeOrmModule.ignore[0]: got number 42, expected a non-empty string or a RegExp (got number 42)',
    ]);
  });
});

describe('instrumentation options at bootstrap', () => {
  it('lists the problems of every group at once', () => {
    expect(
      problemsOf(() => resolveInstrumentationOptions({ system: { intervalMs: 'x' }, outboundHttp: { enabled: 2 }, database: { slowQueryMs: -1 } } as never)),
    ).toEqual([
      'system.intervalMs: got "x", expected a number between 100 and 2147483647 (a number or a numeric string)',
      `outboundHttp.enabled: got number 2, expected a boolean (or 'true'/'false', '1'/'0')`,
      'database.slowQueryMs: got number -1, expected a number >= 0 (a number or a numeric string)',
    ]);
  });

  it('createAnalytics throws AnalyticsConfigError on a bad group', () => {
    expect(() => createAnalytics({ destination: 'memory', system: { intervalMs: 10 } }, { logger: false })).toThrow(AnalyticsConfigError);
  });

  it('a Nest app fails to bootstrap on a bad group, naming it', async () => {
    const compiling = Test.createTestingModule({ imports: [JitsuAnalyticsTestingModule.forRoot({ outboundHttp: { enabled: 'maybe' } })] }).compile();
    await expect(compiling).rejects.toThrow(`outboundHttp.enabled: got "maybe"`);
  });
});
