/** The benchmarks' figures: nearest-rank percentiles of timings in milliseconds. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export function summary(xs: number[], digits = 2) {
  const s = [...xs].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: +percentile(s, 50).toFixed(digits),
    p95: +percentile(s, 95).toFixed(digits),
    max: +(s.at(-1) ?? 0).toFixed(digits),
  };
}

export async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
