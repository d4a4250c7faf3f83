import { resolve } from 'node:path';
import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import {
  DEFAULT_SPOOL_MAX_BYTES,
  resolveSpoolOptions,
  segmentBytesFor,
} from '../../lib/spool/spool-options.resolver.js';

function problemsOf(raw: unknown): readonly string[] {
  try {
    resolveSpoolOptions(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(AnalyticsConfigError);
    return (error as AnalyticsConfigError).problems;
  }
  throw new Error('expected an AnalyticsConfigError');
}

describe('resolveSpoolOptions', () => {
  it('is off when absent, null or false', () => {
    expect(resolveSpoolOptions(undefined)).toBeUndefined();
    expect(resolveSpoolOptions(null)).toBeUndefined();
    expect(resolveSpoolOptions(false)).toBeUndefined();
  });

  it('fills the defaults and makes the directory absolute', () => {
    expect(resolveSpoolOptions({ dir: 'var/spool' })).toEqual({
      dir: resolve('var/spool'),
      maxBytes: DEFAULT_SPOOL_MAX_BYTES,
      fsync: 'interval',
      segmentBytes: 4 * 1024 * 1024,
    });
  });

  it('accepts maxBytes as a numeric string (from the environment) and each fsync policy', () => {
    const resolved = resolveSpoolOptions({ dir: '/tmp/s', maxBytes: ' 1048576 ', fsync: 'always' })!;
    expect(resolved.maxBytes).toBe(1_048_576);
    expect(resolved.segmentBytes).toBe(131_072);
    expect(resolveSpoolOptions({ dir: '/tmp/s', fsync: 'never' })!.fsync).toBe('never');
  });

  it('names every bad field, its value and what is expected', () => {
    const problems = problemsOf({ dir: '', maxBytes: 100, fsync: 'sometimes', maxbytes: 5 });
    expect(problems).toEqual([
      'spool.maxbytes: unknown option; did you mean maxBytes?',
      expect.stringMatching(/^spool\.dir: got "", expected the path of a directory/),
      expect.stringMatching(/^spool\.maxBytes: got number 100, expected an integer number of bytes >= 65536/),
      "spool.fsync: got \"sometimes\", expected one of 'always', 'interval', 'never'",
    ]);
    expect(problemsOf('/var/spool')).toEqual([expect.stringMatching(/^spool: got "\/var\/spool", expected \{ dir: string/)]);
    expect(problemsOf({ dir: 42 })[0]).toMatch(/^spool\.dir: got number 42/);
    expect(problemsOf({ dir: '/x', maxBytes: '1e9' })[0]).toMatch(/^spool\.maxBytes: got "1e9"/);
  });

  it('turns options whose reading throws into a config error', () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new TypeError('no keys for you'); } });
    expect(problemsOf(hostile)).toEqual(['spool: reading it threw (TypeError); expected a plain object']);
    const getter = { get dir(): string { throw new Error('boom'); } };
    expect(problemsOf(getter)).toEqual(['spool: reading it threw (Error); expected a plain object']);
  });

  it('keeps segments to an eighth of the budget, between 16 KiB and 4 MiB', () => {
    expect(segmentBytesFor(64 * 1024)).toBe(16 * 1024);
    expect(segmentBytesFor(8 * 1024 * 1024)).toBe(1024 * 1024);
    expect(segmentBytesFor(10 * 1024 ** 3)).toBe(4 * 1024 * 1024);
  });
});
