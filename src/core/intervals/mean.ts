/**
 * Intervals for a mean of per-row values ℓ from its sums, and the paired t comparison.
 *
 * Unweighted: mean ± t(n − 1)·s/√n with s² = Σ(ℓ − mean)²/(n − 1) (ddof = 1), from Σℓ and Σℓ²
 * (s² = (Σℓ² − (Σℓ)²/n)/(n − 1)).
 *
 * Weighted (the mean Σwℓ/Σw): Kish's effective sample size n_eff = (Σw)²/Σw², the reliability-
 * weighted variance s² = Σw(ℓ − mean)²/(Σw − Σw²/Σw), and mean ± t(n_eff − 1)·s/√n_eff. With
 * every weight 1 this is the unweighted interval exactly. (A ratio-estimator variance would need
 * Σw²ℓ and Σw²ℓ² per loss as well; Kish needs one more sum per row, Σw², besides Σwℓ².)
 *
 * The sums come exact (ExactSum, correctly rounded), so the interval is the same to the last bit
 * for any number of threads. Σℓ² − (Σℓ)²/n loses digits only when the spread of ℓ is tiny
 * against its mean: s keeps about 16 − log10(mean²/s²) digits.
 */
import { tQuantileUpper, tTwoSidedP } from './distributions';

/** The sums behind a mean: rows, Σw, Σw², Σwℓ, Σwℓ² (without weights: n, n, n, Σℓ, Σℓ²). */
export interface MeanSums {
  rows: number;
  w: number;
  w2: number;
  s1: number;
  s2: number;
}

export interface MeanEstimate {
  mean: number;
  /** Standard error of the mean. */
  se: number;
  /** Degrees of freedom (n − 1, or n_eff − 1). */
  df: number;
}

export function meanEstimate(m: MeanSums): MeanEstimate | null {
  if (!(m.w > 0) || !(m.w2 > 0)) return null;
  const mean = m.s1 / m.w;
  const nEff = (m.w * m.w) / m.w2;
  if (!(nEff > 1)) return null;
  const ss = Math.max(0, m.s2 - (m.s1 * m.s1) / m.w);
  const variance = (ss / m.w) * (nEff / (nEff - 1));
  const se = Math.sqrt(variance / nEff);
  if (!Number.isFinite(mean) || !Number.isFinite(se)) return null;
  return { mean, se, df: nEff - 1 };
}

/** The t value of a two-sided interval at `confidence`. */
export function tCritical(confidence: number, df: number): number {
  return tQuantileUpper((1 - confidence) / 2, df);
}

/** [mean − t·se, mean + t·se]; null when the sums give no variance (one row, zero weight, not finite). */
export function meanInterval(m: MeanSums, confidence: number): { low: number; high: number } | null {
  const e = meanEstimate(m);
  if (!e) return null;
  const h = tCritical(confidence, e.df) * e.se;
  return { low: e.mean - h, high: e.mean + h };
}

/** A paired comparison: the mean difference, its interval and the two-sided p-value. */
export interface PairedResult {
  difference: number;
  low: number;
  high: number;
  p: number;
}

/** From an estimate of a mean difference (se, df): the interval and p of the t test of 0. */
export function tTest(e: MeanEstimate, confidence: number): PairedResult {
  const h = tCritical(confidence, e.df) * e.se;
  const p = e.se > 0 ? tTwoSidedP(e.mean / e.se, e.df) : e.mean === 0 ? 1 : 0;
  return { difference: e.mean, low: e.mean - h, high: e.mean + h, p };
}

/** Paired t over the sums of the per-row differences ℓb − ℓa (scipy's ttest_rel). */
export function pairedT(diff: MeanSums, confidence: number): PairedResult | null {
  const e = meanEstimate(diff);
  return e ? tTest(e, confidence) : null;
}
