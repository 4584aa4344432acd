/**
 * What the chart-ready data of the report view share: points with gaps, round axis ends, sorted
 * quantiles and the names of the per-row losses. Pure: no DOM, no vscode.
 */
import type { MetricKey } from '../losses';
import type { RowLossKey } from '../losses';

export interface XY {
  x: number;
  /** null: no value here (a gap in the line, or not finite in double precision). */
  y: number | null;
}

/** Rounds x > 0 up to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten. */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const s of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const v = Number((s * p).toPrecision(12));
    if (v >= x) return v;
  }
  return 10 * p;
}

/** The value, or null (a gap) when it is not finite in double precision. */
export const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The q-quantile of sorted values, interpolated between neighbours. */
export function quantileSorted(v: number[], q: number): number {
  const pos = q * (v.length - 1);
  const i = Math.floor(pos);
  return i + 1 < v.length ? v[i] + (v[i + 1] - v[i]) * (pos - i) : v[i];
}

/** Short names of the per-row losses, and the metric that is each one's mean. */
export const ROW_LOSS_LABEL: Record<RowLossKey, string> = { l1: 'L1', l2: 'L2', smoothL1: 'smooth L1', huber: 'Huber', logCosh: 'log-cosh' };
export const ROW_LOSS_MEAN: Record<RowLossKey, MetricKey> = { l1: 'mae', l2: 'mse', smoothL1: 'smoothL1', huber: 'huber', logCosh: 'logCosh' };
