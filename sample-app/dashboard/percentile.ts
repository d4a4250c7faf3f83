/**
 * Nearest-rank percentile (the value below which `p`% of the sample lies) of numbers already
 * sorted ascending; undefined for an empty sample. SQLite has no percentile function, so the
 * dashboard computes these from the rows it reads.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/** p50/p95/p99 of an unsorted sample (it is sorted in place), rounded to 0.1 ms. */
export function latencyPercentiles(values: number[]): Percentiles {
  values.sort((a, b) => a - b);
  const at = (p: number) => Math.round((percentile(values, p) ?? 0) * 10) / 10;
  return { p50: at(50), p95: at(95), p99: at(99) };
}
