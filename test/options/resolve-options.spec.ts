import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import { resolveOptions } from '../../lib/analytics-options.resolver.js';
import { createAnalytics } from '../../lib/create-analytics.js';
import { MemoryTransport } from '../../lib/transports/memory.transport.js';

const jitsu = { jitsuUrl: 'http://localhost:8080', writeKey: 'key-id:super-secret-value' };

function problemsOf(options: Parameters<typeof resolveOptions>[0]): string {
  try {
    resolveOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(AnalyticsConfigError);
    return (error as Error).message;
  }
  throw new Error('expected resolveOptions to throw');
}

describe('resolveOptions', () => {
  it('fills every default', () => {
    const o = resolveOptions(jitsu);
    expect(o).toMatchObject({
      enabled: true,
      debug: false,
      protocol: 'next',
      destination: { type: 'jitsu' },
      batchSize: 10,
      batchTimeout: 5000,
      maxQueueSize: 100_000,
      maxQueueBytes: 64 * 1024 * 1024,
      overflow: 'dropNewest',
      maxBatchBytes: 1024 * 1024,
      maxBatchEvents: 500,
      maxInFlight: 2,
      retry: { maxAttempts: 10, initialDelayMs: 500, maxDelayMs: 30_000, maxElapsedMs: 300_000 },
      requestTimeout: 10_000,
      shutdownTimeout: 5000,
      ipPolicy: 'stripLastOctet',
    });
    expect(o.tables.api).toBe('api_events');
    expect(o.tables.custom).toBe('custom_events');
  });

  it('accepts numeric and boolean strings, as they come from process.env', () => {
    const o = resolveOptions({ ...jitsu, batchSize: '25', batchTimeout: ' 100 ', enabled: 'true', debug: '0', retry: { maxAttempts: '3' } });
    expect(o).toMatchObject({ batchSize: 25, batchTimeout: 100, enabled: true, debug: false, retry: { maxAttempts: 3 } });
  });

  it('reads gzipMinBytes as bytes or Infinity, and leaves it to the transport when unset', () => {
    expect(resolveOptions({ ...jitsu, gzipMinBytes: 2048 }).gzipMinBytes).toBe(2048);
    expect(resolveOptions({ ...jitsu, gzipMinBytes: ' 0 ' }).gzipMinBytes).toBe(0);
    expect(resolveOptions({ ...jitsu, gzipMinBytes: Infinity }).gzipMinBytes).toBe(Infinity);
    expect(resolveOptions({ ...jitsu, gzipMinBytes: ' Infinity ' }).gzipMinBytes).toBe(Infinity);
    // An unset environment variable is "not set", not 0 (which would gzip every body).
    expect(resolveOptions({ ...jitsu, gzipMinBytes: '' }).gzipMinBytes).toBeUndefined();
    expect(resolveOptions({ ...jitsu, gzipMinBytes: undefined }).gzipMinBytes).toBeUndefined();
    expect(problemsOf({ ...jitsu, gzipMinBytes: -1 })).toContain('gzipMinBytes: got number -1, expected an integer number of bytes >= 0');
    expect(problemsOf({ ...jitsu, gzipMinBytes: 'never' })).toContain('gzipMinBytes: got "never"');
  });

  it('reads proxy as an http(s) URL, unset when empty (HTTPS_PROXY unset), and never quotes its password back', () => {
    expect(resolveOptions({ ...jitsu, proxy: 'http://relay:pw@proxy.internal:3128/' }).proxy).toBe('http://relay:pw@proxy.internal:3128');
    expect(resolveOptions({ ...jitsu, proxy: '' }).proxy).toBeUndefined();
    expect(resolveOptions(jitsu).proxy).toBeUndefined();
    const problems = problemsOf({ ...jitsu, proxy: 'socks5://relay:hunter2hunter2@proxy.internal:1080' });
    expect(problems).toContain('proxy: got');
    expect(problems).toContain("expected an http(s) URL such as 'http://localhost:8080'");
    expect(problems).not.toContain('hunter2hunter2');
  });

  it('defaults to the console destination without a jitsuUrl', () => {
    expect(resolveOptions({}).destination).toEqual({ type: 'console' });
  });

  it('takes a custom transport object and a warehouse URL', () => {
    const transport = new MemoryTransport();
    expect(resolveOptions({ destination: transport }).destination).toBe(transport);
    expect(resolveOptions({ destination: { type: 'warehouse', url: 'sqlite:data/a.sqlite' } }).destination).toEqual({ type: 'warehouse', url: 'sqlite:data/a.sqlite' });
  });

  it('names each bad option, its value and what is expected, all at once', () => {
    const message = problemsOf({ ...jitsu, batchSize: 'ten', batchTimeout: -5, protocol: 'v2' as 'next', overflow: 'random' as 'dropNewest', enabled: 'maybe' });
    expect(message).toContain(`batchSize: got "ten", expected an integer >= 1`);
    expect(message).toContain('batchTimeout: got number -5, expected an integer between 1 and 2147483647');
    expect(message).toContain(`protocol: got "v2", expected one of 'next', 'classic'`);
    expect(message).toContain(`overflow: got "random", expected one of 'dropNewest', 'dropOldest'`);
    expect(message).toContain(`enabled: got "maybe", expected a boolean`);
  });

  it('rejects misspelt options in every group, naming the one meant', () => {
    const message = problemsOf({
      ...jitsu,
      batchSise: 5,
      retry: { maxAttempt: 3 },
      redact: { key: ['pin'] },
      tables: { payments: 'x' },
      somethingElse: 1,
    } as never);
    for (const line of [
      'batchSise: unknown option; did you mean batchSize?',
      'retry.maxAttempt: unknown option; did you mean maxAttempts?',
      'redact.key: unknown option; did you mean keys?',
      'tables.payments: unknown option; did you mean payment?',
      'somethingElse: unknown option; expected an option listed in the README (Options)',
    ]) {
      expect(message).toContain(line);
    }
    // The feature groups are read by the features, when the instance is built.
    const groups: Array<[object, string]> = [
      [{ system: { interval: 5000 } }, 'system.interval: unknown option; did you mean intervalMs?'],
      [{ outboundHttp: { enable: true } }, 'outboundHttp.enable: unknown option; did you mean enabled?'],
      [{ database: { slowQuery: 10 } }, 'database.slowQuery: unknown option; did you mean slowQueryMs?'],
    ];
    for (const [options, line] of groups) {
      expect(() => createAnalytics({ ...options, destination: new MemoryTransport() }, { logger: false })).toThrow(line);
    }
  });

  it('refuses redact.keys that would redact nothing: a string, a Set, an entry that is neither a name nor a RegExp', () => {
    expect(problemsOf({ ...jitsu, redact: { keys: 'internal_note' as never } })).toContain('redact.keys: got "internal_note", expected an array of key names and RegExps');
    expect(problemsOf({ ...jitsu, redact: { keys: new Set(['x']) as never } })).toContain('redact.keys: got an object');
    expect(problemsOf({ ...jitsu, redact: { keys: ['ok', 42, ''] as never } })).toContain('redact.keys[1]: got number 42');
    expect(resolveOptions({ ...jitsu, redact: { keys: ['note', /^x-/i] } }).redactKeys).toEqual(['note', /^x-/i]);
  });

  it('names bad options of every feature group in the same message', () => {
    const message = problemsOf({ ...jitsu, batchSize: 0, api: { sampleRate: 2 }, system: { intervalMs: 1 }, spool: { dir: '' } });
    for (const option of ['batchSize', 'api.sampleRate', 'system.intervalMs', 'spool.dir']) expect(message).toContain(`${option}: got`);
  });

  it('refuses delays a Node timer cannot hold', () => {
    expect(problemsOf({ batchTimeout: 2 ** 31 })).toContain('batchTimeout: got number 2147483648, expected an integer between 1 and 2147483647');
    expect(resolveOptions({ shutdownTimeout: 2 ** 31 - 1 }).shutdownTimeout).toBe(2 ** 31 - 1);
    expect(problemsOf({ retry: { initialDelayMs: 2 ** 31 } })).toContain('retry.initialDelayMs: got number 2147483648, expected an integer between 0 and 2147483647');
    expect(problemsOf({ shutdownTimeout: 2 ** 31 })).toContain('shutdownTimeout: got number 2147483648, expected an integer between 0 and 2147483647');
    expect(problemsOf({ retry: { maxDelayMs: 2 ** 31 } })).toContain('retry.maxDelayMs: got number 2147483648, expected an integer between 0 and 2147483647');
  });

  it('refuses queue and concurrency bounds that could never work, and accepts the smallest that can', () => {
    // The queue must hold at least one event of the largest size Jitsu takes; nothing is sent with no request in flight.
    expect(problemsOf({ maxQueueBytes: 999_999 })).toContain('maxQueueBytes: got number 999999, expected an integer >= 1000000');
    expect(resolveOptions({ maxQueueBytes: 1_000_000 }).maxQueueBytes).toBe(1_000_000);
    expect(problemsOf({ maxInFlight: 0 })).toContain('maxInFlight: got number 0, expected an integer >= 1');
    expect(resolveOptions({ maxInFlight: 1 }).maxInFlight).toBe(1);
  });

  it('leaves the environment unset when NODE_ENV is set but empty', () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = '';
    try {
      expect(resolveOptions({}).environment).toBeUndefined();
      process.env.NODE_ENV = 'staging';
      expect(resolveOptions({}).environment).toBe('staging');
    } finally {
      if (saved === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = saved;
    }
  });

  it('rejects a bad jitsuUrl, a missing one for the jitsu destination, and bad table names', () => {
    expect(problemsOf({ ...jitsu, jitsuUrl: 'localhost:8080' })).toContain(`jitsuUrl: got "localhost:8080", expected an http(s) URL`);
    expect(problemsOf({ destination: 'jitsu', writeKey: 'a:b' })).toContain('jitsuUrl: required');
    expect(problemsOf({ tables: { api: 'api events; drop' } })).toContain('tables.api: got "api events; drop"');
    expect(problemsOf({ destination: 'kafka' as 'jitsu' })).toContain(`destination: got "kafka"`);
    expect(problemsOf({ destination: { type: 'warehouse', url: 'mysql://x' } })).toContain(`destination.url: expected 'sqlite:<file path>'`);
  });

  it("refuses a jitsuUrl that already ends with Jitsu's endpoint path (the library adds it)", () => {
    for (const url of ['http://localhost:8080/api/s/s2s/batch', 'https://jitsu.example.com/api/v1/s2s/event/']) {
      const message = problemsOf({ ...jitsu, jitsuUrl: url });
      expect(message).toContain("jitsuUrl: ends with Jitsu's endpoint path");
      expect(message).not.toContain('jitsuUrl: required');
    }
    expect(resolveOptions({ ...jitsu, jitsuUrl: 'https://example.com/jitsu/' }).jitsuUrl).toBe('https://example.com/jitsu');
  });

  it('names a key a destination object does not have, such as a misspelt url', () => {
    const warehouse = { type: 'warehouse', uri: 'sqlite:data/a.sqlite' } as unknown as { type: 'warehouse'; url: string };
    expect(problemsOf({ destination: warehouse })).toContain('destination.uri: unknown option; did you mean url?');
    expect(problemsOf({ destination: { type: 'memory', extra: 1 } as { type: 'memory' } })).toContain('destination.extra: unknown option; expected one of type');
    expect(resolveOptions({ destination: { type: 'memory' } }).destination).toEqual({ type: 'memory' });
  });

  it('never quotes a jitsuUrl that may be a key given to the wrong option, such as JITSU_URL and JITSU_WRITE_KEY swapped', () => {
    const key = 'js-key-id:Sup3rSecretValue';
    const message = problemsOf({ jitsuUrl: key, writeKey: 'http://localhost:8080' });
    expect(message).toContain('jitsuUrl: got a value of 26 characters that is not a URL');
    expect(message).not.toContain('Sup3r');
    expect(problemsOf({ jitsuUrl: 's2s.classic-server-token', writeKey: 'a:b' })).not.toContain('classic-server-token');
  });

  it('reports a refused jitsuUrl once, not also as missing', () => {
    expect(problemsOf({ ...jitsu, destination: 'jitsu', jitsuUrl: 'localhost:8080' }).match(/jitsuUrl:/g)).toHaveLength(1);
  });

  it('names the options themselves when they are not an object', () => {
    expect(problemsOf([] as never)).toContain('options: expected an object, got an array');
    expect(problemsOf('batchSize=10' as never)).toContain('options: expected an object, got string');
  });

  it('explains a malformed write key without ever printing it', () => {
    const secret = 'just-the-secret-without-key-id';
    const message = problemsOf({ jitsuUrl: 'http://localhost:8080', writeKey: secret });
    expect(message).toContain(`writeKey: expected a server-to-server key of the form 'keyId:secret'`);
    expect(message).not.toContain(secret);
    expect(problemsOf({ jitsuUrl: 'http://localhost:8080' })).toContain('writeKey: required when sending to Jitsu');
  });

  it('refuses a write key an HTTP header cannot carry, such as one copied with an invisible character', () => {
    for (const writeKey of ['key-id:s3cret\u200b', 'key-id:s€cret', 'key-id: s3cret']) {
      const message = problemsOf({ jitsuUrl: 'http://localhost:8080', writeKey });
      expect(message).toContain('writeKey: got a value of');
      expect(message).toContain('expected printable ASCII only');
      expect(message).not.toContain('s3cret');
    }
    expect(problemsOf({ jitsuUrl: 'http://localhost:8080', writeKey: 'token\u00a0value', protocol: 'classic' })).toContain('expected printable ASCII only');
  });

  it('does not require a write key when analytics is disabled', () => {
    expect(resolveOptions({ enabled: false, jitsuUrl: 'http://localhost:8080' }).enabled).toBe(false);
  });

  it('rejects a beforeSend that is not a function', () => {
    expect(problemsOf({ beforeSend: 'nope' as never })).toContain('beforeSend: got "nope", expected a function');
  });
});
