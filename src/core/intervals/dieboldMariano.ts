/**
 * The Diebold–Mariano test of equal expected loss for rows in time order (--time-ordered), from
 * the series of per-row loss differences Δ = ℓb − ℓa in file order:
 * - the long-run variance of Δ by Newey–West: γ0 + 2·Σ_{k=1..L} (1 − k/(L + 1))·γk, γk the lag-k
 *   autocovariance (divided by n), L = h − 1 = ⌊n^(1/3)⌋ lags;
 * - DM = mean(Δ)/√(LRV/n), with Harvey, Leybourne and Newbold's (1997) small-sample factor
 *   √((n + 1 − 2h + h(h − 1)/n)/n), referred to Student's t with n − 1 degrees of freedom.
 * The interval is mean(Δ) ± t·√(LRV/n)/factor, so that it excludes 0 exactly when p < 1 − confidence.
 * Cost: O(n·L) (at 1e6 rows, L = 100); the series is summed in file order, so the result is the
 * same for any number of threads.
 */
import { tCritical, type PairedResult } from './mean';
import { tTwoSidedP } from './distributions';

/** Lags of the Newey–West variance for n rows: ⌊n^(1/3)⌋ (h − 1). */
export function dmLags(n: number): number {
  // Math.cbrt is exact on cubes (1e6 → 100), unlike n ** (1/3).
  return Math.max(0, Math.min(n - 1, Math.floor(Math.cbrt(n))));
}

export function dieboldMariano(delta: Float64Array, confidence: number, lags = dmLags(delta.length)): PairedResult | null {
  const n = delta.length;
  if (n < 3) return null;
  let s = 0;
  for (let i = 0; i < n; i++) s += delta[i];
  const mean = s / n;
  const L = Math.min(lags, n - 1);
  let lrv = 0;
  for (let k = 0; k <= L; k++) {
    let g = 0;
    for (let i = k; i < n; i++) g += (delta[i] - mean) * (delta[i - k] - mean);
    g /= n;
    lrv += k === 0 ? g : 2 * (1 - k / (L + 1)) * g;
  }
  if (!Number.isFinite(lrv) || !Number.isFinite(mean)) return null;
  const h = L + 1;
  const factor = Math.sqrt((n + 1 - 2 * h + (h * (h - 1)) / n) / n);
  const se = Math.sqrt(Math.max(0, lrv) / n);
  const df = n - 1;
  if (!(se > 0)) return { difference: mean, low: mean, high: mean, p: mean === 0 ? 1 : 0 };
  const half = (tCritical(confidence, df) * se) / factor;
  return { difference: mean, low: mean - half, high: mean + half, p: tTwoSidedP((mean / se) * factor, df) };
}
