import { cpuPercent, loopDelay, sumGauges } from '../../lib/instrumentation/process-metrics.js';

const histogram = (count: number, p50Ns: number, p99Ns: number, maxNs: number) => ({
  count,
  max: maxNs,
  percentile: (p: number) => (p === 50 ? p50Ns : p === 99 ? p99Ns : Number.NaN),
});

describe('process metrics', () => {
  it('cpuPercent is CPU time over wall time, in percent of one core', () => {
    expect(cpuPercent({ user: 150_000, system: 50_000 }, 400)).toBe(50);
    expect(cpuPercent({ user: 1_600_000, system: 0 }, 1000)).toBe(160);
    expect(cpuPercent({ user: 10, system: 0 }, 0)).toBe(0);
    expect(cpuPercent({ user: 10, system: 0 }, Number.NaN)).toBe(0);
  });

  it('loopDelay reports the delay beyond the histogram timer period, never below zero', () => {
    expect(loopDelay(histogram(20, 10.2e6, 213e6, 215e6), 10)).toEqual({
      p50Ms: expect.closeTo(0.2, 6),
      p99Ms: expect.closeTo(203, 6),
      maxMs: expect.closeTo(205, 6),
    });
    expect(loopDelay(histogram(5, 9.9e6, 9.95e6, 9.99e6), 10)).toEqual({ p50Ms: 0, p99Ms: 0, maxMs: 0 });
  });

  it('loopDelay of a histogram without samples is zero, not its sentinel values', () => {
    expect(loopDelay(histogram(0, 0, 0, 0), 10)).toEqual({ p50Ms: 0, p99Ms: 0, maxMs: 0 });
  });

  it('sumGauges adds readings key by key and skips missing readings and non-finite values', () => {
    expect(
      sumGauges([{ db_pool_total: 3, db_pool_idle: 1 }, undefined, { db_pool_total: 2, db_pool_waiting: 4, bad: Number.NaN }]),
    ).toEqual({ db_pool_total: 5, db_pool_idle: 1, db_pool_waiting: 4 });
  });
});
