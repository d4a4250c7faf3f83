import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import { resolveHealthOptions, type AnalyticsHealthOptions } from '../../lib/health/health-options.js';

function problemsOf(options: unknown): readonly string[] {
  try {
    resolveHealthOptions(options as AnalyticsHealthOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(AnalyticsConfigError);
    return (error as AnalyticsConfigError).problems;
  }
  throw new Error('expected an AnalyticsConfigError');
}

describe('resolveHealthOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveHealthOptions()).toEqual({ failingForMs: 300_000, queueFullRatio: 0.9 });
    expect(resolveHealthOptions(null)).toEqual({ failingForMs: 300_000, queueFullRatio: 0.9 });
    expect(resolveHealthOptions({ queueFullRatio: 0.5 })).toEqual({ failingForMs: 300_000, queueFullRatio: 0.5 });
  });

  it('accepts numbers and numeric strings (values from process.env)', () => {
    expect(resolveHealthOptions({ failingForMs: '60000', queueFullRatio: '1' })).toEqual({ failingForMs: 60_000, queueFullRatio: 1 });
    expect(resolveHealthOptions({ failingForMs: 0, queueFullRatio: 0.01 })).toEqual({ failingForMs: 0, queueFullRatio: 0.01 });
  });

  it('names each bad option, its value and what is expected', () => {
    expect(problemsOf({ failingForMs: -1, queueFullRatio: 1.5 })).toEqual([
      'health.failingForMs: got number -1, expected a number of milliseconds >= 0',
      'health.queueFullRatio: got number 1.5, expected a number greater than 0 and at most 1 (e.g. 0.9)',
    ]);
    expect(problemsOf({ failingForMs: 'soon' })).toEqual(['health.failingForMs: got "soon", expected a number of milliseconds >= 0']);
    expect(problemsOf({ queueFullRatio: 0 })[0]).toMatch(/^health\.queueFullRatio: got number 0,/);
    expect(problemsOf({ failingForMs: Number.NaN })[0]).toMatch(/^health\.failingForMs: got number NaN,/);
    expect(problemsOf({ queueFullRatio: {} })[0]).toMatch(/^health\.queueFullRatio: got an object,/);
    expect(problemsOf('fast')).toEqual(['health options: expected an object { failingForMs?, queueFullRatio? }, got string']);
  });
});
