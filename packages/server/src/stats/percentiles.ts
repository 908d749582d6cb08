/** The nearest-rank percentiles the overview reports; null when there is nothing to rank. */
export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Nearest rank: the smallest value with at least p% of the values at or below it. */
function rank(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: rank(sorted, 50), p95: rank(sorted, 95), p99: rank(sorted, 99) };
}
