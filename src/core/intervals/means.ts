/** The intervals of a family's metrics that are means of per-row values (classification families). */
import { meanInterval, type MeanSums } from './mean';
import type { Interval, IntervalMethod, Intervals } from './report';

/** An interval cut to [lo, hi] (a mean of non-negative losses is ≥ 0, a share is in [0, 1]); null when not finite. */
export function within(x: { low: number; high: number } | null, lo: number, hi: number, method: IntervalMethod): Interval | null {
  if (!x || !Number.isFinite(x.low) || !Number.isFinite(x.high)) return null;
  return { low: Math.max(lo, x.low), high: Math.min(hi, x.high), method };
}

/**
 * Every key of `all` null but the `means`: t intervals of the metric's per-row values (losses ≥ 0;
 * accuracy, a share, in [0, 1]), null where the metric itself is null.
 */
export function meanIntervals<K extends string, M extends K>(
  all: readonly K[],
  means: readonly M[],
  moments: Record<M, MeanSums>,
  metrics: Record<K, number | null>,
  confidence: number,
): Intervals<K> {
  const out = {} as Intervals<K>;
  for (const k of all) out[k] = null;
  for (const k of means) {
    if (metrics[k] === null) continue;
    out[k] = within(meanInterval(moments[k], confidence), 0, k === 'accuracy' ? 1 : Infinity, 't');
  }
  return out;
}
