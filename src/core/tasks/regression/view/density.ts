/** Where the data sits behind a curve: values of the deterministic sample binned over [lo, hi]. Pure. */
import type { Density } from './histogram';

/**
 * `values` binned into `bins` equal bins over [lo, hi]; shares of all values (those outside the
 * range are in no bar, so the shares add up to ≤ 1). `usedRows`: the report's used rows, to say
 * whether the values are every row (the sample holds them all) or a sample.
 */
export function binDensity(values: readonly number[], lo: number, hi: number, usedRows: number, bins = 40): Density & { outside: number } {
  const nb = Math.max(1, Math.min(400, Math.floor(bins)));
  const width = (hi - lo) / nb;
  const counts = new Array<number>(nb).fill(0);
  let outside = 0;
  for (const v of values) {
    if (!(v >= lo && v <= hi) || !(width > 0)) {
      outside++;
      continue;
    }
    counts[Math.min(nb - 1, Math.floor((v - lo) / width))]++;
  }
  const bars = counts.map((count, i) => {
    const x0 = lo + i * width;
    return { x0, x1: x0 + width, x: x0 + width / 2, count };
  });
  return {
    bars,
    shares: counts.map((c) => (values.length > 0 ? c / values.length : 0)),
    rows: values.length,
    source: values.length >= usedRows ? 'all' : 'sample',
    outside,
  };
}

/** The q-quantile of finite values (interpolated), or NaN when there is none. */
export function quantileOf(values: readonly number[], q: number): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const pos = q * (v.length - 1);
  const i = Math.floor(pos);
  return i + 1 < v.length ? v[i] + (v[i + 1] - v[i]) * (pos - i) : v[i];
}
