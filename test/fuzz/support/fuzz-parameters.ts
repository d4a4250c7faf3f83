import type { Parameters } from 'fast-check';

/**
 * The acceptance bar: at least 1,000 cases per property. The seed is fixed so CI runs are
 * reproducible; set FUZZ_SEED to explore other cases locally (a failure prints its seed and path).
 */
export const FUZZ_RUNS = 1000;

export function fuzzParameters<T>(extra: Parameters<T> = {}): Parameters<T> {
  const seed = process.env.FUZZ_SEED === undefined ? 20_260_901 : Number(process.env.FUZZ_SEED);
  return { numRuns: FUZZ_RUNS, seed, ...extra };
}
